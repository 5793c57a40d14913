package store

import (
	"errors"
	"fmt"
	"strings"

	"github.com/qkvport/qkv/internal/xdg"
)

// ErrNotFound is returned (wrapped) by Open when no committed store has the key.
var ErrNotFound = errors.New("store: not found")

// DefaultRoot returns the default root folder of stores:
// $XDG_CACHE_HOME/qkv/acts when XDG_CACHE_HOME is set, else ~/.cache/qkv/acts.
func DefaultRoot() (string, error) {
	dir, err := xdg.CacheDir("acts")
	if err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	return dir, nil
}

// checkKey rejects keys that are not a single plain folder name.
func checkKey(key string) error {
	if key == "" || key == "." || key == ".." || strings.ContainsAny(key, `/\`) || strings.Contains(key, tmpMark) {
		return fmt.Errorf("store: invalid key %q (use store.Key)", key)
	}
	return nil
}

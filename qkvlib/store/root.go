package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotFound is returned (wrapped) by Open when no committed store has the key.
var ErrNotFound = errors.New("store: not found")

// DefaultRoot returns the default root folder of stores:
// $XDG_CACHE_HOME/qkv/acts when XDG_CACHE_HOME is set, else ~/.cache/qkv/acts.
func DefaultRoot() (string, error) {
	if dir := os.Getenv("XDG_CACHE_HOME"); dir != "" {
		return filepath.Join(dir, "qkv", "acts"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("store: no cache folder (set XDG_CACHE_HOME or HOME): %w", err)
	}
	return filepath.Join(home, ".cache", "qkv", "acts"), nil
}

// checkKey rejects keys that are not a single plain folder name.
func checkKey(key string) error {
	if key == "" || key == "." || key == ".." || strings.ContainsAny(key, `/\`) || strings.Contains(key, tmpMark) {
		return fmt.Errorf("store: invalid key %q (use store.Key)", key)
	}
	return nil
}

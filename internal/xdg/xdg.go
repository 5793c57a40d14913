package xdg

import (
	"fmt"
	"os"
	"path/filepath"
)

// CacheDir returns the folder sub of qkv's cache: $XDG_CACHE_HOME/qkv/sub
// when XDG_CACHE_HOME is set, else ~/.cache/qkv/sub.
func CacheDir(sub string) (string, error) {
	if dir := os.Getenv("XDG_CACHE_HOME"); dir != "" {
		return filepath.Join(dir, "qkv", sub), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder (set XDG_CACHE_HOME or HOME): %w", err)
	}
	return filepath.Join(home, ".cache", "qkv", sub), nil
}

package xdg

import "testing"

func TestCacheDir(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/x/cache")
	if got, err := CacheDir("text"); err != nil || got != "/x/cache/qkv/text" {
		t.Errorf("CacheDir(text) = %q, %v", got, err)
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "/home/u")
	if got, err := CacheDir("acts"); err != nil || got != "/home/u/.cache/qkv/acts" {
		t.Errorf("CacheDir(acts) = %q, %v", got, err)
	}
}

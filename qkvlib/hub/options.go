package hub

import (
	"os"
	"path/filepath"
	"strings"
)

// Options tune Find. The zero value is ready to use.
type Options struct {
	// Revision is a branch, a tag or a 40-hex commit hash; default "main".
	// A branch or tag is found through the cache's refs/<revision>, as
	// Python's huggingface_hub records it. It does not apply to a local
	// folder.
	Revision string
	// CacheDir overrides the HuggingFace cache folder; default
	// DefaultCacheDir(). A leading "~/" stands for the home folder.
	CacheDir string
	// Offline says that nothing will download what the cache lacks, like
	// HF_HUB_OFFLINE=1: Find never downloads, but its MissingError then
	// says so ("offline mode forbids downloading").
	Offline bool
}

// DefaultCacheDir returns the HuggingFace cache folder as Python's
// huggingface_hub finds it: $HF_HUB_CACHE, else $HUGGINGFACE_HUB_CACHE (its
// old name), else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else
// ~/.cache/huggingface/hub.
func DefaultCacheDir() string {
	for _, v := range []string{"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"} {
		if d := os.Getenv(v); d != "" {
			return expandHome(d)
		}
	}
	if d := os.Getenv("HF_HOME"); d != "" {
		return filepath.Join(expandHome(d), "hub")
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(expandHome(d), "huggingface", "hub")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = "~"
	}
	return filepath.Join(home, ".cache", "huggingface", "hub")
}

// OfflineEnv reports whether HF_HUB_OFFLINE asks for offline mode ("1", "true",
// "yes" or "on", in any case, as Python reads it).
func OfflineEnv() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv("HF_HUB_OFFLINE"))) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func (o Options) revision() string {
	if o.Revision == "" {
		return "main"
	}
	return o.Revision
}

func (o Options) cacheDir() string {
	if o.CacheDir != "" {
		return expandHome(o.CacheDir)
	}
	return DefaultCacheDir()
}

// expandHome replaces a leading "~/" by the user's home folder.
func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}

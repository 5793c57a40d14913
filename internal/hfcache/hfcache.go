package hfcache

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

var commitHashPattern = regexp.MustCompile(`^[0-9a-f]{40}$`)

// IsCommitHash reports whether s is a commit hash: 40 lowercase hex digits.
func IsCommitHash(s string) bool { return commitHashPattern.MatchString(s) }

// RepoDir is the cache folder of a model repo: <cache>/models--ORG--NAME.
func RepoDir(cache, id string) string {
	return filepath.Join(cache, "models--"+strings.ReplaceAll(id, "/", "--"))
}

// IsRegular reports whether p is a regular file, or a symlink to one.
func IsRegular(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// AndList joins s for a message: "a", "a and b", "a, b and c".
func AndList(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

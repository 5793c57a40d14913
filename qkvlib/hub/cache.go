package hub

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/qkvport/qkv/internal/hfcache"
)

// commitFor returns the commit hash that revision names in the cached repo
// folder dir: revision itself when it is a commit hash, else the content of
// refs/<revision>. It returns "" when the cache does not know revision.
func commitFor(dir, revision string) string {
	if hfcache.IsCommitHash(revision) {
		return revision
	}
	b, err := os.ReadFile(filepath.Join(dir, "refs", filepath.FromSlash(revision)))
	if err != nil {
		return ""
	}
	hash := strings.TrimSpace(string(b))
	if !hfcache.IsCommitHash(hash) {
		return ""
	}
	return hash
}

// lookupCache looks for a complete choice in the cached snapshot of id at
// revision. When there is none, missing lists the files of choices[0] absent
// from a snapshot that exists, or is nil when there is no snapshot.
func lookupCache(cache, id, revision string, choices [][]string) (snap Snapshot, missing []string, ok bool) {
	dir := hfcache.RepoDir(cache, id)
	hash := commitFor(dir, revision)
	if hash == "" {
		return Snapshot{}, nil, false
	}
	snapDir := filepath.Join(dir, "snapshots", hash)
	if fi, err := os.Stat(snapDir); err != nil || !fi.IsDir() {
		return Snapshot{}, nil, false
	}
	for i, c := range choices {
		m := missingFiles(snapDir, c)
		if len(m) == 0 {
			return Snapshot{Dir: snapDir, Revision: hash, Repo: id, Files: append([]string(nil), c...)}, nil, true
		}
		if i == 0 {
			missing = m
		}
	}
	return Snapshot{}, missing, false
}

// missingFiles returns the files absent from dir (a dangling symlink counts as
// absent).
func missingFiles(dir string, files []string) []string {
	var missing []string
	for _, f := range files {
		if !hfcache.IsRegular(filepath.Join(dir, filepath.FromSlash(f))) {
			missing = append(missing, f)
		}
	}
	return missing
}

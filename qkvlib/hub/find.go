package hub

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/qkvport/qkv/internal/hfcache"
)

// Snapshot is a folder holding a model's files.
type Snapshot struct {
	// Dir holds the files: a snapshot folder of the HuggingFace cache, or the
	// local folder (made absolute).
	Dir string
	// Revision is the commit hash for a repo; for a local folder a short key
	// of the files' content ("local-" and 16 hex digits; see Find).
	Revision string
	// Repo is the repo id whose cache entry holds the files, "" for a local
	// folder.
	Repo string
	// Files are the requested files that Dir holds (the set of choices that
	// was chosen), as relative slash-separated names.
	Files []string
}

// Path returns the path of file inside the snapshot.
func (s Snapshot) Path(file string) string {
	return filepath.Join(s.Dir, filepath.FromSlash(file))
}

// HasFile reports whether the snapshot's folder holds file (a regular file, or
// a symlink to one), whether or not it was requested.
func (s Snapshot) HasFile(file string) bool {
	return hfcache.IsRegular(s.Path(file))
}

// Find returns a folder holding one of choices, sets of files (names relative
// to the repo root, such as "config.json" or "model.safetensors") that serve
// alike, e.g. {{"vocab.json", "merges.txt"}, {"tokenizer.json"}}: the first
// set that is all there. Snapshot.Files tells which set was found. Find
// never touches the network.
//
// name is a local folder or a HuggingFace repo id. A local folder is used as
// it is: a set must be all there, and Revision is a key of its content
// (sha256 over the names and sizes of the files, the bytes of config.json and
// of every file up to 1 MiB, and the modification time of larger ones), so it
// changes when the files do. A name is a local folder when a folder of that
// name exists, or when it looks like a path (absolute, starting with "." or
// "~", or holding more than one "/").
//
// A repo id is looked up in the HuggingFace cache (see the package doc); an id
// of the GPT-2 family is also found under its other name ("gpt2-large" and
// "openai-community/gpt2-large" name the same repo). A cached set counts when
// its files pass the cheap checks (see the package doc). When no set does,
// the error is a *MissingError, which says what to do; qkvlib/download
// downloads what it names.
func Find(name string, choices [][]string, opt Options) (Snapshot, error) {
	if err := checkChoices(choices); err != nil {
		return Snapshot{}, err
	}
	if isLocalPath(name) {
		return findLocal(expandHome(name), choices)
	}
	if !validRepoID(name) {
		return Snapshot{}, fmt.Errorf("hub: %q is neither a local folder nor a HuggingFace repo id (such as gpt2-large or openai-community/gpt2-large)", name)
	}
	miss := &MissingError{Name: name, Revision: opt.revision(), Cache: opt.cacheDir(), Choices: choices}
	for _, id := range cacheIDs(name) {
		snap, missing, ok := lookupCache(miss.Cache, id, miss.Revision, choices)
		if ok {
			file, bad := damagedFile(snap)
			if bad == nil {
				return snap, nil
			}
			if miss.Damage == nil {
				miss.Damaged, miss.Damage, miss.Snapshot = file, bad, snap
			}
			continue
		}
		if miss.Partial == nil && missing != nil {
			miss.Partial, miss.Repo = missing, id
		}
	}
	if miss.Damage != nil {
		miss.Repo = miss.Snapshot.Repo
	}
	switch {
	case OfflineEnv():
		miss.Why = "HF_HUB_OFFLINE=1 forbids downloading"
	case opt.Offline:
		miss.Why = "offline mode forbids downloading"
	default:
		miss.Why = "hub.Find does not download"
	}
	return Snapshot{}, miss
}

// damagedFile returns the first of snap's files that fails the cheap checks,
// with the reason, or "" and nil.
func damagedFile(snap Snapshot) (string, error) {
	for _, f := range snap.Files {
		if err := hfcache.CheckFile(snap.Path(f), f); err != nil {
			return f, err
		}
	}
	return "", nil
}

func checkChoices(choices [][]string) error {
	if len(choices) == 0 {
		return fmt.Errorf("hub: no files requested")
	}
	for _, c := range choices {
		if len(c) == 0 {
			return fmt.Errorf("hub: an empty set of files was requested")
		}
		for _, f := range c {
			if f == "" || path.IsAbs(f) || strings.Contains(f, `\`) || path.Clean(f) != f || f == "." || strings.HasPrefix(f, "../") || f == ".." {
				return fmt.Errorf("hub: %q is not a file name relative to the repo root (use forward slashes, no \"..\")", f)
			}
		}
	}
	return nil
}

// isLocalPath reports whether name names a local folder rather than a repo id.
func isLocalPath(name string) bool {
	if fi, err := os.Stat(expandHome(name)); err == nil && fi.IsDir() {
		return true
	}
	return filepath.IsAbs(name) || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~") ||
		strings.Count(name, "/") > 1 || strings.ContainsRune(name, '\\')
}

// repoIDPattern is huggingface_hub's validate_repo_id.
var repoIDPattern = regexp.MustCompile(`^([\w.-]+/)?[\w.-]{1,96}$`)

func validRepoID(id string) bool {
	return repoIDPattern.MatchString(id) && !strings.Contains(id, "--") && !strings.Contains(id, "..") &&
		!strings.HasPrefix(id, "-") && !strings.HasSuffix(id, ".") && !strings.HasSuffix(id, "-")
}

// cacheIDs returns the ids under which the cache may hold repo id: the GPT-2
// family moved from bare names to openai-community/, which still answers to
// both.
func cacheIDs(id string) []string {
	if org, name, ok := strings.Cut(id, "/"); ok {
		if org == "openai-community" {
			return []string{id, name}
		}
		return []string{id}
	}
	return []string{id, "openai-community/" + id}
}

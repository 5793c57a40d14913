package hub

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// Snapshot is a folder holding a model's files.
type Snapshot struct {
	// Dir holds the files: a snapshot folder of the HuggingFace cache, or the
	// local folder (made absolute).
	Dir string
	// Revision is the commit hash for a repo; for a local folder a short key
	// of the files' content ("local-" and 16 hex digits; see Resolve).
	Revision string
	// Repo is the repo id whose cache entry holds the files, "" for a local
	// folder.
	Repo string
	// Files are the requested files that Dir holds (for ResolveAny, the set
	// that was chosen), as relative slash-separated names.
	Files []string
}

// Path returns the path of file inside the snapshot.
func (s Snapshot) Path(file string) string {
	return filepath.Join(s.Dir, filepath.FromSlash(file))
}

// HasFile reports whether the snapshot's folder holds file (a regular file, or
// a symlink to one), whether or not it was requested.
func (s Snapshot) HasFile(file string) bool {
	return isRegular(s.Path(file))
}

// Resolve returns a folder holding every one of files (names relative to the
// repo root, such as "config.json" or "model.safetensors").
//
// name is a local folder or a HuggingFace repo id. A local folder is used as
// it is: every file must be there, and Revision is a key of their content
// (sha256 over the names and sizes of the files, the bytes of config.json and
// of every file up to 1 MiB, and the modification time of larger ones), so it
// changes when the files do. A name is a local folder when a folder of that
// name exists, or when it looks like a path (absolute, starting with "." or
// "~", or holding more than one "/").
//
// A repo id is looked up in the HuggingFace cache (see the package doc); an id
// of the GPT-2 family is also found under its other name ("gpt2-large" and
// "openai-community/gpt2-large" name the same repo). Missing files are
// downloaded unless offline (Options.Offline or HF_HUB_OFFLINE=1). The errors
// say what to do: which command fetches the files on a connected machine.
func Resolve(ctx context.Context, name string, files []string, opt Options) (Snapshot, error) {
	return ResolveAny(ctx, name, [][]string{files}, opt)
}

// ResolveAny is Resolve for files that come in alternative sets, e.g.
// {{"vocab.json", "merges.txt"}, {"tokenizer.json"}}: it returns the first set
// whose files are all in the local folder or the cache; failing that, it
// downloads the first set that the repo holds. Snapshot.Files tells which set
// was chosen.
func ResolveAny(ctx context.Context, name string, choices [][]string, opt Options) (Snapshot, error) {
	if err := checkChoices(choices); err != nil {
		return Snapshot{}, err
	}
	if isLocalPath(name) {
		return resolveLocal(expandHome(name), choices)
	}
	if !validRepoID(name) {
		return Snapshot{}, fmt.Errorf("hub: %q is neither a local folder nor a HuggingFace repo id (such as gpt2-large or openai-community/gpt2-large)", name)
	}
	rev := opt.revision()
	cache := opt.cacheDir()
	var partial []string // the files of choices[0] missing from a partial snapshot
	var damaged struct { // a complete snapshot with a file that fails checkFile
		snap Snapshot
		file string
		err  error
	}
	for _, id := range cacheIDs(name) {
		snap, missing, ok := lookupCache(cache, id, rev, choices)
		if ok {
			file, bad := damagedFile(snap)
			if bad == nil {
				return snap, nil
			}
			if damaged.err == nil {
				damaged.snap, damaged.file, damaged.err = snap, file, bad
			}
			continue
		}
		if partial == nil && missing != nil {
			partial = missing
		}
	}
	offline := ""
	switch {
	case OfflineEnv():
		offline = "HF_HUB_OFFLINE=1 forbids downloading"
	case opt.Offline:
		offline = "offline mode forbids downloading"
	}
	if offline != "" && damaged.err != nil {
		return Snapshot{}, damagedError(damaged.snap, damaged.file, damaged.err, offline+" it again")
	}
	if offline != "" {
		return Snapshot{}, notAvailable(name, rev, cache, choices, partial, offline, nil)
	}
	if err := ctx.Err(); err != nil {
		return Snapshot{}, fmt.Errorf("hub: resolving %s: %w", name, err)
	}
	return download(ctx, name, rev, cache, choices, opt)
}

// notAvailable is the error for a repo that is not (wholly) in the cache and
// cannot be downloaded: it says why and what to do.
func notAvailable(id, rev, cache string, choices [][]string, partial []string, why string, err error) error {
	what := id
	cmd := "huggingface-cli download " + id
	if rev != "main" {
		what += " at revision " + rev
		cmd += " --revision " + rev
	}
	cmd += " " + strings.Join(choices[0], " ")
	var status string
	if partial != nil {
		verb := "are"
		if len(partial) == 1 {
			verb = "is"
		}
		status = fmt.Sprintf("is only partly in the HuggingFace cache (%s): %s %s missing", cache, andList(partial), verb)
	} else {
		status = fmt.Sprintf("is not in the HuggingFace cache (%s)", cache)
	}
	holding := make([]string, len(choices))
	for i, c := range choices {
		holding[i] = andList(c)
	}
	advice := fmt.Sprintf("run %q on a connected machine, copy the cache, or pass a local folder (-model DIR) holding %s",
		cmd, strings.Join(holding, ", or "))
	if err != nil {
		return fmt.Errorf("hub: %s %s and %s (%w): %s", what, status, why, err, advice)
	}
	return fmt.Errorf("hub: %s %s and %s: %s", what, status, why, advice)
}

func andList(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
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

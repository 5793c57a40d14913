package download

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/qkvport/qkv/internal/atomicfile"
	"github.com/qkvport/qkv/internal/hfcache"
	"github.com/qkvport/qkv/qkvlib/hub"

	hfhub "github.com/gomlx/go-huggingface/hub"
)

// Resolve returns a folder holding every one of files (names relative to the
// repo root, such as "config.json" or "model.safetensors").
//
// name is a local folder or a HuggingFace repo id, found as hub.Find finds
// it: a local folder is used as it is, a repo id is looked up in the
// HuggingFace cache (under its other GPT-2 family name too). Missing files
// are downloaded into the cache unless offline (Options.Offline or
// HF_HUB_OFFLINE=1); a cached file that fails hub's cheap checks is
// downloaded again. The errors say what to do: which command fetches the
// files on a connected machine.
func Resolve(ctx context.Context, name string, files []string, opt Options) (hub.Snapshot, error) {
	return ResolveAny(ctx, name, [][]string{files}, opt)
}

// ResolveAny is Resolve for files that come in alternative sets, e.g.
// {{"vocab.json", "merges.txt"}, {"tokenizer.json"}}: it returns the first set
// whose files are all in the local folder or the cache; failing that, it
// downloads the first set that the repo holds. Snapshot.Files tells which set
// was chosen.
func ResolveAny(ctx context.Context, name string, choices [][]string, opt Options) (hub.Snapshot, error) {
	snap, err := hub.Find(name, choices, opt.hub())
	var miss *hub.MissingError
	if !errors.As(err, &miss) || opt.Offline || hub.OfflineEnv() {
		return snap, err
	}
	if err := ctx.Err(); err != nil {
		return hub.Snapshot{}, fmt.Errorf("hub: resolving %s: %w", name, err)
	}
	return download(ctx, miss, opt)
}

// download fetches the files of the first choice that repo miss.Name holds
// at miss.Revision and are missing from the cache (or fail the cheap checks
// there) into the cache in Python's layout: blobs/<etag>,
// snapshots/<hash>/<file> symlinked to the blob, refs/<revision> holding the
// hash. See fetchBlob for how a file comes: resumed, verified, under a lock.
func download(ctx context.Context, miss *hub.MissingError, opt Options) (hub.Snapshot, error) {
	id, rev, cache, choices := miss.Name, miss.Revision, miss.Cache, miss.Choices
	c := newClient(opt)
	dir := hfcache.RepoDir(cache, id)
	if err := prepareCache(cache, dir); err != nil {
		return hub.Snapshot{}, err
	}
	info, err := c.info(ctx, id, rev)
	if err != nil {
		return hub.Snapshot{}, &hub.MissingError{Name: id, Revision: rev, Cache: cache, Choices: choices, Why: infoWhy(c.endpoint, err), Err: err}
	}
	if !hfcache.IsCommitHash(info.CommitHash) {
		return hub.Snapshot{}, fmt.Errorf("hub: %s answered no commit hash for %s at revision %s: check the repo id and revision", c.endpoint, id, rev)
	}
	hash := info.CommitHash
	choice := pickChoice(info, choices)
	if choice == nil {
		alts := make([]string, len(choices))
		for i, ch := range choices {
			alts[i] = hfcache.AndList(ch)
		}
		return hub.Snapshot{}, fmt.Errorf("hub: %s at revision %s (%s) holds neither %s: check the repo id, or pass a local folder (-model DIR)",
			id, rev, hash, strings.Join(alts, " nor "))
	}
	snapDir := filepath.Join(dir, "snapshots", hash)
	for _, f := range choice {
		if p := filepath.Join(snapDir, filepath.FromSlash(f)); hfcache.IsRegular(p) {
			bad := hfcache.CheckFile(p, f)
			if bad == nil {
				continue
			}
			c.notice("hub: the cached %s of %s is damaged (%v); downloading it again", f, id, bad)
			removeDamaged(p)
		}
		if err := c.fetchFile(ctx, cache, id, hash, snapDir, f); err != nil {
			return hub.Snapshot{}, &downloadError{file: f, id: id, endpoint: c.endpoint, cache: cache, err: err}
		}
	}
	if rev != hash {
		if err := writeRef(dir, rev, hash); err != nil {
			return hub.Snapshot{}, err
		}
	}
	return hub.Snapshot{Dir: snapDir, Revision: hash, Repo: id, Files: append([]string(nil), choice...)}, nil
}

// fetchFile brings file of repo id at commit hash into the cache and links
// it into snapDir.
func (c *client) fetchFile(ctx context.Context, cache, id, hash, snapDir, file string) error {
	m, err := c.meta(ctx, c.fileURL(id, hash, file))
	if err != nil {
		return err
	}
	blob, err := c.fetchBlob(ctx, cache, id, file, m)
	if err != nil {
		return err
	}
	return linkBlob(snapDir, file, blob)
}

// removeDamaged removes the damaged snapshot file p and the blob it links
// to; what cannot be removed is replaced by the download.
func removeDamaged(p string) {
	if blob, err := filepath.EvalSymlinks(p); err == nil && blob != p {
		os.Remove(blob)
	}
	os.Remove(p)
}

// prepareCache makes the folders a download of the repo in dir writes to,
// and tries a file there, so that a cache that is not writable is said
// before anything is asked of the hub.
func prepareCache(cache, dir string) error {
	blobs := filepath.Join(dir, "blobs")
	for _, d := range []string{blobs, filepath.Join(dir, "snapshots"), filepath.Join(cache, ".locks", filepath.Base(dir))} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return cacheError(cache, dir, err)
		}
	}
	f, err := os.CreateTemp(blobs, ".qkv-write-test-*")
	if err != nil {
		return cacheError(cache, dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

func cacheError(cache, dir string, err error) error {
	id := strings.ReplaceAll(strings.TrimPrefix(filepath.Base(dir), "models--"), "--", "/")
	if notWritable(err) {
		return fmt.Errorf("hub: cannot download %s: %s", id, notWritableAdvice(cache, err))
	}
	return fmt.Errorf("hub: cannot download %s into the HuggingFace cache %s (%v): set HF_HUB_CACHE to another folder", id, cache, err)
}

// infoWhy says why the hub's info on a repo did not come.
func infoWhy(endpoint string, err error) string {
	var se *statusError
	switch {
	case errors.As(err, &se) && !retriable(se):
		return "the hub at " + endpoint + " refused it (check the repo id and revision; set HF_TOKEN for a gated or private repo)"
	case unreachable(err):
		return "the hub cannot be reached at " + endpoint
	}
	return "asking the hub at " + endpoint + " failed"
}

// pickChoice returns the first choice whose files the repo lists, or the first
// choice when the repo lists no files at all.
func pickChoice(info *hfhub.RepoInfo, choices [][]string) []string {
	if len(info.Siblings) == 0 {
		return choices[0]
	}
	have := make(map[string]bool, len(info.Siblings))
	for _, s := range info.Siblings {
		have[s.Name] = true
	}
	for _, c := range choices {
		all := true
		for _, f := range c {
			all = all && have[f]
		}
		if all {
			return c
		}
	}
	return nil
}

// writeRef records that revision names hash: refs/<revision>, as Python does.
func writeRef(dir, revision, hash string) error {
	p := filepath.Join(dir, "refs", filepath.FromSlash(revision))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("hub: recording revision %s: %w", revision, err)
	}
	if err := atomicfile.WriteFile(p, []byte(hash)); err != nil {
		return fmt.Errorf("hub: recording revision %s: %w", revision, err)
	}
	return nil
}

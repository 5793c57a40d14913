package hub

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/qkvport/qkv/internal/atomicfile"

	hfhub "github.com/gomlx/go-huggingface/hub"
)

// download fetches the files of the first choice that repo id holds at
// revision and are missing from the cache, with go-huggingface, into the
// cache in Python's layout: blobs/<etag>, snapshots/<hash>/<file> symlinked to
// the blob, refs/<revision> holding the hash.
func download(ctx context.Context, id, rev, cache string, choices [][]string, opt Options) (Snapshot, error) {
	endpoint := opt.endpoint()
	repo := hfhub.New(id).WithCacheDir(cache).WithRevision(rev).WithAuth(opt.token()).
		WithEndpoint(endpoint).WithProgressBar(false)
	repo.Verbosity = 0
	// FileURL fetches the repo's info (its commit hash and file list), once.
	if _, err := repo.FileURL(choices[0][0]); err != nil {
		why := "the hub cannot be reached at " + endpoint
		if strings.Contains(err.Error(), "bad status code") { // go-huggingface's words for an HTTP error
			why = "the hub at " + endpoint + " refused it (check the repo id and revision; set HF_TOKEN for a gated or private repo)"
		}
		return Snapshot{}, notAvailable(id, rev, cache, choices, nil, why, err)
	}
	info := repo.Info()
	if info == nil || !commitHashPattern.MatchString(info.CommitHash) {
		return Snapshot{}, fmt.Errorf("hub: %s at %s answered no commit hash for %s at revision %s: check the repo id and revision", endpoint, id, id, rev)
	}
	hash := info.CommitHash
	choice := pickChoice(info, choices)
	if choice == nil {
		alts := make([]string, len(choices))
		for i, c := range choices {
			alts[i] = andList(c)
		}
		return Snapshot{}, fmt.Errorf("hub: %s at revision %s (%s) holds neither %s: check the repo id, or pass a local folder (-model DIR)",
			id, rev, hash, strings.Join(alts, " nor "))
	}

	dir := repoDir(cache, id)
	snapDir := filepath.Join(dir, "snapshots", hash)
	for _, f := range missingFiles(snapDir, choice) {
		if err := fetchFile(ctx, repo, dir, snapDir, f, opt.Progress); err != nil {
			return Snapshot{}, notAvailable(id, rev, cache, choices, missingFiles(snapDir, choice),
				"downloading "+f+" from "+endpoint+" failed", err)
		}
	}
	if rev != hash {
		if err := writeRef(dir, rev, hash); err != nil {
			return Snapshot{}, err
		}
	}
	return Snapshot{Dir: snapDir, Revision: hash, Repo: id, Files: append([]string(nil), choice...)}, nil
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

// fetchFile downloads file into blobs/<etag> (unless that blob exists) with
// go-huggingface's download manager, and links snapshots/<hash>/<file> to it.
func fetchFile(ctx context.Context, repo *hfhub.Repo, dir, snapDir, file string, progress func(string, int64, int64)) error {
	url, err := repo.FileURL(file)
	if err != nil {
		return err
	}
	mgr := repo.GetDownloadManager()
	header, _, err := mgr.FetchHeader(ctx, url)
	if err != nil {
		return err
	}
	etag := header.Get(hfhub.HeaderXLinkedETag)
	if etag == "" {
		etag = header.Get("ETag")
	}
	etag = strings.Trim(strings.TrimPrefix(etag, "W/"), `"`)
	if etag == "" || strings.ContainsAny(etag, `/\`) || strings.Contains(etag, "..") {
		return fmt.Errorf("the hub gave no usable ETag for %s (%q)", url, etag)
	}
	blob := filepath.Join(dir, "blobs", etag)
	var cb func(done, total int64)
	if progress != nil {
		cb = func(done, total int64) { progress(file, done, total) }
	}
	if err := mgr.LockedDownload(ctx, url, blob, false, cb); err != nil {
		return err
	}
	if progress != nil {
		if fi, err := os.Stat(blob); err == nil {
			progress(file, fi.Size(), fi.Size())
		}
	}
	link := filepath.Join(snapDir, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		return err
	}
	rel, err := filepath.Rel(filepath.Dir(link), blob)
	if err != nil {
		rel = blob
	}
	if err := os.Remove(link); err != nil && !os.IsNotExist(err) {
		return err
	}
	return os.Symlink(rel, link)
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

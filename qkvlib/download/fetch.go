package download

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/qkvport/qkv/internal/hfcache"
)

// fetchBlob makes blobs/<etag> of repo id's cache folder hold the file that
// m describes, and returns its path. It holds the lock
// .locks/models--ORG--NAME/<etag>.lock (Python's) meanwhile, so that one
// process downloads and the others wait; a blob that is there when the lock
// is taken is kept when its size and format are right, else downloaded again.
func (c *client) fetchBlob(ctx context.Context, cache, id, file string, m fileMeta) (string, error) {
	dir := hfcache.RepoDir(cache, id)
	blob := filepath.Join(dir, "blobs", m.etag)
	unlock, err := c.lock(ctx, filepath.Join(cache, ".locks", filepath.Base(dir), m.etag+".lock"), file, id)
	if err != nil {
		return "", err
	}
	defer unlock()
	if fi, err := os.Stat(blob); err == nil {
		bad := checkBlob(blob, file, fi, m.size)
		if bad == nil {
			return blob, nil
		}
		c.notice("hub: the cached %s of %s (%s) is damaged (%v); downloading it again", file, id, blob, bad)
		if err := os.Remove(blob); err != nil {
			return "", &diskError{op: "removing the damaged " + blob, err: err}
		}
	}
	prog := newProgress(c.opt, file, id, m.size)
	return blob, c.downloadBlob(ctx, m, blob+".incomplete", blob, prog)
}

// checkBlob checks a blob that is already there: its size against the
// announced one (size, -1 when unknown), then its format (hfcache.CheckFile).
func checkBlob(blob, file string, fi os.FileInfo, size int64) error {
	if size >= 0 && fi.Size() != size {
		return fmt.Errorf("it holds %d bytes, not the %d the hub announces", fi.Size(), size)
	}
	return hfcache.CheckFile(blob, file)
}

// downloadBlob downloads the file that m describes into part (Python's
// blobs/<etag>.incomplete), continuing from what part holds, verifies it
// (size; sha256 when the etag is one) and renames it to blob. A part that
// fails verification is removed; any other failure keeps it for the next run.
func (c *client) downloadBlob(ctx context.Context, m fileMeta, part, blob string, prog *progress) error {
	w, err := openPart(part, m.size, m.sha256 != "")
	if err != nil {
		return err
	}
	defer w.f.Close()
	prog.begin(w.size)
	if free := freeSpace(filepath.Dir(part)); m.size >= bigFile && free >= 0 && free < m.size-w.size {
		c.notice("hub: the disk holding %s has %s free but %s needs %s more; the download may fail: free space, or set HF_HUB_CACHE to a folder on a bigger disk",
			filepath.Dir(part), byteSize(free), prog.file, byteSize(m.size-w.size))
	}
	if m.size < 0 || w.size < m.size {
		best := w.size // a try progresses when it gets further than any before
		err = c.retry(ctx, func() (bool, error) {
			_, err := c.getInto(ctx, m, w, prog)
			progressed := w.size > best
			best = max(best, w.size)
			return progressed, err
		})
	}
	if err == nil {
		err = w.verify(m)
	}
	var ve *verifyError
	if errors.As(err, &ve) {
		w.f.Close()
		os.Remove(part)
		prog.end(w.size, "refused")
		return err
	}
	if err != nil {
		if w.size == 0 { // nothing to resume from
			w.f.Close()
			os.Remove(part)
		}
		prog.end(w.size, "stopped")
		return &partError{path: part, have: w.size, size: m.size, err: err}
	}
	if err := w.f.Sync(); err != nil {
		return &partError{path: part, have: w.size, size: m.size, err: &diskError{op: "writing " + part, err: err}}
	}
	if err := w.f.Close(); err != nil {
		return &partError{path: part, have: w.size, size: m.size, err: &diskError{op: "writing " + part, err: err}}
	}
	if err := os.Rename(part, blob); err != nil {
		return &diskError{op: "moving the downloaded " + part + " into place", err: err}
	}
	note := "size checked"
	if w.h != nil {
		note = "size and sha256 checked"
	}
	prog.end(w.size, note)
	return nil
}

// partFile is a blobs/<etag>.incomplete being written: how many bytes it
// holds and, for a file whose sha256 is known, their running hash.
type partFile struct {
	path string
	f    *os.File
	size int64
	h    hash.Hash // nil when there is no sha256 to check
}

// openPart opens (or creates) the partial file p, keeping what it holds
// unless that is longer than size (when known), and hashes the kept bytes
// when hashIt.
func openPart(p string, size int64, hashIt bool) (*partFile, error) {
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, &diskError{op: "creating " + p, err: err}
	}
	w := &partFile{path: p, f: f}
	if hashIt {
		w.h = sha256.New()
	}
	fi, err := f.Stat()
	if err == nil {
		w.size = fi.Size()
		if size >= 0 && w.size > size {
			err = w.reset()
		}
	}
	if err == nil && w.h != nil && w.size > 0 {
		_, err = io.CopyN(w.h, f, w.size)
	}
	if err == nil {
		_, err = f.Seek(w.size, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, &diskError{op: "reading " + p, err: err}
	}
	return w, nil
}

func (w *partFile) write(b []byte) error {
	n, err := w.f.Write(b)
	if w.h != nil {
		w.h.Write(b[:n])
	}
	w.size += int64(n)
	if err != nil {
		return &diskError{op: "writing " + w.path, err: err}
	}
	return nil
}

// reset empties the partial file, to start over.
func (w *partFile) reset() error {
	if err := w.f.Truncate(0); err != nil {
		return &diskError{op: "emptying " + w.path, err: err}
	}
	if _, err := w.f.Seek(0, io.SeekStart); err != nil {
		return &diskError{op: "emptying " + w.path, err: err}
	}
	w.size = 0
	if w.h != nil {
		w.h.Reset()
	}
	return nil
}

// verify checks the finished partial file against m: its size when known,
// its sha256 when the etag is one.
func (w *partFile) verify(m fileMeta) error {
	if m.size >= 0 && w.size != m.size {
		return &verifyError{what: fmt.Sprintf("it holds %d bytes, not the %d the hub announced", w.size, m.size)}
	}
	if w.h != nil {
		if got := hex.EncodeToString(w.h.Sum(nil)); got != m.sha256 {
			return &verifyError{what: fmt.Sprintf("its sha256 is %s, not the %s the hub announced", got, m.sha256)}
		}
	}
	return nil
}

// errRangeRefused: the hub did not resume where asked; the partial file was
// emptied and the next try starts from the first byte.
var errRangeRefused = errors.New("the hub did not resume where asked, so the download starts over")

// getInto makes one try at appending the rest of the file that m describes
// to w, asking for the bytes from w.size on; it returns how many it appended.
func (c *client) getInto(ctx context.Context, m fileMeta, w *partFile, prog *progress) (int64, error) {
	tctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	req, err := c.request(tctx, http.MethodGet, m.url)
	if err != nil {
		return 0, err
	}
	if w.size > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", w.size))
	}
	resp, err := c.get.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if err := acceptBody(resp, m, w); err != nil {
		return 0, err
	}
	if prog.total < 0 && resp.ContentLength >= 0 {
		prog.total = w.size + resp.ContentLength
	}
	return copyBody(tctx, stop, resp.Body, m, w, prog, c.opt.stall())
}

// acceptBody checks the answer to a GET of the bytes from w.size on: a 206
// must start there, a 200 (a server that does not resume) starts over.
func acceptBody(resp *http.Response, m fileMeta, w *partFile) error {
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != w.size {
			if err := w.reset(); err != nil {
				return err
			}
			return errRangeRefused
		}
		if total >= 0 && m.size >= 0 && total != m.size {
			return &verifyError{what: fmt.Sprintf("the hub sends %d bytes but announced %d", total, m.size)}
		}
	case http.StatusOK:
		if w.size > 0 {
			if err := w.reset(); err != nil {
				return err
			}
		}
		if resp.ContentLength >= 0 && m.size >= 0 && resp.ContentLength != m.size {
			return &verifyError{what: fmt.Sprintf("the hub sends %d bytes but announced %d", resp.ContentLength, m.size)}
		}
	case http.StatusRequestedRangeNotSatisfiable:
		if w.size > 0 {
			if err := w.reset(); err != nil {
				return err
			}
			return errRangeRefused
		}
		return newStatusError(m.url, resp)
	default:
		return newStatusError(m.url, resp)
	}
	return nil
}

// parseContentRange reads "bytes START-END/TOTAL" (TOTAL may be "*": -1).
func parseContentRange(s string) (start, total int64, ok bool) {
	r, ok := strings.CutPrefix(s, "bytes ")
	if !ok {
		return 0, 0, false
	}
	span, tot, ok := strings.Cut(r, "/")
	first, _, ok2 := strings.Cut(span, "-")
	if !ok || !ok2 {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	total = -1
	if tot != "*" {
		if total, err = strconv.ParseInt(tot, 10, 64); err != nil {
			return 0, 0, false
		}
	}
	return start, total, true
}

// copyBody appends body to w, ending the try (stop) when no byte comes for
// stall; it returns how many bytes it appended.
func copyBody(ctx context.Context, stop context.CancelCauseFunc, body io.Reader, m fileMeta, w *partFile, prog *progress, stall time.Duration) (int64, error) {
	timer := time.AfterFunc(stall, func() { stop(errStalled) })
	defer timer.Stop()
	buf := make([]byte, 1<<20)
	var got int64
	for {
		n, err := body.Read(buf)
		if n > 0 {
			timer.Reset(stall)
			if m.size >= 0 && w.size+int64(n) > m.size {
				return got, &verifyError{what: fmt.Sprintf("the hub sent more than the %d bytes it announced", m.size)}
			}
			before := w.size
			werr := w.write(buf[:n])
			got += w.size - before
			if werr != nil {
				return got, werr
			}
			prog.update(w.size)
		}
		switch {
		case err == io.EOF:
			if m.size >= 0 && w.size < m.size {
				return got, io.ErrUnexpectedEOF
			}
			return got, nil
		case err != nil:
			if errors.Is(context.Cause(ctx), errStalled) {
				return got, errStalled
			}
			return got, err
		}
	}
}

// linkBlob points snapshots/<hash>/<file> at blob with a relative symlink, as
// Python does, replacing what was there in one step.
func linkBlob(snapDir, file, blob string) error {
	link := filepath.Join(snapDir, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		return &diskError{op: "making " + filepath.Dir(link), err: err}
	}
	rel, err := filepath.Rel(filepath.Dir(link), blob)
	if err != nil {
		rel = blob
	}
	tmp := link + "." + rand.Text() + ".tmp"
	if err := os.Symlink(rel, tmp); err != nil {
		return &diskError{op: "linking " + link, err: err}
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return &diskError{op: "linking " + link, err: err}
	}
	return nil
}

package download

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"syscall"
)

// diskError is a failure to write the cache.
type diskError struct {
	op  string
	err error
}

func (e *diskError) Error() string {
	var pe *fs.PathError
	if errors.As(e.err, &pe) { // the op names the path already
		return e.op + ": " + pe.Err.Error()
	}
	return e.op + ": " + e.err.Error()
}
func (e *diskError) Unwrap() error { return e.err }

// verifyError is a download whose bytes are not the file the hub announced.
type verifyError struct{ what string }

func (e *verifyError) Error() string { return e.what }

// partError is a failed download whose partial file is kept for the next
// run to resume.
type partError struct {
	path       string
	have, size int64 // bytes in the partial file; the file's size, -1 when unknown
	err        error
}

func (e *partError) Error() string { return e.err.Error() }
func (e *partError) Unwrap() error { return e.err }

// downloadError is a failed download of one file, said in one line: what
// failed, what the cache holds now and what to do.
type downloadError struct {
	file, id, endpoint, cache string
	err                       error
}

func (e *downloadError) Unwrap() error { return e.err }

func (e *downloadError) Error() string {
	head := fmt.Sprintf("hub: downloading %s of %s from %s failed", e.file, e.id, e.endpoint)
	kept := ""
	var pe *partError
	if errors.As(e.err, &pe) && pe.have > 0 {
		kept = fmt.Sprintf("; the %s downloaded so far stay in %s and the next run resumes from them", byteSize(pe.have), pe.path)
	}
	var ve *verifyError
	var se *statusError
	var re *retriesError
	switch {
	case errors.Is(e.err, syscall.ENOSPC):
		need := "space"
		if pe != nil && pe.size >= 0 {
			need = byteSize(pe.size - pe.have)
		}
		return fmt.Sprintf("%s: the disk holding %s is full: free %s (or set HF_HUB_CACHE to a folder on a bigger disk) and run again%s",
			head, e.cache, need, kept)
	case notWritable(e.err):
		return fmt.Sprintf("%s: %s", head, notWritableAdvice(e.cache, e.err))
	case errors.As(e.err, &ve):
		return fmt.Sprintf("%s: %v, so the download was removed and not linked into the snapshot: run again to download it afresh (if this happens again, something between here and the hub alters the file: a proxy, or the disk)",
			head, e.err)
	case errors.As(e.err, &re):
		if kept == "" {
			kept = ": try again later, or set HF_ENDPOINT to a mirror"
		}
		return fmt.Sprintf("%s: %v%s", head, e.err, kept)
	case errors.Is(e.err, context.Canceled), errors.Is(e.err, context.DeadlineExceeded):
		return fmt.Sprintf("%s: interrupted (%v)%s", head, e.err, kept)
	case unreachable(e.err):
		return fmt.Sprintf("%s: the hub cannot be reached (%v): check the network, or set HF_HUB_OFFLINE=1 and pass a local folder (-model DIR) holding the files%s",
			head, e.err, kept)
	case errors.As(e.err, &se):
		return fmt.Sprintf("%s: %v: check the repo id and revision; set HF_TOKEN for a gated or private repo", head, e.err)
	}
	return fmt.Sprintf("%s: %v%s", head, e.err, kept)
}

// notWritable reports whether err is a refusal to write: a read-only file
// system or missing permissions.
func notWritable(err error) bool {
	return errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission)
}

func notWritableAdvice(cache string, err error) string {
	return fmt.Sprintf("the HuggingFace cache %s is not writable (%v): set HF_HUB_CACHE to a writable folder, or pass a local folder (-model DIR) holding the files", cache, err)
}

// unreachable reports whether err is a failure to connect at all.
func unreachable(err error) bool {
	var dns *net.DNSError
	var op *net.OpError
	return errors.As(err, &dns) || errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect")
}

// byteSize writes n bytes in decimal units, as download tools do: "3.25 GB".
func byteSize(n int64) string {
	switch f := float64(n); {
	case n >= 1e9:
		return fmt.Sprintf("%.2f GB", f/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", f/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", f/1e3)
	}
	return fmt.Sprintf("%d bytes", n)
}

package download

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	hfhub "github.com/gomlx/go-huggingface/hub"
)

// client makes the hub's three requests: a revision's info, a file's
// metadata (HEAD) and a file's bytes (GET, from an offset), retrying what
// the network and the hub get wrong for a while (see Options.Retries).
type client struct {
	endpoint string
	token    string
	opt      Options
	get      *http.Client // follows redirects, sending the token to the hub's host only
	head     *http.Client // follows relative redirects only, as Python's huggingface_hub does
}

func newClient(opt Options) *client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = time.Minute
	// A relative redirect is the hub's (a renamed repo); an absolute one
	// leads to where the bytes are stored, and its answer holds the file's
	// metadata (X-Linked-Etag, X-Linked-Size).
	relativeOnly := func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("more than 10 redirects")
		}
		loc := req.Response.Header.Get("Location")
		if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
			return http.ErrUseLastResponse
		}
		return nil
	}
	return &client{
		endpoint: opt.endpoint(),
		token:    opt.token(),
		opt:      opt,
		get:      &http.Client{Transport: tr, CheckRedirect: noAuthElsewhere},
		head:     &http.Client{Transport: tr, CheckRedirect: relativeOnly},
	}
}

// noAuthElsewhere keeps the token from the hosts a redirect leads to (the
// storage that serves LFS files), as Python's requests does.
func noAuthElsewhere(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("more than 10 redirects")
	}
	if req.URL.Host != via[0].URL.Host {
		req.Header.Del("Authorization")
	}
	return nil
}

func (c *client) request(ctx context.Context, method, u string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("User-Agent", "qkv (github.com/qkvport/qkv)")
	req.Header.Set("Accept-Encoding", "identity") // sizes and ranges count stored bytes
	return req, nil
}

// fileURL is where the hub serves file of repo id at commit hash.
func (c *client) fileURL(id, hash, file string) string {
	parts := strings.Split(file, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return c.endpoint + "/" + id + "/resolve/" + hash + "/" + path.Join(parts...)
}

// info returns the hub's info on repo id at revision: its commit hash and
// file list.
func (c *client) info(ctx context.Context, id, rev string) (*hfhub.RepoInfo, error) {
	u := c.endpoint + "/api/models/" + id + "/revision/" + url.PathEscape(rev)
	var info hfhub.RepoInfo
	err := c.retry(ctx, func() (bool, error) {
		req, err := c.request(ctx, http.MethodGet, u)
		if err != nil {
			return false, err
		}
		resp, err := c.get.Do(req)
		if err != nil {
			return false, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return false, newStatusError(u, resp)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		if err != nil {
			return false, err
		}
		if err := json.Unmarshal(body, &info); err != nil {
			return false, noRetry{fmt.Errorf("%s answered no valid JSON: %w", u, err)}
		}
		return false, nil
	})
	return &info, err
}

// fileMeta is what a HEAD of a file's URL tells, read as Python's
// huggingface_hub reads it.
type fileMeta struct {
	url    string // the file's URL on the hub (every GET follows its redirect afresh: signed storage URLs expire)
	etag   string // the blob's name: X-Linked-Etag (LFS: the sha256), else the ETag
	size   int64  // X-Linked-Size, else Content-Length; -1 when unknown
	sha256 string // the content's sha256 when the etag is one (LFS files), else ""
}

// meta fetches the metadata of the file at u.
func (c *client) meta(ctx context.Context, u string) (fileMeta, error) {
	var m fileMeta
	err := c.retry(ctx, func() (bool, error) {
		req, err := c.request(ctx, http.MethodHead, u)
		if err != nil {
			return false, err
		}
		resp, err := c.head.Do(req)
		if err != nil {
			return false, err
		}
		resp.Body.Close()
		if resp.StatusCode >= 400 || resp.StatusCode < 200 {
			return false, newStatusError(u, resp)
		}
		m = parseMeta(u, resp)
		return false, nil
	})
	if err != nil {
		return m, err
	}
	if m.etag == "" || strings.ContainsAny(m.etag, `/\`) || m.etag == "." || m.etag == ".." {
		return m, fmt.Errorf("the hub gave no usable ETag for %s (%q)", u, m.etag)
	}
	return m, nil
}

func parseMeta(u string, resp *http.Response) fileMeta {
	m := fileMeta{url: u, size: -1}
	h := resp.Header
	m.etag = h.Get(hfhub.HeaderXLinkedETag)
	if m.etag == "" {
		m.etag = h.Get("ETag")
	}
	m.etag = strings.Trim(strings.TrimPrefix(m.etag, "W/"), `"`)
	size := h.Get(hfhub.HeaderXLinkedSize)
	if size == "" && resp.StatusCode == http.StatusOK {
		size = h.Get("Content-Length")
	}
	if n, err := strconv.ParseInt(size, 10, 64); err == nil && n >= 0 {
		m.size = n
	}
	if isSHA256(m.etag) {
		m.sha256 = m.etag
	}
	return m
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// statusError is an HTTP answer other than the one asked for.
type statusError struct {
	url    string
	code   int
	status string
	msg    string // the hub's X-Error-Message, if any
}

func newStatusError(u string, resp *http.Response) *statusError {
	return &statusError{url: u, code: resp.StatusCode, status: resp.Status, msg: resp.Header.Get("X-Error-Message")}
}

func (e *statusError) Error() string {
	s := fmt.Sprintf("the hub answered %s for %s", e.status, e.url)
	if e.msg != "" {
		s += " (" + e.msg + ")"
	}
	return s
}

// errStalled ends a try whose body brought no byte for Options.stallTimeout.
var errStalled = errors.New("no data came for too long")

// noRetry marks an error that another try would meet again.
type noRetry struct{ error }

func (e noRetry) Unwrap() error { return e.error }

// retriable reports whether err is worth another try: any failure of a
// connection that was made (reset, cut, stalled, an HTTP/2 stream error) and
// a 5xx or 429 answer. Not retried: a hub that cannot be reached (refused
// connection, unknown host, a certificate that does not verify), any other
// HTTP status, a failing disk, wrong bytes. (retry stops when its context
// ends.)
func retriable(err error) bool {
	var se *statusError
	var de *diskError
	var ve *verifyError
	var nr noRetry
	var ce *tls.CertificateVerificationError
	switch {
	case errors.As(err, &se):
		return se.code >= 500 || se.code == http.StatusTooManyRequests
	case errors.Is(err, errStalled), errors.Is(err, errRangeRefused):
		return true
	case errors.As(err, &de), errors.As(err, &ve), errors.As(err, &nr), errors.As(err, &ce), unreachable(err):
		return false
	}
	return true
}

// retriesError is the last error of a request that failed every try.
type retriesError struct {
	tries int
	err   error
}

func (e *retriesError) Error() string {
	what := e.err.Error()
	var ue *url.Error
	if errors.As(e.err, &ue) { // not the storage's long signed URL
		what = ue.Err.Error()
	}
	var se *statusError
	if !errors.As(e.err, &se) {
		what = "the transfer broke off (" + what + ")"
	}
	if e.tries == 1 {
		return what + " (no retries)"
	}
	return fmt.Sprintf("%s (%d tries)", what, e.tries)
}
func (e *retriesError) Unwrap() error { return e.err }

// retry runs try until it succeeds, fails with an error that is not
// retriable, or fails opt.retries()+1 times in a row; the waits between tries
// double from opt.retryWait(). A try that reports progress (it brought bytes)
// starts the count afresh.
func (c *client) retry(ctx context.Context, try func() (progressed bool, err error)) error {
	wait, fails := c.opt.retryWait(), 0
	for {
		progressed, err := try()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			if !errors.Is(err, ctx.Err()) {
				err = fmt.Errorf("%w (%v)", ctx.Err(), err)
			}
			return err
		}
		if !retriable(err) {
			return err
		}
		if progressed {
			wait, fails = c.opt.retryWait(), 0
		}
		fails++
		if fails > c.opt.retries() {
			return &retriesError{tries: fails, err: err}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (%v)", ctx.Err(), err)
		case <-time.After(wait):
		}
		wait *= 2
	}
}

package corpus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/qkvport/qkv/internal/atomicfile"
	"github.com/qkvport/qkv/internal/xdg"
)

// GatsbyURL is The Great Gatsby, Project Gutenberg ebook 64317, plain text:
// the chapter's text.
const GatsbyURL = "https://www.gutenberg.org/cache/epub/64317/pg64317.txt"

// maxTextBytes bounds a download, so that a wrong URL cannot fill memory.
const maxTextBytes = 1 << 30

// FetchOptions configures Fetch. The zero value uses the defaults.
type FetchOptions struct {
	// CacheDir holds downloaded texts; "" means DefaultCacheDir().
	CacheDir string
	// Client downloads; nil means http.DefaultClient.
	Client *http.Client
}

// DefaultCacheDir returns the folder of downloaded texts:
// $XDG_CACHE_HOME/qkv/text when XDG_CACHE_HOME is set, else ~/.cache/qkv/text.
func DefaultCacheDir() (string, error) {
	dir, err := xdg.CacheDir("text")
	if err != nil {
		return "", fmt.Errorf("corpus: %w", err)
	}
	return dir, nil
}

// IsURL reports whether src is an http or https URL (else Fetch reads it as a
// file path).
func IsURL(src string) bool {
	s := strings.ToLower(src)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// CacheName returns the file name under which a download of rawURL is
// cached: 16 hex digits of the URL's sha256, a dash and the URL's base name,
// e.g. "0123456789abcdef-pg64317.txt".
func CacheName(rawURL string) string {
	sum := sha256.Sum256([]byte(rawURL))
	base := "text"
	if u, err := url.Parse(rawURL); err == nil {
		if b := unsafeName.ReplaceAllString(path.Base(u.Path), "_"); b != "" && b != "." && b != "_" && b != ".." {
			base = b
		}
	}
	return hex.EncodeToString(sum[:8]) + "-" + base
}

// Fetch returns the text at src, a local file path or an http(s) URL.
//
// A URL is read from the cache folder when a copy is there; otherwise it is
// downloaded, and the body of a 200 response is written to the cache
// atomically (temporary file and rename), so an interrupted download leaves
// nothing behind. With no network and no cached copy, the error names the URL
// and says to pass a local file instead.
//
// The text must be non-empty UTF-8; it is returned unchanged.
func Fetch(ctx context.Context, src string, opt FetchOptions) (string, error) {
	if src == "" {
		return "", errors.New("corpus: no text given; pass a URL or a local file with -text FILE")
	}
	if !IsURL(src) {
		b, err := os.ReadFile(src)
		if err != nil {
			return "", fmt.Errorf("corpus: reading the text: %w", err)
		}
		return checkText(b, src)
	}
	dir := opt.CacheDir
	if dir == "" {
		var err error
		if dir, err = DefaultCacheDir(); err != nil {
			return "", err
		}
	}
	cached := filepath.Join(dir, CacheName(src))
	if b, err := os.ReadFile(cached); err == nil {
		text, err := checkText(b, cached)
		if err != nil {
			return "", fmt.Errorf("%w (cached copy of %s: delete it to download again)", err, src)
		}
		return text, nil
	}
	b, err := download(ctx, src, opt.Client)
	if err != nil {
		return "", fmt.Errorf("corpus: cannot download %s (%v) and there is no cached copy in %s; "+
			"pass a local copy of the text with -text FILE (or set QKV_TEXT in notebooks)", src, err, dir)
	}
	text, err := checkText(b, src)
	if err != nil {
		return "", err
	}
	if err := writeAtomic(cached, b); err != nil {
		return "", err
	}
	return text, nil
}

// download returns the body of a 200 response to a GET of rawURL.
func download(ctx context.Context, rawURL string, client *http.Client) ([]byte, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP status %s", resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxTextBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	if len(b) > maxTextBytes {
		return nil, fmt.Errorf("the response is larger than %d bytes", maxTextBytes)
	}
	return b, nil
}

// writeAtomic writes data to path, creating its folder, through
// internal/atomicfile.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("corpus: creating the cache folder: %w", err)
	}
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("corpus: caching the text: %w", err)
	}
	return nil
}

// checkText returns b as a string when it is non-empty, valid UTF-8.
func checkText(b []byte, where string) (string, error) {
	if len(b) == 0 {
		return "", fmt.Errorf("corpus: the text %s is empty", where)
	}
	if !utf8.Valid(b) {
		off := 0
		for off < len(b) {
			r, n := utf8.DecodeRune(b[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return "", fmt.Errorf("corpus: the text %s is not valid UTF-8 (first bad byte at offset %d); convert it to UTF-8, e.g. iconv -t UTF-8", where, off)
	}
	return string(b), nil
}

package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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

// DefaultCacheDir returns the folder of downloaded texts:
// $XDG_CACHE_HOME/qkv/text when XDG_CACHE_HOME is set, else ~/.cache/qkv/text.
func DefaultCacheDir() (string, error) {
	dir, err := xdg.CacheDir("text")
	if err != nil {
		return "", fmt.Errorf("corpus: %w", err)
	}
	return dir, nil
}

// IsURL reports whether src is an http or https URL (else ReadText reads it
// as a file path).
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

// NotCachedError is ReadText's error for a URL whose text is not in the
// cache: it must be downloaded first (qkvlib/download's Text does).
type NotCachedError struct {
	URL  string // the text's URL
	Dir  string // the cache folder
	Path string // the file in Dir that would hold the text
}

func (e *NotCachedError) Error() string {
	return fmt.Sprintf("corpus: the text %s is not in the cache (%s) and is not downloaded here: "+
		"run \"qkv fetch -text %s\" on a connected machine (and copy %s here), "+
		"or pass a local copy of the text with -text FILE (or set QKV_TEXT in notebooks)", e.URL, e.Dir, e.URL, e.Path)
}

// ReadText returns the text at src, a local file path or an http(s) URL,
// without network: a file is read; a URL is read from the cache folder
// cacheDir ("" for DefaultCacheDir), else the error is a *NotCachedError.
//
// The text must be non-empty UTF-8; it is returned unchanged.
func ReadText(src, cacheDir string) (string, error) {
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
	cached, err := cachePath(src, cacheDir)
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(cached)
	if err != nil {
		return "", &NotCachedError{URL: src, Dir: filepath.Dir(cached), Path: cached}
	}
	text, err := checkText(b, cached)
	if err != nil {
		return "", fmt.Errorf("%w (cached copy of %s: delete it to download again)", err, src)
	}
	return text, nil
}

// CacheText checks that data, the body downloaded from rawURL, is a
// non-empty UTF-8 text and writes it to the cache folder cacheDir ("" for
// DefaultCacheDir) atomically (temporary file and rename), so that an
// interrupted write leaves nothing behind. It returns the text.
func CacheText(rawURL, cacheDir string, data []byte) (string, error) {
	text, err := checkText(data, rawURL)
	if err != nil {
		return "", err
	}
	cached, err := cachePath(rawURL, cacheDir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(cached), 0o755); err != nil {
		return "", fmt.Errorf("corpus: creating the cache folder: %w", err)
	}
	if err := atomicfile.WriteFile(cached, data); err != nil {
		return "", fmt.Errorf("corpus: caching the text: %w", err)
	}
	return text, nil
}

// cachePath is the file of the cache folder dir ("" for DefaultCacheDir)
// that holds the text of rawURL.
func cachePath(rawURL, dir string) (string, error) {
	if dir == "" {
		var err error
		if dir, err = DefaultCacheDir(); err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, CacheName(rawURL)), nil
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

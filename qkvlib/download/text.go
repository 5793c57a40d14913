package download

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/qkvport/qkv/qkvlib/corpus"
)

// maxTextBytes bounds a text's download, so that a wrong URL cannot fill
// memory.
const maxTextBytes = 1 << 30

// TextOptions configure Text. The zero value uses the defaults.
type TextOptions struct {
	// CacheDir holds downloaded texts; "" means corpus.DefaultCacheDir().
	CacheDir string
	// Client downloads; nil means http.DefaultClient.
	Client *http.Client
}

// Text returns the text at src, a local file path or an http(s) URL, as
// corpus.ReadText reads it, downloading a URL whose text is not in the cache.
//
// The body of a 200 response is written to the cache with corpus.CacheText
// (atomically: an interrupted download leaves nothing behind), and is read
// from there afterwards, without network. With no network and no cached
// copy, the error names the URL and says to pass a local file instead.
//
// The text must be non-empty UTF-8; it is returned unchanged.
func Text(ctx context.Context, src string, opt TextOptions) (string, error) {
	text, err := corpus.ReadText(src, opt.CacheDir)
	var miss *corpus.NotCachedError
	if !errors.As(err, &miss) {
		return text, err
	}
	b, err := getText(ctx, src, opt.Client)
	if err != nil {
		return "", fmt.Errorf("corpus: cannot download %s (%v) and there is no cached copy in %s; "+
			"pass a local copy of the text with -text FILE (or set QKV_TEXT in notebooks)", src, err, miss.Dir)
	}
	return corpus.CacheText(src, opt.CacheDir, b)
}

// getText returns the body of a 200 response to a GET of rawURL.
func getText(ctx context.Context, rawURL string, client *http.Client) ([]byte, error) {
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

package corpus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
)

const textPath = "/cache/epub/64317/pg64317.txt"

// Not normalised: a BOM-less UTF-8 text with CRLF and non-ASCII kept as is.
const sampleText = "The Great Gatsby\r\nIn my younger and more vulnerable years — “like” it.\n"

func TestFetchCachesDownload(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != textPath {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(sampleText))
	}))
	url := srv.URL + textPath
	dir := filepath.Join(t.TempDir(), "text")
	opt := FetchOptions{CacheDir: dir, Client: srv.Client()}

	text, err := Fetch(context.Background(), url, opt)
	if err != nil {
		t.Fatal(err)
	}
	if text != sampleText {
		t.Errorf("Fetch = %q, want %q", text, sampleText)
	}
	files := testenv.DirNames(t, dir)
	if len(files) != 1 || files[0] != CacheName(url) || !strings.HasSuffix(files[0], "-pg64317.txt") {
		t.Errorf("cache holds %v, want [%s]", files, CacheName(url))
	}

	srv.Close() // the second fetch must not need the server
	text, err = Fetch(context.Background(), url, opt)
	if err != nil {
		t.Fatalf("second Fetch with the server down: %v", err)
	}
	if text != sampleText || hits.Load() != 1 {
		t.Errorf("second Fetch = %q after %d requests, want the cached text after 1", text, hits.Load())
	}
}

func TestFetchDownloadErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc // nil: the server is down
		error   []string         // substrings of the error
	}{
		{"404", func(w http.ResponseWriter, r *http.Request) {
			http.NotFound(w, r)
		}, []string{"404", "-text FILE", "QKV_TEXT", "no cached copy"}},
		{"server down", nil, []string{"-text FILE", "no cached copy"}},
		{"interrupted", func(w http.ResponseWriter, r *http.Request) {
			// Promise 1000 bytes, send a few, drop the connection.
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				panic(err)
			}
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nThe Great")
			buf.Flush()
			conn.Close()
		}, []string{"-text FILE", "unexpected EOF"}},
		{"empty", func(w http.ResponseWriter, r *http.Request) {}, []string{"is empty"}},
		{"invalid UTF-8", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("ab\xffc"))
		}, []string{"not valid UTF-8", "offset 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			if tt.handler == nil {
				srv.Close()
			} else {
				defer srv.Close()
			}
			url := srv.URL + textPath
			dir := filepath.Join(t.TempDir(), "text")
			_, err := Fetch(context.Background(), url, FetchOptions{CacheDir: dir, Client: srv.Client()})
			if err == nil {
				t.Fatal("Fetch succeeded")
			}
			for _, want := range append(tt.error, url) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %v, want one containing %q", err, want)
				}
			}
			if files := testenv.DirNames(t, dir); len(files) != 0 {
				t.Errorf("a failed download left %v in the cache", files)
			}
		})
	}
}

func TestFetchBadCachedCopy(t *testing.T) {
	dir := t.TempDir()
	url := "https://example.invalid/book.txt"
	cached := filepath.Join(dir, CacheName(url))
	if err := os.WriteFile(cached, []byte("\xfe\xff"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Fetch(context.Background(), url, FetchOptions{CacheDir: dir})
	if err == nil || !strings.Contains(err.Error(), "delete it") || !strings.Contains(err.Error(), cached) {
		t.Errorf("err = %v, want one naming %s and saying to delete it", err, cached)
	}
}

func TestFetchLocalFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name  string
		path  string
		text  string
		error string
	}{
		{"text", write("ok.txt", sampleText), sampleText, ""},
		{"empty", write("empty.txt", ""), "", "is empty"},
		{"invalid UTF-8", write("latin1.txt", "caf\xe9 au lait"), "", "first bad byte at offset 3"},
		{"missing", filepath.Join(dir, "nope.txt"), "", "no such file"},
		{"no source", "", "", "-text FILE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, err := Fetch(context.Background(), tt.path, FetchOptions{CacheDir: filepath.Join(dir, "cache")})
			if tt.error == "" {
				if err != nil || text != tt.text {
					t.Errorf("Fetch = %q, %v; want %q", text, err, tt.text)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.error) {
				t.Errorf("err = %v, want one containing %q", err, tt.error)
			}
		})
	}
	if files := testenv.DirNames(t, filepath.Join(dir, "cache")); len(files) != 0 {
		t.Errorf("reading local files cached %v", files)
	}
}

func TestCacheName(t *testing.T) {
	tests := []struct{ url, want string }{
		// The prefix is the start of `printf %s URL | sha256sum`.
		{GatsbyURL, `^922afe0e40c21f26-pg64317\.txt$`},
		{"http://host/", `^[0-9a-f]{16}-text$`},
		{"http://host/a b?.txt", `^[0-9a-f]{16}-a_b$`},
		{"http://host/../..", `^[0-9a-f]{16}-text$`},
	}
	for _, tt := range tests {
		if got := CacheName(tt.url); !regexp.MustCompile(tt.want).MatchString(got) {
			t.Errorf("CacheName(%q) = %q, want a match of %s", tt.url, got, tt.want)
		}
	}
}

func TestFetchGatsby(t *testing.T) {
	path := testenv.SharedData(t, "gatsby", "pg64317.txt")
	text, err := Fetch(context.Background(), path, FetchOptions{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(text) != 299767 {
		t.Errorf("Gatsby is %d bytes, want 299,767", len(text))
	}
	// The sha256 listed in ../shared/data/README.md.
	sum := sha256.Sum256([]byte(text))
	if got := hex.EncodeToString(sum[:]); got != "3865269180ab760c1ddcae0bd540c8c2ce2824fc8d7a556721f1ab8d68b3434b" {
		t.Errorf("Gatsby sha256 = %s", got)
	}
}

package download

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
	"github.com/qkvport/qkv/qkvlib/corpus"
)

const textPath = "/cache/epub/64317/pg64317.txt"

// A UTF-8 text with CRLF and non-ASCII, which must come back unchanged.
const sampleText = "The Great Gatsby\r\nIn my younger and more vulnerable years — “like” it.\n"

func TestTextCachesDownload(t *testing.T) {
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
	opt := TextOptions{CacheDir: dir, Client: srv.Client()}

	text, err := Text(context.Background(), url, opt)
	if err != nil {
		t.Fatal(err)
	}
	if text != sampleText {
		t.Errorf("Text = %q, want %q", text, sampleText)
	}
	files := testenv.DirNames(t, dir)
	if len(files) != 1 || files[0] != corpus.CacheName(url) || !strings.HasSuffix(files[0], "-pg64317.txt") {
		t.Errorf("cache holds %v, want [%s]", files, corpus.CacheName(url))
	}

	srv.Close() // the second fetch must not need the server
	text, err = Text(context.Background(), url, opt)
	if err != nil {
		t.Fatalf("second Text with the server down: %v", err)
	}
	if text != sampleText || hits.Load() != 1 {
		t.Errorf("second Text = %q after %d requests, want the cached text after 1", text, hits.Load())
	}
}

func TestTextDownloadErrors(t *testing.T) {
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
			_, err := Text(context.Background(), url, TextOptions{CacheDir: dir, Client: srv.Client()})
			if err == nil {
				t.Fatal("Text succeeded")
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

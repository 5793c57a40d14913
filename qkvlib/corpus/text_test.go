package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
)

// Not normalised: a BOM-less UTF-8 text with CRLF and non-ASCII kept as is.
const sampleText = "The Great Gatsby\r\nIn my younger and more vulnerable years — “like” it.\n"

func TestReadTextLocalFile(t *testing.T) {
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
			text, err := ReadText(tt.path, filepath.Join(dir, "cache"))
			if tt.error == "" {
				if err != nil || text != tt.text {
					t.Errorf("ReadText = %q, %v; want %q", text, err, tt.text)
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

func TestReadTextBadCachedCopy(t *testing.T) {
	dir := t.TempDir()
	url := "https://example.invalid/book.txt"
	cached := filepath.Join(dir, CacheName(url))
	if err := os.WriteFile(cached, []byte("\xfe\xff"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadText(url, dir)
	if err == nil || !strings.Contains(err.Error(), "delete it") || !strings.Contains(err.Error(), cached) {
		t.Errorf("err = %v, want one naming %s and saying to delete it", err, cached)
	}
}

func TestReadTextNotCached(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "text")
	_, err := ReadText(GatsbyURL, dir)
	var miss *NotCachedError
	if !errors.As(err, &miss) || miss.URL != GatsbyURL || miss.Dir != dir || miss.Path != filepath.Join(dir, CacheName(GatsbyURL)) {
		t.Fatalf("err = %v (%+v), want a *NotCachedError for %s in %s", err, miss, GatsbyURL, dir)
	}
	for _, want := range []string{"qkv fetch -text " + GatsbyURL, "-text FILE", "QKV_TEXT"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want one containing %q", err, want)
		}
	}

	// Once the text is cached (as a download does), it is read from there.
	if text, err := CacheText(GatsbyURL, dir, []byte(sampleText)); err != nil || text != sampleText {
		t.Fatalf("CacheText = %q, %v", text, err)
	}
	if text, err := ReadText(GatsbyURL, dir); err != nil || text != sampleText {
		t.Fatalf("ReadText of the cached text = %q, %v", text, err)
	}
	if _, err := CacheText(GatsbyURL, dir, nil); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("CacheText of an empty body: %v", err)
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

func TestReadTextGatsby(t *testing.T) {
	path := testenv.SharedData(t, "gatsby", "pg64317.txt")
	text, err := ReadText(path, t.TempDir())
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

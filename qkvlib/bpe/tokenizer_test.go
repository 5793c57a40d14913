package bpe

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/qkvport/qkv/internal/testenv"
)

// tinyLoaders load testdata/tiny (byte b has id b; merges build "hello" = 259
// and "Ġworld" = 264) through each load path.
var tinyLoaders = map[string]func() (*Tokenizer, error){
	"FromFiles": func() (*Tokenizer, error) {
		return FromFiles(filepath.Join("testdata", "tiny", "vocab.json"), filepath.Join("testdata", "tiny", "merges.txt"))
	},
	"FromTokenizerJSON": func() (*Tokenizer, error) {
		return FromTokenizerJSON(filepath.Join("testdata", "tiny", "tokenizer.json"))
	},
	"Load": func() (*Tokenizer, error) { return Load(filepath.Join("testdata", "tiny")) },
}

// TestTinyEncode checks merges worked out by hand on the tiny tokenizer.
func TestTinyEncode(t *testing.T) {
	tests := []struct {
		text string
		want []int
	}{
		{"", []int{}},
		{"hello world", []int{259, 264}},
		{"hell", []int{258}},
		{"llll", []int{257, 257}},            // "l l" merges at every non-overlapping place
		{"lll", []int{257, 'l'}},             // left to right
		{"hhe", []int{'h', 256}},             // "h e" only where it occurs
		{"world", []int{'w', 261, 'l', 'd'}}, // "Ġw or" needs the space
		{"  world", []int{32, 264}},          // pieces " ", " world"; byte 32 is "Ġ"
		{"ohell", []int{'o', 258}},           // "hell o" has nothing to its right
		{"\u00e9", []int{0xc3, 0xa9}},        // UTF-8 bytes, one token each
	}
	for name, load := range tinyLoaders {
		tok, err := load()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wantSize := 265 // ids 0..264
		if name == "FromTokenizerJSON" {
			wantSize = 266 // and the added token 265
		}
		if got := tok.VocabSize(); got != wantSize {
			t.Errorf("%s: VocabSize() = %d, want %d", name, got, wantSize)
		}
		for _, tc := range tests {
			got := tok.Encode(tc.text)
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s: Encode(%q) = %v, want %v", name, tc.text, got, tc.want)
			}
			// Twice: the second answer comes from the cache.
			if again := tok.Encode(tc.text); !slices.Equal(again, tc.want) {
				t.Errorf("%s: second Encode(%q) = %v, want %v", name, tc.text, again, tc.want)
			}
		}
	}
}

// TestEncodeConcurrent encodes from several goroutines on one Tokenizer, each
// text against its hand-worked ids, while the cache fills (run with -race).
func TestEncodeConcurrent(t *testing.T) {
	tok, err := tinyLoaders["FromFiles"]()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []int
	}{
		{"hello world", []int{259, 264}}, {"llll", []int{257, 257}}, {"hhe", []int{'h', 256}},
		{"ohell", []int{'o', 258}}, {"  world", []int{32, 264}}, {"\u00e9", []int{0xc3, 0xa9}},
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 300 {
				tc := tests[(g+i)%len(tests)]
				if got := tok.Encode(tc.text); !slices.Equal(got, tc.want) {
					t.Errorf("Encode(%q) = %v, want %v", tc.text, got, tc.want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestTinyDecode(t *testing.T) {
	for name, load := range tinyLoaders {
		tok, err := load()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text, err := tok.Decode([]int{259, 264, 32, 0xc3, 0xa9})
		if err != nil || text != "hello world \u00e9" {
			t.Errorf("%s: Decode = %q, %v; want %q", name, text, err, "hello world \u00e9")
		}
		if s, err := tok.DecodeToken(264); err != nil || s != " world" {
			t.Errorf("%s: DecodeToken(264) = %q, %v; want \" world\"", name, s, err)
		}
		if id, ok := tok.ID("Ġworld"); !ok || id != 264 {
			t.Errorf(`%s: ID("Ġworld") = %d, %v; want 264, true`, name, id, ok)
		}
		if _, ok := tok.ID(" world"); ok {
			t.Errorf(`%s: ID(" world") found a raw-text entry; vocabulary entries are in bytes_to_unicode form`, name)
		}
		for _, bad := range [][]int{{-1}, {259, tok.VocabSize()}, {1 << 40}} {
			if s, err := tok.Decode(bad); err == nil {
				t.Errorf("%s: Decode(%v) = %q, want an error", name, bad, s)
			}
			if s, err := tok.DecodeToken(bad[len(bad)-1]); err == nil {
				t.Errorf("%s: DecodeToken(%d) = %q, want an error", name, bad[len(bad)-1], s)
			}
		}
	}
	tok, err := tinyLoaders["FromTokenizerJSON"]()
	if err != nil {
		t.Fatal(err)
	}
	if s, err := tok.DecodeToken(265); err != nil || s != "<|endoftext|>" {
		t.Errorf("DecodeToken(265), the added token, = %q, %v", s, err)
	}
}

// TestDecodeOutOfRangeGPT2 checks the bounds on the real vocabulary.
func TestDecodeOutOfRangeGPT2(t *testing.T) {
	tok := loadGPT2(t)
	if n := tok.VocabSize(); n != 50257 {
		t.Fatalf("VocabSize() = %d, want 50257", n)
	}
	if s, err := tok.DecodeToken(588); err != nil || s != " like" {
		t.Errorf("DecodeToken(588) = %q, %v; want \" like\"", s, err)
	}
	if s, err := tok.DecodeToken(50256); err != nil || s != "<|endoftext|>" {
		t.Errorf("DecodeToken(50256) = %q, %v", s, err)
	}
	for _, id := range []int{-1, 50257, 1 << 31} {
		if s, err := tok.Decode([]int{588, id}); err == nil {
			t.Errorf("Decode([588 %d]) = %q, want an error", id, s)
		}
	}
}

// TestLoadErrors checks that broken files give errors that name the file.
func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tinyVocab, err := os.ReadFile(filepath.Join("testdata", "tiny", "vocab.json"))
	if err != nil {
		t.Fatal(err)
	}
	goodVocab := write("good_vocab.json", string(tinyVocab))
	goodMerges := filepath.Join("testdata", "tiny", "merges.txt")
	tests := []struct {
		name string
		load func() (*Tokenizer, error)
		want []string // substrings of the error
	}{
		{"empty folder", func() (*Tokenizer, error) { return Load(t.TempDir()) }, []string{"neither vocab.json"}},
		{"missing vocab", func() (*Tokenizer, error) { return FromFiles(filepath.Join(dir, "none.json"), goodMerges) }, []string{"none.json"}},
		{"missing merges", func() (*Tokenizer, error) { return FromFiles(goodVocab, filepath.Join(dir, "none.txt")) }, []string{"none.txt"}},
		{"vocab not JSON", func() (*Tokenizer, error) { return FromFiles(write("v1.json", "{\"a\": "), goodMerges) }, []string{"v1.json", "JSON object"}},
		{"vocab of strings", func() (*Tokenizer, error) { return FromFiles(write("v2.json", `{"a": "b"}`), goodMerges) }, []string{"v2.json"}},
		{"vocab lacks bytes", func() (*Tokenizer, error) { return FromFiles(write("v3.json", `{"a": 0}`), goodMerges) }, []string{"v3.json", "byte"}},
		{"merge line with three tokens", func() (*Tokenizer, error) {
			return FromFiles(goodVocab, write("m1.txt", "#version: 0.2\nh e\na b c\n"))
		}, []string{"m1.txt line 3", "two tokens"}},
		{"merge of unknown tokens", func() (*Tokenizer, error) { return FromFiles(goodVocab, write("m2.txt", "q z\n")) }, []string{"m2.txt", `"q" "z"`}},
		{"tokenizer.json not JSON", func() (*Tokenizer, error) { return FromTokenizerJSON(write("t1.json", "[")) }, []string{"t1.json"}},
		{"tokenizer.json without model", func() (*Tokenizer, error) { return FromTokenizerJSON(write("t2.json", `{"version": "1.0"}`)) }, []string{"t2.json", "model.vocab"}},
		{"tokenizer.json WordPiece", func() (*Tokenizer, error) {
			return FromTokenizerJSON(write("t3.json", `{"model": {"type": "WordPiece", "vocab": {}, "merges": []}}`))
		}, []string{"t3.json", "WordPiece"}},
		{"tokenizer.json bad merge", func() (*Tokenizer, error) {
			return FromTokenizerJSON(write("t4.json", `{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [1]}}`))
		}, []string{"t4.json", "merges[0]"}},
	}
	for _, tc := range tests {
		tok, err := tc.load()
		if err == nil {
			t.Errorf("%s: loaded %v, want an error", tc.name, tok)
			continue
		}
		t.Logf("%s: %v", tc.name, err)
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", tc.name, err, w)
			}
		}
	}
	if _, err := FromFiles(filepath.Join(dir, "none.json"), goodMerges); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file's error %v does not wrap fs.ErrNotExist", err)
	}
}

// TestCompiledEqualsParsed checks that a tokenizer read back from its
// compiled form encodes, decodes and looks up ids exactly as the parsed one,
// and that Load uses the cache (and survives a damaged one).
func TestCompiledEqualsParsed(t *testing.T) {
	dir := testenv.SharedData(t, "gpt2-tokenizer")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	parsed, err := FromFiles(filepath.Join(dir, "vocab.json"), filepath.Join(dir, "merges.txt"))
	if err != nil {
		t.Fatal(err)
	}
	compiled, err := unmarshalTokenizer(parsed.marshalBinary())
	if err != nil {
		t.Fatal(err)
	}
	text := "Hello, world! It's like 1234 — naïve café 🙂 \t\n  like  like"
	if g, w := compiled.Encode(text), parsed.Encode(text); !slices.Equal(g, w) {
		t.Fatalf("compiled Encode = %v, parsed %v", g, w)
	}
	for id := range parsed.VocabSize() {
		g, gerr := compiled.DecodeToken(id)
		w, werr := parsed.DecodeToken(id)
		if g != w || (gerr == nil) != (werr == nil) {
			t.Fatalf("DecodeToken(%d): compiled %q, parsed %q", id, g, w)
		}
	}
	for k, id := range parsed.vocab {
		if got, ok := compiled.ID(k); !ok || got != id {
			t.Fatalf("ID(%q) = %d, %v; want %d", k, got, ok, id)
		}
	}
	first, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	path, err := compiledPath(filepath.Join(dir, "vocab.json"), filepath.Join(dir, "merges.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("Load did not cache the compiled tokenizer: %v", err)
	}
	if err := os.WriteFile(path, []byte(compiledMagic+"garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := Load(dir)
	if err != nil || !slices.Equal(again.Encode(text), first.Encode(text)) {
		t.Fatalf("Load over a damaged cache: %v", err)
	}
}

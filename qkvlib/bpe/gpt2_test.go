package bpe

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qkvport/qkv/internal/testenv"
)

// hardStrings are texts where a pre-tokenizer or byte mapping easily goes
// wrong. All are valid UTF-8 and avoid U+0085 and U+FEFF, where the npm
// reference's \s differs from Python's (see TestPiecesHandWorked).
var hardStrings = []string{
	"", "\n", "\n\n\n", "Hello\n\nworld", "line one\nline two\n",
	"a  b", "a   b", "word   ", "   leading", "end \n", " ", "   ", "x  \n  y",
	"\tTabbed\t\tline\t", "\t\t", " \t x",
	"I'll", "don't", "'S", "HE'S", "It'S", "we're they've I'm he'd", "''s", " 's", "'", "rock'n'roll",
	"1234567890", "3.14159", "in 1922,", "$1,000,000", "ab12cd",
	"\u2014", "he said\u2014\u201cno\u201d\u2014and left", "\u2019", "\u2018quoted\u2019", "\u201cHi,\u201d",
	"caf\u00e9 na\u00efve Zo\u00eb", "e\u0301", "a\u0308\u0301b", "Stra\u00dfe \u0416\u0443\u043a",
	"\u4e2d\u6587\u5b57\u7b26", "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8", "\ud55c\uad6d\uc5b4",
	"\U0001F600\U0001F44D\U0001F3FD\U0001F1FA\U0001F1F8", "a\U0001F600b", "\u200d\u200b",
	"a\r\nb\r\n", "\r\n\r\n", "\r",
	"\u00a0x", "x\u00a0\u00a0y", "x \u00a0y", "\u3000y", "  \u3000 y", "\u3000",
	"\u216b \u00bd \u00b2 \u0663", "<|endoftext|>", "\x00\x01\x7f", "\x1c\x1d x",
	"The Great Gatsby\r\n\r\n  by F. Scott Fitzgerald\n",
}

// TestEncodeGatsby checks the whole book against the reference, through both
// load paths, and the counts the chapter relies on; through Load, twice: the
// second time the ids come from the cache of long texts.
func TestEncodeGatsby(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	data, err := os.ReadFile(testenv.SharedData(t, "gatsby", "pg64317.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	dir := gpt2Dir(t)
	want := referenceIDs(t, text)
	if len(want) != 82439 {
		t.Fatalf("the reference gives %d tokens, the data README says 82,439: is this the right edition?", len(want))
	}
	loaders := map[string]func() (*Tokenizer, error){
		"vocab.json+merges.txt": func() (*Tokenizer, error) {
			return FromFiles(filepath.Join(dir, "vocab.json"), filepath.Join(dir, "merges.txt"))
		},
		"tokenizer.json": func() (*Tokenizer, error) { return FromTokenizerJSON(filepath.Join(dir, "tokenizer.json")) },
		"Load":           func() (*Tokenizer, error) { return Load(dir) },
		"Load, again":    func() (*Tokenizer, error) { return Load(dir) },
	}
	for _, name := range slices.Sorted(maps.Keys(loaders)) { // "Load" before "Load, again"
		t.Run(name, func(t *testing.T) {
			if kept, _ := filepath.Glob(filepath.Join(cache, "qkv", "bpe", "*.ids")); name == "Load, again" && len(kept) != 1 {
				t.Fatalf("the first Load's Encode kept %v, want one file of ids", kept)
			}
			tok, err := loaders[name]()
			if err != nil {
				t.Fatal(err)
			}
			got := tok.Encode(text)
			if len(got) != 82439 {
				t.Errorf("Encode gives %d tokens, want 82,439", len(got))
			}
			if i := firstDifference(got, want); i >= 0 {
				t.Fatalf("Encode differs from the reference at token %d: got %v, want %v (text %q)",
					i, window(got, i), window(want, i), decodeWindow(tok, want, i))
			}
			like, ok := tok.ID("Ġlike")
			if !ok || like != 588 {
				t.Fatalf(`ID("Ġlike") = %d, %v; want 588, true`, like, ok)
			}
			if n := count(got, like); n != 114 {
				t.Errorf(`" like" occurs %d times, want 114`, n)
			}
			if back, err := tok.Decode(got); err != nil || back != text {
				t.Errorf("Decode(Encode(text)) does not give the text back (err %v)", err)
			}
		})
	}
}

// TestEncodeHardStrings compares ids and pre-tokens with the reference.
func TestEncodeHardStrings(t *testing.T) {
	compareWithReference(t, loadGPT2(t), hardStrings)
}

// TestEncodeRandomStrings compares ids and pre-tokens with the reference on
// random mixtures of the characters and fragments the pattern cares about,
// in one batch call to node.
func TestEncodeRandomStrings(t *testing.T) {
	fragments := []string{
		" ", " ", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\u00a0", "\u3000", "\u2028", "\x0b", "\x0c", "\x1c",
		"'", "'s", "'S", "'t", "'re", "'ve", "'m", "'ll", "'d", "'l", "'r",
		"a", "Z", "like", "the", "\u00e9", "e\u0301", "\u00df", "\u0436", "\u4e2d\u6587", "\u65e5\u672c",
		"\U0001F600", "\U0001F44D\U0001F3FD", "1", "42", "\u00bd", "\u00b2", "\u0663", "\u216b",
		".", ",", "!", "?", "-", "_", "$", "\u2014", "\u2019", "\u201c", "\u201d", "\u200b", "\u0301",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	texts := make([]string, 2000)
	for i := range texts {
		var b strings.Builder
		for range 1 + rng.IntN(16) {
			b.WriteString(fragments[rng.IntN(len(fragments))])
		}
		texts[i] = b.String()
	}
	compareWithReference(t, loadGPT2(t), texts)
}

func compareWithReference(t *testing.T, tok *Tokenizer, texts []string) {
	t.Helper()
	wantIDs, wantPieces := referenceBatch(t, texts)
	failures := 0
	for i, text := range texts {
		got := pieces(text)
		if !slices.Equal(got, wantPieces[i]) {
			t.Errorf("pieces(%q) = %q, reference %q", text, got, wantPieces[i])
			failures++
		}
		ids := tok.Encode(text)
		if !slices.Equal(ids, wantIDs[i]) && !(len(ids) == 0 && len(wantIDs[i]) == 0) {
			t.Errorf("Encode(%q) = %v, reference %v", text, ids, wantIDs[i])
			failures++
		}
		if back, err := tok.Decode(ids); err != nil || back != text {
			t.Errorf("Decode(Encode(%q)) = %q, %v", text, back, err)
			failures++
		}
		if failures > 20 {
			t.Fatal("too many failures")
		}
	}
}

// FuzzRoundTrip checks that Decode(Encode(x)) == x, and that the pre-tokens
// tile x, for any input (the seeds are the hard strings).
func FuzzRoundTrip(f *testing.F) {
	for _, s := range hardStrings {
		f.Add(s)
	}
	f.Add("a \u0085b \ufeffc")
	f.Add("ab\xff\xfecd \xc3")
	tok := loadGPT2(f)
	f.Fuzz(func(t *testing.T, text string) {
		if strings.Join(pieces(text), "") != text {
			t.Fatalf("pieces(%q) do not tile the text", text)
		}
		ids := tok.Encode(text)
		back, err := tok.Decode(ids)
		if err != nil {
			t.Fatal(err)
		}
		if back != text {
			t.Fatalf("Decode(Encode(%q)) = %q (valid UTF-8 input: %v)", text, back, utf8.ValidString(text))
		}
	})
}

func firstDifference(a, b []int) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func window(ids []int, i int) []int { return ids[max(0, i-3):min(len(ids), i+4)] }

func decodeWindow(tok *Tokenizer, ids []int, i int) string {
	s, err := tok.Decode(window(ids, i))
	if err != nil {
		return fmt.Sprint(err)
	}
	return s
}

func count(ids []int, id int) int {
	n := 0
	for _, x := range ids {
		if x == id {
			n++
		}
	}
	return n
}

package bpe

import (
	"slices"
	"strings"
	"testing"
)

// TestPiecesHandWorked checks the scanner on splits worked out by hand from
// the pattern (and confirmed with Python's regex module, the reference
// encoder's engine). The U+0085 and U+FEFF rows are where JavaScript's \s,
// and so the npm reference, differs from Python's.
func TestPiecesHandWorked(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"Hello world", []string{"Hello", " world"}},
		{"a  b", []string{"a", " ", " b"}},
		{"word   ", []string{"word", "   "}},
		{"\n\nA", []string{"\n", "\n", "A"}},
		{"\n\n\n", []string{"\n\n\n"}},
		{"  \nx", []string{"  ", "\n", "x"}},
		{"\t\tx", []string{"\t", "\t", "x"}},
		{"a\r\nb", []string{"a", "\r", "\n", "b"}},
		{"'S", []string{"'", "S"}},
		{"I'll", []string{"I", "'ll"}},
		{"we're they've I'm he'd don't it's", []string{"we", "'re", " they", "'ve", " I", "'m", " he", "'d", " don", "'t", " it", "'s"}},
		{"''s", []string{"''", "s"}},
		{" 's", []string{" '", "s"}},
		{"'", []string{"'"}},
		{"'l", []string{"'", "l"}},
		{"e\u0301", []string{"e", "\u0301"}},
		{"x\u00a0\u00a0y", []string{"x", "\u00a0", "\u00a0", "y"}},
		{"  \u3000 y", []string{"  \u3000", " y"}},
		{"1\u00bd2 in 1922,", []string{"1\u00bd2", " in", " 1922", ","}},
		{"he said\u2014\u201cno\u201d", []string{"he", " said", "\u2014\u201c", "no", "\u201d"}},
		{"a\x1c b", []string{"a", "\x1c", " b"}},
		{"a \u0085b", []string{"a", " ", "\u0085", "b"}}, // JavaScript: "a", " \u0085", "b"
		{"x \u0085\u0085 y", []string{"x", " \u0085\u0085", " y"}},
		{"a \ufeffb", []string{"a", " \ufeff", "b"}}, // JavaScript: "a", " ", "\ufeff", "b"
		{"\ufeffHello", []string{"\ufeff", "Hello"}},
		{"ab\xffcd", []string{"ab", "\xff", "cd"}}, // invalid UTF-8: one "other" byte
	}
	for _, tc := range tests {
		got := pieces(tc.text)
		if !slices.Equal(got, tc.want) {
			t.Errorf("pieces(%q) = %q, want %q", tc.text, got, tc.want)
		}
		if strings.Join(got, "") != tc.text {
			t.Errorf("pieces(%q) do not concatenate back to the text", tc.text)
		}
	}
}

package bpe

import (
	"unicode"
	"unicode/utf8"
)

// Character classes of GPT-2's pre-tokenizer pattern.
const (
	classOther  uint8 = iota // [^\s\p{L}\p{N}]
	classLetter              // \p{L}
	classNumber              // \p{N}
	classSpace               // \s (Unicode White_Space)
)

// asciiClass holds the class of every ASCII byte.
var asciiClass = func() (table [utf8.RuneSelf]uint8) {
	for b := range table {
		table[b] = classOfRune(rune(b))
	}
	return table
}()

// classOfRune classifies r as the reference encoder's regex does. Go's
// unicode.IsSpace is exactly the White_Space property used by Python's regex
// module (it includes U+0085 and excludes U+FEFF, unlike JavaScript's \s).
func classOfRune(r rune) uint8 {
	switch {
	case unicode.IsLetter(r):
		return classLetter
	case unicode.IsNumber(r):
		return classNumber
	case unicode.IsSpace(r):
		return classSpace
	}
	return classOther
}

// runeAt decodes the rune at s[i:] and returns its class and byte length. An
// invalid UTF-8 byte counts as one "other" character.
func runeAt(s string, i int) (class uint8, size int) {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiClass[c], 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	return classOfRune(r), size
}

// nextPiece returns the end of the pre-token that starts at s[i] (i < len(s)),
// following GPT-2's pattern alternative by alternative:
//
//	's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
func nextPiece(s string, i int) int {
	if s[i] == '\'' && i+1 < len(s) {
		switch s[i+1] {
		case 's', 't', 'm', 'd':
			return i + 2
		case 'r', 'v', 'l':
			if i+2 < len(s) && isContraction3(s[i+1], s[i+2]) {
				return i + 3
			}
		}
	}
	class, size := runeAt(s, i)
	if s[i] == ' ' && i+1 < len(s) {
		// " ?\p{L}+", " ?\p{N}+" and " ?[^\s\p{L}\p{N}]+" take one leading space.
		if next, nsize := runeAt(s, i+1); next != classSpace {
			return runOf(s, i+1+nsize, next)
		}
	}
	if class != classSpace {
		return runOf(s, i+size, class)
	}
	// "\s+(?!\S)" then "\s+": a run of whitespace that is followed by a
	// non-space leaves its last character to the next piece, unless the run
	// is a single character.
	last, j := i, i+size
	for j < len(s) {
		c, n := runeAt(s, j)
		if c != classSpace {
			break
		}
		last, j = j, j+n
	}
	if j < len(s) && last > i {
		return last
	}
	return j
}

// isContraction3 reports whether the two bytes after an apostrophe spell "re",
// "ve" or "ll".
func isContraction3(a, b byte) bool {
	return (a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')
}

// runOf extends a run of characters of the given class from s[j].
func runOf(s string, j int, class uint8) int {
	for j < len(s) {
		c, n := runeAt(s, j)
		if c != class {
			break
		}
		j += n
	}
	return j
}

// pieces splits text into GPT-2 pre-tokens. Their concatenation is text.
func pieces(text string) []string {
	var out []string
	for i := 0; i < len(text); {
		j := nextPiece(text, i)
		out = append(out, text[i:j])
		i = j
	}
	return out
}

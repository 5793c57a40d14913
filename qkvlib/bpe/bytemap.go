package bpe

// byteSymbols returns GPT-2's bytes_to_unicode table: the rune that stands for
// each byte in vocabulary entries. Printable Latin-1 bytes stand for
// themselves; the other 68 bytes map to U+0100 upwards, in byte order.
//
// Result: [256] rune, indexed by byte value.
func byteSymbols() [256]rune {
	var table [256]rune
	printable := func(b int) bool {
		return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)
	}
	n := 0
	for b := 0; b < 256; b++ {
		if printable(b) {
			table[b] = rune(b)
		} else {
			table[b] = rune(256 + n)
			n++
		}
	}
	return table
}

// symbolBytes inverts byteSymbols: it maps a vocabulary entry back to the raw
// bytes it stands for. Runes outside the byte table (possible only in added
// tokens) are kept as their own UTF-8 encoding.
func symbolBytes(token string, inverse map[rune]byte) string {
	out := make([]byte, 0, len(token))
	for _, r := range token {
		if b, ok := inverse[r]; ok {
			out = append(out, b)
		} else {
			out = append(out, string(r)...)
		}
	}
	return string(out)
}

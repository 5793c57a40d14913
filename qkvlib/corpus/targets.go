package corpus

import (
	"errors"
	"fmt"
)

// TargetID returns the token id of word, which must encode to exactly one
// token (with GPT-2, a leading space is part of the word: " like" is 588).
// encode is the tokenizer's encoder; decode, which may be nil, decodes ids
// and is used to show the pieces of a word that splits. On error the id is
// -1, which no token has, so that code going on with it finds no target.
func TargetID(encode func(string) []int, decode func([]int) string, word string) (int, error) {
	ids := encode(word)
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		return -1, fmt.Errorf("corpus: target %q encodes to no tokens; pick a word that is one token, e.g. \" like\"", word)
	}
	if decode == nil {
		return -1, fmt.Errorf("corpus: target %q is %d GPT-2 tokens %v; pick a word that is one token", word, len(ids), ids)
	}
	pieces := make([]string, len(ids))
	for i, id := range ids {
		pieces[i] = decode([]int{id})
	}
	return -1, fmt.Errorf("corpus: target %q is %d GPT-2 tokens %q; pick a word that is one token, e.g. %q",
		word, len(ids), pieces, pieces[0])
}

// CheckContext checks that a context of that many tokens, plus the target,
// fits the model's nPositions (1024 for GPT-2).
func CheckContext(context, nPositions int) error {
	if context <= 0 {
		return fmt.Errorf("corpus: context %d must be positive", context)
	}
	if context+1 > nPositions {
		return fmt.Errorf("corpus: context %d needs %d positions (the context and the target) but the model has %d; the maximum context is %d",
			context, context+1, nPositions, nPositions-1)
	}
	return nil
}

// Positions returns, in increasing order, every index i with tokens[i] == id
// (the notebook's target_idx).
func Positions(tokens []int, id int) []int {
	var pos []int
	for i, t := range tokens {
		if t == id {
			pos = append(pos, i)
		}
	}
	return pos
}

// DropBefore returns the positions p >= context, those with context tokens
// before them, in their order. pos is not modified.
func DropBefore(pos []int, context int) []int {
	var kept []int
	for _, p := range pos {
		if p >= context {
			kept = append(kept, p)
		}
	}
	return kept
}

// Batch returns the batch of sequences ending at the target positions:
// [len(pos)][context+1], row i = tokens[pos[i]-context : pos[i]+1], the
// target last. The rows are copies, not views of tokens. Every position must
// have context tokens before it (see DropBefore).
func Batch(tokens, pos []int, context int) ([][]int, error) {
	if context <= 0 {
		return nil, fmt.Errorf("corpus: context %d must be positive", context)
	}
	if len(pos) == 0 {
		return nil, errors.New("corpus: no target positions left to make a batch of; is the target in the text, after the first context tokens?")
	}
	t := context + 1
	flat := make([]int, len(pos)*t)
	rows := make([][]int, len(pos))
	for i, p := range pos {
		if p < context {
			return nil, fmt.Errorf("corpus: target position %d has fewer than %d tokens before it; drop positions < %d with DropBefore", p, context, context)
		}
		if p >= len(tokens) {
			return nil, fmt.Errorf("corpus: target position %d is past the end of the %d tokens", p, len(tokens))
		}
		rows[i] = flat[i*t : (i+1)*t : (i+1)*t]
		copy(rows[i], tokens[p-context:p+1])
	}
	return rows, nil
}

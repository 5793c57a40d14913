// Package bpe is an exact GPT-2 byte-level BPE tokenizer.
//
// A Tokenizer is loaded from the files of a GPT-2 tokenizer (vocab.json and
// merges.txt, or the HuggingFace tokenizers file tokenizer.json) and turns text
// into the same token ids as OpenAI's reference encoder:
//
//  1. the text is split into pieces by a hand-written scanner that reproduces
//     GPT-2's pre-tokenizer regular expression
//     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//     (Go's regexp has no lookahead); \s is the Unicode White_Space property,
//     \p{L} and \p{N} the Unicode letter and number categories, as in the
//     Python regex module that the reference encoder uses;
//  2. each piece's UTF-8 bytes are mapped to vocabulary symbols (GPT-2's
//     bytes_to_unicode table) and merged pair by pair, lowest merge rank
//     first;
//  3. the ids of the merged symbols are concatenated. Results per piece are
//     cached, so repeated words cost one map lookup; and a Tokenizer made by
//     Load keeps the ids of a long text (64 KiB or more, a book) in qkv's
//     cache, so that the next program to encode the same text reads them.
//
// Special tokens such as "<|endoftext|>" are not recognised in the text: they
// are encoded as ordinary characters, like the reference encoder does.
//
// A Tokenizer is safe for concurrent use.
package bpe

// Package corpus gets the chapter's text and cuts the batch out of its tokens.
//
// Fetch reads a text from a local file or a URL; a URL is downloaded once into
// a cache folder (DefaultCacheDir: $XDG_CACHE_HOME/qkv/text, else
// ~/.cache/qkv/text) and read from there afterwards, without network. The text
// is used whole and as is: for Project Gutenberg that includes the header and
// the licence, as in the book.
//
// The batch, as the notebook builds it:
//
//	id, err := corpus.TargetID(encode, decode, " like")         // 588
//	pos := corpus.Positions(tokens, id)                        // target_idx
//	pos = corpus.DropBefore(pos, 50)                           // drop positions < 50
//	batch, err := corpus.Batch(tokens, pos, 50)                // [N, 51], target last
package corpus

// Package corpus reads the chapter's text and cuts the batch out of its tokens.
//
// ReadText reads a text from a local file, or, for a URL, from the cache
// folder of downloaded texts (DefaultCacheDir: $XDG_CACHE_HOME/qkv/text, else
// ~/.cache/qkv/text; the file is named by CacheName), without network: a URL
// that is not cached is a *NotCachedError. Package qkvlib/download's Text
// downloads it into the cache (CacheText writes it there), so corpus does not
// import net/http and a notebook cell that uses it links faster. The text is
// used whole and as is: for Project Gutenberg that includes the header and
// the licence, as in the book.
//
// The batch, as the notebook builds it:
//
//	id, err := corpus.TargetID(encode, decode, " like")         // 588
//	pos := corpus.Positions(tokens, id)                        // target_idx
//	pos = corpus.DropBefore(pos, 50)                           // drop positions < 50
//	batch, err := corpus.Batch(tokens, pos, 50)                // [N, 51], target last
package corpus

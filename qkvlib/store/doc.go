// Package store keeps captured activations on disk and reads them back
// memory-mapped.
//
// A store is one folder per key under a root (DefaultRoot:
// $XDG_CACHE_HOME/qkv/acts, else ~/.cache/qkv/acts):
//
//	<root>/<key>/meta.json          Meta: model, text hash, target, shapes, batch tokens
//	<root>/<key>/attn_<i>_qkv.f32   layer i's c_attn output, float32 little-endian,
//	                                [N, T, 3·E] row-major, exactly N·T·3E·4 bytes
//
// The key is a hash of everything the activations depend on (Key); the caller
// chooses the fields, e.g. the model revision, the text's sha256, the target
// id, the context and the layers.
//
// Writes are atomic: Create writes into a temporary folder "<key>.tmp-<random>"
// and Commit checks every layer's size, syncs, writes meta.json last and
// renames the folder to the key. Each layer file is synced in the background
// as soon as its last value is written, so Commit mostly finds them synced. A killed run leaves only a temporary folder,
// which Open ignores and a later Create removes once it is an hour old.
//
// Reads map the layer files read-only (on Unix; elsewhere they are read into
// memory): a layer of GPT-2 large at the chapter's batch, [114, 51, 3840], is
// 89 MB, and 36 layers need not fit in memory at once.
package store

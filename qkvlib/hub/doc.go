// Package hub finds model files on disk, in a local folder or in the
// HuggingFace cache that Python's huggingface_hub writes, without network.
//
// A name is either a local folder ("./gpt2-large", "/models/gpt2") or a repo
// id ("gpt2-large", "openai-community/gpt2-large"). A repo is looked up in the
// cache, in Python's layout:
//
//	<cache>/models--ORG--NAME/refs/<revision>         holds a commit hash
//	<cache>/models--ORG--NAME/snapshots/<hash>/<file> (a symlink to ../../blobs/<etag>, or a plain file)
//
// where <cache> is Options.CacheDir, else $HF_HUB_CACHE, else $HF_HOME/hub,
// else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub. An id
// of the GPT-2 family is found under its other name too ("gpt2-large" and
// "openai-community/gpt2-large" name the same repo).
//
// Before a cached snapshot is used, Find looks at its files cheaply: a
// .safetensors file must be as long as its header says and a .json file must
// parse. Other damage to a cached file (a flipped byte) is not looked for; it
// would take reading the whole file.
//
// What the cache lacks, or holds damaged, Find reports as a *MissingError,
// whose message says what to do: which command fetches the files on a
// connected machine, or which local folder to pass. Package qkvlib/download
// downloads them instead, into the same cache and layout, so that Python and
// later runs find them; hub itself does not import net/http, so a program
// that only finds files (a notebook cell) builds and links faster.
//
// Files that come in alternative sets (a tokenizer is vocab.json+merges.txt
// or tokenizer.json) are all passed to Find, which takes the first set that
// is complete.
package hub

// Package hub finds model files on disk: in a local folder, or in the
// HuggingFace cache that Python's huggingface_hub writes, downloading from the
// HuggingFace Hub only the files that are missing.
//
// A name is either a local folder ("./gpt2-large", "/models/gpt2") or a repo
// id ("gpt2-large", "openai-community/gpt2-large"). A repo is looked up in the
// cache first, in Python's layout:
//
//	<cache>/models--ORG--NAME/refs/<revision>         holds a commit hash
//	<cache>/models--ORG--NAME/snapshots/<hash>/<file> (a symlink to ../../blobs/<etag>, or a plain file)
//
// where <cache> is Options.CacheDir, else $HF_HUB_CACHE, else $HF_HOME/hub,
// else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub. When
// every requested file is cached, Resolve returns without touching the
// network. Otherwise it downloads the missing files with go-huggingface's hub
// package into the same cache, in the same layout (blobs, snapshot symlinks,
// refs), so Python and later runs find them. HF_HUB_OFFLINE=1 (or
// Options.Offline) forbids the network altogether; HF_TOKEN supplies a token
// for gated or private repos; HF_ENDPOINT (or Options.Endpoint) points at
// another hub.
//
// Files that come in alternative sets (a tokenizer is vocab.json+merges.txt or
// tokenizer.json) are resolved with ResolveAny, which takes the first set that
// is complete in the cache, else the first set that the repo holds.
package hub

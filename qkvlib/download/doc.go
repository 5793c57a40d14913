// Package download fetches what the caches lack: model files from the
// HuggingFace Hub into the HuggingFace cache, in Python's layout, and texts
// from URLs into qkv's text cache.
//
// Resolve first finds the files as qkvlib/hub does (a local folder, or the
// HuggingFace cache; see hub.Find), and returns without touching the network
// when every requested file is there and passes hub's cheap checks.
// Otherwise it downloads the missing files into the same cache, in the same
// layout (blobs, snapshot symlinks, refs), so Python and later runs find
// them. HF_HUB_OFFLINE=1 (or Options.Offline) forbids the network
// altogether; HF_TOKEN supplies a token for gated or private repos;
// HF_ENDPOINT (or Options.Endpoint) points at another hub.
//
// A download asks what Python's huggingface_hub asks: the revision's info
// (/api/models/ID/revision/REV, decoded with go-huggingface's RepoInfo), then
// a HEAD of each file, whose X-Linked-Etag (the sha256 of an LFS file) or
// ETag names the blob and whose X-Linked-Size or Content-Length is its size.
// The bytes go to blobs/<etag>.incomplete, Python's partial file, and move to
// blobs/<etag> only when the size matches and, for an LFS file, the sha256
// too; a mismatch removes them and the error says so. Then the snapshot's
// symlink is made. What networks and disks do:
//
//   - a connection that breaks or stalls (no byte for 60s), and a 5xx or 429
//     answer, are retried (Options.Retries, Options.RetryWait), resuming with
//     an HTTP Range from the partial file; a try that gets further than any
//     before does not count. A hub that ignores the Range starts over.
//   - when the tries run out, or the context ends, the partial file stays and
//     the next run, qkv's or Python's, resumes from it.
//   - a full disk keeps the partial file; the error says how much to free.
//   - a cache that is not writable is said before anything is asked of the
//     hub; a complete model in a read-only cache is used as it is.
//   - processes that download the same blob wait for each other on
//     <cache>/.locks/models--ORG--NAME/<etag>.lock (Python's lock, an
//     flock(2)), so it is downloaded once.
//
// Every failure is one line that names the file, the repo, the hub's address
// and what to do. A cached file that fails hub's cheap checks is downloaded
// again, or named in the error when offline. A cached blob that a download
// would link is also checked against the size the hub announces.
//
// A file of 10 MB or more reports its download on Options.Log: bytes, rate
// and time left on one line (rewritten in place on a terminal, a plain line
// every 10 seconds otherwise), and a warning when the disk has less room
// than the file needs.
//
// Files that come in alternative sets (a tokenizer is vocab.json+merges.txt or
// tokenizer.json) are resolved with ResolveAny, which takes the first set that
// is complete in the cache, else the first set that the repo holds.
//
// Text does for a text what Resolve does for a model: a file path is read; a
// URL is read from qkv's text cache (see corpus.ReadText), else downloaded
// into it once, atomically, and read from there afterwards.
package download

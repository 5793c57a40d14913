// Package directio writes a file sequentially past the page cache where the
// system allows it (O_DIRECT on Linux): the bytes go from an aligned buffer,
// or from the caller's slice when that is aligned, straight to the disk.
//
// qkv writes gigabytes of activations while GPT-2 runs on every core. Through
// the page cache, each gigabyte cost 2–3 s of kernel CPU time on the project's
// 2-core machine (allocating and copying pages, then reclaiming them); with
// O_DIRECT it costs about a tenth of a second, and the forward keeps the
// cores. The pages are then not in the cache: a later read comes from the
// disk.
//
// Where O_DIRECT is missing or refused (other systems, some file systems),
// or with QKV_DIRECT_IO=off in the environment, Writer writes through the
// page cache as usual. Turn it off for a disk slower than GPT-2 produces
// activations (about 130 MB/s for gpt2-large on XLA's CPU backend here): a
// direct write waits for the disk, and so, through the short hand-over
// queue, does the forward, where the page cache would have absorbed them.
package directio

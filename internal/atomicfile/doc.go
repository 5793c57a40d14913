// Package atomicfile writes files so that a reader, or a run that crashed
// half-way, never sees half a file: the bytes go to a temporary file beside the
// destination, which is renamed over it only once everything is written and
// synced. Until then the destination holds its old content, or is absent.
package atomicfile

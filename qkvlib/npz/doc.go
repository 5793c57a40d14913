// Package npz writes and reads NumPy arrays: the .npy format (versions 1.0 and
// 2.0) and .npz archives (a zip of name.npy entries, as np.savez writes them).
//
// Only the two element types the project needs are supported: float32 ("<f4")
// and int64 ("<i8"), little-endian, in C (row-major) order. Headers are padded
// so the data starts on a 64-byte boundary, as numpy does.
//
// A Writer streams: an array can be written in pieces (chunks of rows) with
// Float32Array or Int64Array, so an array larger than memory, or larger than
// 4 GiB (zip64), never has to be held whole. Create writes to a temporary file
// beside the target and renames it on Close, so a killed run never leaves a
// half-written .npz under the final name.
//
// Entries are stored uncompressed (zip method Store, like np.savez) with a
// fixed modification time (1980-01-01), so equal arrays give equal files.
package npz

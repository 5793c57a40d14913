// Package mmap maps files read-only into memory (or, where the system has no
// mmap, reads them), and lets go of mapped pages that are no longer needed.
package mmap

//go:build !(linux || darwin)

package download

// freeSpace returns -1: the free space is not known on this system.
func freeSpace(dir string) int64 { return -1 }

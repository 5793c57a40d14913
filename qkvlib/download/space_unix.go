//go:build linux || darwin

package download

import "syscall"

// freeSpace returns the bytes free to this user on the disk holding dir, or
// -1 when unknown.
func freeSpace(dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil || st.Blocks == 0 {
		return -1
	}
	return int64(uint64(st.Bavail) * uint64(st.Bsize))
}

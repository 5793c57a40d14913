//go:build unix

package main

import (
	"os"
	"syscall"
)

// execTool replaces this process by tool; it returns only if that fails.
func execTool(tool string, args []string) {
	_ = syscall.Exec(tool, append([]string{tool}, args...), os.Environ())
}

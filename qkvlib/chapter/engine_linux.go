package chapter

import (
	"os/exec"
	"syscall"
)

// setParentDeath asks Linux to stop the command if this program dies first
// (a notebook cell killed while GPT-2 runs).
func setParentDeath(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}

//go:build !linux

package engine

import (
	"os/exec"
	"syscall"
)

// setTrainerProcAttrs puts the trainer in a process group of its own.
func setTrainerProcAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

//go:build !linux

package worker

import (
	"os/exec"
	"syscall"
)

// setTrainerProcAttrs puts the trainer in a process group of its own.
func setTrainerProcAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// waitExitedNoReap cannot watch a process without reaping it here: the
// closing of the trainer's pipes ends its run.
func waitExitedNoReap(pid int) bool { return false }

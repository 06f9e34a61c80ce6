package engine

import (
	"os/exec"
	"syscall"
)

// setTrainerProcAttrs puts the trainer in a process group of its own and
// has the kernel kill it if this worker dies (kill -9), so a rescued job
// never runs twice on one machine.
func setTrainerProcAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

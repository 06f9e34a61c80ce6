package worker

import (
	"errors"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

// setTrainerProcAttrs puts the trainer in a process group of its own and
// has the kernel kill it if this worker dies (kill -9), so a rescued job
// never runs twice on one machine.
func setTrainerProcAttrs(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// waitExitedNoReap blocks until the process pid has exited, leaving it a
// zombie (WNOWAIT) so that its pid, and so its process group's id, stay
// taken until os/exec reaps it. It says false when it cannot watch.
func waitExitedNoReap(pid int) bool {
	for {
		var info unix.Siginfo
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		return err == nil
	}
}

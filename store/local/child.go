package local

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Children of the services (postgres, the gateway, trainers) must not outlive
// them: a `brightrun services` killed with -9 would otherwise leave a gateway
// serving the objects with the old keys, and the next start a second one.
// On Linux the kernel signals each child when its parent dies (Pdeathsig).
//
// Pdeathsig fires when the OS thread that forked the child exits, not the
// process (golang/go#27505). Go may end a thread when a goroutine locked to
// it returns, so children are started from one goroutine locked to its
// thread for the life of the process: that thread never exits before we do.

type startRequest struct {
	cmd  *exec.Cmd
	done chan error
}

var (
	starterOnce sync.Once
	starts      chan startRequest
)

// StartChild starts cmd from the process's dedicated starting thread, and on
// Linux has the kernel send it sig when this process dies.
func StartChild(cmd *exec.Cmd, sig syscall.Signal) error {
	starterOnce.Do(func() {
		starts = make(chan startRequest)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread lives as long as we do
			for r := range starts {
				r.done <- r.cmd.Start()
			}
		}()
	})
	dieWithParent(cmd, sig)
	done := make(chan error, 1)
	starts <- startRequest{cmd: cmd, done: done}
	return <-done
}

// readPIDFile reads the pid on the first line of a pid file (postgres's
// postmaster.pid has more lines after it); 0 when there is none.
func readPIDFile(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0]))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// writePIDFile records a child's pid for the next start to find if we die.
func writePIDFile(path string, pid int) error {
	if err := os.WriteFile(path, []byte(strconv.Itoa(pid)+"\n"), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// ownsProcess says whether pid runs with arg as one of its command-line
// arguments (e.g. the gateway's objects dir, postgres's -D directory). A pid
// in a pid file may have been recycled by an unrelated process since; only
// one whose command line names our directory is ours to stop.
func ownsProcess(pid int, arg string) bool {
	args, err := processArgs(pid)
	if err != nil {
		return false
	}
	for _, a := range args {
		if a == arg {
			return true
		}
	}
	return false
}

// stopStale stops the process named in pidFile when it still runs with arg
// on its command line: first with soft, then, after grace, with SIGKILL. It
// returns the pid it stopped (0 when there was nothing of ours to stop).
func stopStale(pidFile, arg string, soft syscall.Signal, grace time.Duration) (int, error) {
	pid := readPIDFile(pidFile)
	if pid == 0 || pid == os.Getpid() {
		return 0, nil
	}
	if !ownsProcess(pid, arg) {
		return 0, nil
	}
	if err := syscall.Kill(pid, soft); err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return 0, nil
		}
		return 0, fmt.Errorf("stop the stale process %d of %s: %w", pid, arg, err)
	}
	if waitGone(pid, arg, grace) {
		return pid, nil
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	if waitGone(pid, arg, 10*time.Second) {
		return pid, nil
	}
	return 0, fmt.Errorf("the stale process %d of %s does not stop", pid, arg)
}

// waitGone waits until pid no longer runs our command (it exited, or is a
// zombie whose parent is gone and whose command line is empty).
func waitGone(pid int, arg string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if syscall.Kill(pid, 0) != nil || !ownsProcess(pid, arg) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(25 * time.Millisecond)
	}
}

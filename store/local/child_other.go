//go:build !linux

package local

import (
	"errors"
	"os/exec"
	"syscall"
)

// dieWithParent does nothing where the kernel has no parent-death signal;
// a stale child is found by its pid file at the next start instead.
func dieWithParent(*exec.Cmd, syscall.Signal) {}

// processArgs is unknown without /proc: no pid in a pid file is ever taken
// for ours, so a recycled pid is never signalled.
func processArgs(int) ([]string, error) {
	return nil, errors.New("process command lines are not readable on this system")
}

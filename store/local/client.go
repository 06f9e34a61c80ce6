package local

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"time"
)

// Attachment is a live connection to the services; while it is open the
// services stay up. Close detaches.
type Attachment struct {
	Info Info
	conn net.Conn
	rd   *bufio.Reader
}

// Close detaches from the services.
func (a *Attachment) Close() error { return a.conn.Close() }

// Refresh asks the services for their current info (attached client count).
func (a *Attachment) Refresh() (Info, error) {
	if _, err := a.conn.Write([]byte("info\n")); err != nil {
		return Info{}, err
	}
	var i Info
	line, err := a.rd.ReadBytes('\n')
	if err != nil {
		return Info{}, err
	}
	return i, json.Unmarshal(line, &i)
}

// Spawner starts the services process for a layout and returns at once; the
// process must call Start and Serve. It reports an early exit on the channel.
type Spawner func(ctx context.Context, l Layout) (exited <-chan error, err error)

// Dial attaches to running services, or returns an error when none run.
func Dial(l Layout) (*Attachment, error) {
	l = l.current()
	conn, err := net.DialTimeout("unix", l.ControlSocket(), 2*time.Second)
	if err != nil {
		return nil, err
	}
	rd := bufio.NewReader(conn)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := rd.ReadBytes('\n')
	_ = conn.SetReadDeadline(time.Time{})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("read services info: %w", err)
	}
	a := &Attachment{conn: conn, rd: rd}
	if err := json.Unmarshal(line, &a.Info); err != nil {
		conn.Close()
		return nil, fmt.Errorf("decode services info: %w", err)
	}
	return a, nil
}

// Attach connects to the services of the layout, starting them with spawn
// when none run. Starting is serialised with a lock file, so processes that
// start at the same moment share one set of services.
func Attach(ctx context.Context, l Layout, spawn Spawner) (*Attachment, error) {
	if a, err := Dial(l); err == nil {
		return a, nil
	}
	if err := ensureWritableDir(l.DataDir); err != nil {
		return nil, err
	}
	unlock, err := holdStartLock(ctx, l)
	if err != nil {
		return nil, err
	}
	defer unlock()

	if a, err := Dial(l); err == nil {
		return a, nil
	}
	// The spawned services run under the data dir's identity; it is made
	// here, under the start lock, so this process dials where they listen.
	if l, err = EnsureIdentity(l); err != nil {
		return nil, err
	}
	_ = os.Remove(l.FailureFile())
	exited, err := spawn(ctx, l)
	if err != nil {
		return nil, fmt.Errorf("start local services: %w", err)
	}
	deadline := time.NewTimer(2 * time.Minute)
	defer deadline.Stop()
	for {
		if a, err := Dial(l); err == nil {
			return a, nil
		}
		select {
		case err := <-exited:
			if reason := readFailure(l); reason != "" {
				return nil, errors.New(reason)
			}
			if errors.Is(err, ErrAlreadyRunning) {
				continue
			}
			return nil, fmt.Errorf("local services exited during start (%v); see %s/services.log", err, l.LogDir())
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-deadline.C:
			return nil, fmt.Errorf("local services did not become ready within 2 minutes; see %s/services.log", l.LogDir())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// StopServices asks running services to stop and waits until they are gone.
// It reports false when none were running.
func StopServices(ctx context.Context, l Layout) (bool, error) {
	a, err := Dial(l)
	if err != nil {
		return false, nil
	}
	defer a.Close()
	if _, err := a.conn.Write([]byte("stop\n")); err != nil {
		return true, fmt.Errorf("send stop: %w", err)
	}
	_, _ = a.rd.ReadString('\n')
	// Gone when the pid lock can be taken.
	for {
		f, err := os.OpenFile(l.PIDLock(), os.O_RDWR, 0)
		if err != nil {
			return true, nil
		}
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		f.Close()
		if err == nil {
			return true, nil
		}
		select {
		case <-ctx.Done():
			return true, fmt.Errorf("services did not stop: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// WriteFailure records why the services could not start, for the process
// that spawned them to show.
func WriteFailure(l Layout, err error) {
	_ = os.WriteFile(l.FailureFile(), []byte(err.Error()+"\n"), 0o600)
}

func readFailure(l Layout) string {
	data, err := os.ReadFile(l.FailureFile())
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}

// holdStartLock takes the data dir's start lock, on which every start,
// attach and purge of the services waits its turn; unlock gives it back.
func holdStartLock(ctx context.Context, l Layout) (unlock func(), err error) {
	lock, err := os.OpenFile(l.StartLock(), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open start lock: %w", err)
	}
	if err := flockContext(ctx, lock); err != nil {
		lock.Close()
		return nil, err
	}
	return func() {
		syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
		lock.Close()
	}, nil
}

func flockContext(ctx context.Context, f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("lock %s: %w", f.Name(), err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for another brightrun to start the services: %w", ctx.Err())
		case <-time.After(25 * time.Millisecond):
		}
	}
}

package local

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"
)

// DefaultIdle is how long the services outlive their last attached process.
const DefaultIdle = 3 * time.Minute

// ServeOptions tune Serve.
type ServeOptions struct {
	// Idle is how long the services outlive their last attached process.
	Idle time.Duration
	Log  *slog.Logger
	// Busy, when set, keeps the services up past Idle while it reports true
	// (jobs still running with nobody watching).
	Busy func() bool
	// BeforeStop runs before postgres and the gateway stop (to stop a worker
	// that uses them).
	BeforeStop func()
}

// Serve accepts attaching processes on the control socket until ctx ends,
// someone sends "stop", a child service dies, or nobody has been attached for
// the idle time (and nothing is busy). Then it stops the services. Closing a
// connection is detaching, so a crashed client is detached by the kernel.
func Serve(ctx context.Context, s *Services, o ServeOptions) error {
	idle, log := o.Idle, o.Log
	if idle <= 0 {
		idle = DefaultIdle
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	defer s.Stop()
	if o.BeforeStop != nil {
		defer o.BeforeStop()
	}
	sock := s.Layout.ControlSocket()
	_ = os.Remove(sock) // stale: we hold the pid lock, so nobody else serves it
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return fmt.Errorf("listen on control socket %s: %w", sock, err)
	}
	defer os.Remove(sock)
	defer ln.Close()
	_ = os.Chmod(sock, 0o600)

	var (
		mu      sync.Mutex
		clients int
		stopped = make(chan struct{})
		once    sync.Once
		changed = make(chan struct{}, 1)
	)
	stop := func() { once.Do(func() { close(stopped) }) }
	notify := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	info := func() Info {
		mu.Lock()
		defer mu.Unlock()
		i := s.Info
		i.Clients = clients
		return i
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			clients++
			mu.Unlock()
			notify()
			go func() {
				defer func() {
					conn.Close()
					mu.Lock()
					clients--
					mu.Unlock()
					notify()
				}()
				enc := json.NewEncoder(conn)
				if enc.Encode(info()) != nil {
					return
				}
				sc := bufio.NewScanner(conn)
				for sc.Scan() {
					switch sc.Text() {
					case "stop":
						_, _ = conn.Write([]byte("ok\n"))
						log.Info("stop requested")
						stop()
						return
					case "info":
						if enc.Encode(info()) != nil {
							return
						}
					}
				}
			}()
		}
	}()

	log.Info("services ready", "pid", s.Info.PID, "s3", s.Info.S3Endpoint, "socket_dir", s.Layout.RunDir)
	exited := s.Exited()
	timer := time.NewTimer(idle)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			log.Info("services stopping", "reason", ctx.Err())
			return nil
		case <-stopped:
			return nil
		case why := <-exited:
			log.Error("a service died; stopping", "why", why)
			return fmt.Errorf("%s", why)
		case <-changed:
			mu.Lock()
			n := clients
			mu.Unlock()
			timer.Stop()
			if n == 0 {
				timer.Reset(idle)
			}
		case <-timer.C:
			mu.Lock()
			n := clients
			mu.Unlock()
			if n == 0 && o.Busy != nil && o.Busy() {
				timer.Reset(idle)
				continue
			}
			if n == 0 {
				log.Info("no process attached; shutting down", "idle", idle)
				return nil
			}
		}
	}
}

package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// Info is what an attaching process needs to reach the services. It is sent
// over the control socket, which lives in a directory only the owner can enter.
type Info struct {
	PID        int       `json:"pid"`
	DataDir    string    `json:"data_dir"`
	RunDir     string    `json:"run_dir"`
	S3Endpoint string    `json:"s3_endpoint"`
	S3Region   string    `json:"s3_region"`
	AccessKey  string    `json:"access_key"`
	SecretKey  string    `json:"secret_key"`
	StartedAt  time.Time `json:"started_at"`
	Clients    int       `json:"clients"`
	// S3PortChangedFrom is the gateway's saved port when this start could
	// not reuse it (it was taken): URLs presigned before then no longer work.
	S3PortChangedFrom int `json:"s3_port_changed_from,omitempty"`
}

// PostgresDSN is the superuser connection string to the application database.
func (i Info) PostgresDSN() string { return DSN(i.RunDir, Database) }

// ErrAlreadyRunning means another process already runs the services of this data dir.
var ErrAlreadyRunning = errors.New("the local services of this data dir are already running")

// Options tune the services.
type Options struct {
	// S3Addr pins the gateway to host:port; empty reuses the port saved in
	// the data dir (a free loopback port the first time, or when it is taken).
	S3Addr string
}

// Services are the running postgres and gateway of one data dir.
type Services struct {
	Layout  Layout
	Info    Info
	pidLock *os.File
	pgMu    sync.Mutex // held while postgres restarts
	pg      *cluster
	gw      *gateway
	logf    *os.File
}

// Start brings up postgres and the gateway in this process's care. Only one
// process per data dir can hold them (an exclusive lock on services.pid).
func Start(ctx context.Context, layout Layout, opts Options) (s *Services, err error) {
	if err := ensureWritableDir(layout.DataDir); err != nil {
		return nil, err
	}
	lock, err := os.OpenFile(layout.PIDLock(), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", layout.PIDLock(), err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return nil, ErrAlreadyRunning
	}
	if layout, err = EnsureIdentity(layout); err != nil {
		lock.Close()
		return nil, err
	}
	s = &Services{Layout: layout, pidLock: lock}
	defer func() {
		if err != nil {
			s.Stop()
		}
	}()
	_ = lock.Truncate(0)
	_, _ = fmt.Fprintf(lock, "%d\n", os.Getpid())

	if err := os.MkdirAll(layout.LogDir(), 0o700); err != nil {
		return s, fmt.Errorf("create log dir: %w", err)
	}
	s.logf, err = os.OpenFile(filepath.Join(layout.LogDir(), "services.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return s, fmt.Errorf("open services log: %w", err)
	}
	binDir, err := PostgresBinDir()
	if err != nil {
		return s, err
	}
	gwBin, err := FindVersitygw()
	if err != nil {
		return s, err
	}
	acct, err := postgresAccount()
	if err != nil {
		return s, err
	}
	s.pg = &cluster{layout: layout, binDir: binDir, acct: acct}
	if err := s.pg.initCluster(ctx, s.logf); err != nil {
		return s, err
	}
	if err := s.pg.start(ctx, s.logf); err != nil {
		return s, err
	}
	if acct.asRoot {
		removed, err := RemoveOrphanClusters(layout)
		for _, r := range removed {
			fmt.Fprintf(s.logf, "removed the cluster %s: its data dir is gone\n", r)
		}
		if err != nil {
			fmt.Fprintf(s.logf, "removing orphan clusters: %v\n", err)
		}
	}
	creds, err := loadCredentials(layout.CredentialsFile())
	if err != nil {
		return s, err
	}
	s.gw = &gateway{bin: gwBin, dir: layout.ObjectsDir(), pidFile: layout.GatewayPIDFile(), creds: creds}
	if err := s.gw.stopStale(s.logf); err != nil {
		return s, err
	}
	var changedFrom int
	if opts.S3Addr != "" {
		err = s.gw.start(ctx, opts.S3Addr, s.logf)
	} else {
		changedFrom, err = s.gw.startOnSavedPort(ctx, layout.S3PortFile(), s.logf)
	}
	if err != nil {
		return s, err
	}
	s.Info = Info{
		PID:        os.Getpid(),
		DataDir:    layout.DataDir,
		RunDir:     layout.RunDir,
		S3Endpoint: s.gw.Endpoint,
		S3Region:   "us-east-1",
		AccessKey:  creds.AccessKey,
		SecretKey:  creds.SecretKey,
		StartedAt:  time.Now().UTC(),

		S3PortChangedFrom: changedFrom,
	}
	_ = os.Remove(layout.FailureFile())
	return s, nil
}

// Exited reports when postgres or the gateway stops on its own (not when
// RestartPostgres restarts postgres).
func (s *Services) Exited() <-chan string {
	out := make(chan string, 2)
	go func() {
		for {
			s.pgMu.Lock()
			pgExited := s.pg.exited
			s.pgMu.Unlock()
			select {
			case err := <-pgExited:
				pgExited <- err
				s.pgMu.Lock() // a restart in progress finishes first
				restarted := s.pg.exited != pgExited
				s.pgMu.Unlock()
				if restarted {
					continue
				}
				out <- fmt.Sprintf("postgres exited: %v", err)
			case err := <-s.gw.exited:
				s.gw.exited <- err
				out <- fmt.Sprintf("versitygw exited: %v", err)
			}
			return
		}
	}()
	return out
}

// RestartPostgres stops postgres (a fast shutdown: every connection is cut,
// as in a database restart in production), leaves it down for down, and
// starts it again on the same socket. Clients must reconnect; workers and
// screens do (tests prove it).
func (s *Services) RestartPostgres(ctx context.Context, down time.Duration) error {
	s.pgMu.Lock()
	defer s.pgMu.Unlock()
	s.pg.stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(down):
	}
	if err := s.pg.start(ctx, s.logf); err != nil {
		return fmt.Errorf("restart postgres: %w", err)
	}
	return nil
}

// Stop shuts the gateway and postgres down and releases the data dir.
func (s *Services) Stop() {
	if s.gw != nil {
		s.gw.stop()
	}
	if s.pg != nil {
		s.pg.stop()
	}
	if s.logf != nil {
		s.logf.Close()
	}
	if s.pidLock != nil {
		_ = s.pidLock.Truncate(0)
		s.pidLock.Close()
		s.pidLock = nil
	}
}

// ensureWritableDir creates dir and proves we can write in it, so a bad data
// dir fails with one clear line before anything is started.
func ensureWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data dir %s cannot be created: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return fmt.Errorf("data dir %s is not writable: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

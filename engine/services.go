package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"brightrun/store/local"
)

// The zero-config services seen from the faces: whether they run, stopping
// them, running them in this process, and starting them in the background.
// The TUI and CLI reach store/local only through here.

// Spawner starts the local services process for a data dir.
type Spawner = local.Spawner

// DefaultServicesIdle is how long the services outlive their last process.
const DefaultServicesIdle = local.DefaultIdle

// ServicesInfo describes the running local services of a data dir.
type ServicesInfo struct {
	Running    bool      `json:"running"`
	PID        int       `json:"pid,omitempty"`
	DataDir    string    `json:"data_dir"`
	SocketDir  string    `json:"socket_dir,omitempty"`
	S3Endpoint string    `json:"s3_endpoint,omitempty"`
	Clients    int       `json:"clients"`
	StartedAt  time.Time `json:"started_at,omitzero"`
	// S3PortChangedFrom is the gateway's saved port when its last start found
	// it taken (URLs presigned before then no longer work); 0 otherwise.
	S3PortChangedFrom int `json:"s3_port_changed_from,omitempty"`
}

// LocalServices says whether the data dir's services run, and how.
func LocalServices(cfg Config) (ServicesInfo, error) {
	l, err := local.NewLayout(cfg.DataDir)
	if err != nil {
		return ServicesInfo{}, err
	}
	a, err := local.Dial(l)
	if err != nil {
		return ServicesInfo{DataDir: l.DataDir}, nil
	}
	defer a.Close()
	info, err := a.Refresh()
	if err != nil {
		return ServicesInfo{}, fmt.Errorf("ask the local services: %w", err)
	}
	return ServicesInfo{
		Running: true, PID: info.PID, DataDir: info.DataDir, SocketDir: info.RunDir,
		S3Endpoint: info.S3Endpoint, Clients: info.Clients - 1, // not counting this probe
		StartedAt: info.StartedAt, S3PortChangedFrom: info.S3PortChangedFrom,
	}, nil
}

// PortChangeNotice is the warning shown wherever presigned URLs are, when
// the local gateway could not reuse its saved port at its last start.
func PortChangeNotice(from int, endpoint string) string {
	if from == 0 {
		return ""
	}
	to := endpoint
	if u, err := url.Parse(endpoint); err == nil && u.Port() != "" {
		to = u.Port()
	}
	return fmt.Sprintf("the S3 port changed from %d to %s at the last start of the local services: URLs handed out before then no longer work", from, to)
}

// S3PortNotice is PortChangeNotice for this engine's services ("" when the
// port did not change, and always in shared mode).
func (e *Engine) S3PortNotice() string {
	if e.objects == nil {
		return ""
	}
	return PortChangeNotice(e.s3PortChangedFrom, e.objects.Endpoint())
}

// S3PortNotice is the engine's notice, for the faces that show URLs.
func (s *Session) S3PortNotice() string { return s.e.S3PortNotice() }

// StopLocalServices stops the data dir's services and waits until they are
// gone; false when none ran.
func StopLocalServices(ctx context.Context, cfg Config) (bool, error) {
	l, err := local.NewLayout(cfg.DataDir)
	if err != nil {
		return false, err
	}
	return local.StopServices(ctx, l)
}

// LocalPurgeTargets lists what PurgeLocalServices would delete now.
func LocalPurgeTargets(cfg Config) ([]string, error) {
	l, err := local.NewLayout(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	return local.PurgeTargets(l), nil
}

// PurgeLocalServices stops the data dir's services and deletes its database
// cluster and its objects; it returns what it deleted.
func PurgeLocalServices(ctx context.Context, cfg Config) ([]string, error) {
	l, err := local.NewLayout(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	return local.Purge(ctx, l)
}

// ServicesOptions tune RunLocalServices.
type ServicesOptions struct {
	// Idle is how long to outlive the last attached process.
	Idle time.Duration
	// S3Addr pins the gateway to host:port; empty picks a free port.
	S3Addr string
	// Worker starts the job worker the services run (nil result: none).
	Worker func(ctx context.Context, e *Engine) (*Worker, error)
}

// RunLocalServices runs the services in this process until stopped or idle:
// postgres, the gateway, and a worker that executes queued jobs, so
// zero-config needs no second process for background work. A failure to
// start is also written where the process that spawned us reads it.
func RunLocalServices(ctx context.Context, cfg Config, o ServicesOptions) error {
	layout, err := local.NewLayout(cfg.DataDir)
	if err != nil {
		return err
	}
	s, err := local.Start(ctx, layout, local.Options{S3Addr: o.S3Addr})
	if err != nil {
		if !errors.Is(err, local.ErrAlreadyRunning) {
			local.WriteFailure(layout, err)
		}
		return err
	}
	fail := func(err error) error {
		s.Stop()
		local.WriteFailure(layout, err)
		return err
	}
	logf, err := os.OpenFile(filepath.Join(layout.LogDir(), "services.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fail(err)
	}
	defer logf.Close()
	log := slog.New(slog.NewTextHandler(logf, nil)).With("pid", os.Getpid())
	e, err := Open(ctx, cfg, Options{Services: &s.Info, Log: log})
	if err != nil {
		return fail(err)
	}
	var w *Worker
	if o.Worker != nil {
		if w, err = o.Worker(ctx, e); err != nil {
			e.Close()
			return fail(err)
		}
	}
	sweepCtx, stopSweep := context.WithCancel(context.WithoutCancel(ctx))
	sweepDone := make(chan struct{})
	go func() {
		// A worker sweeps at its start and interval; without one, the
		// services sweep once as they start.
		defer close(sweepDone)
		if w == nil {
			if _, err := e.SweepStorage(sweepCtx); err != nil && sweepCtx.Err() == nil {
				log.Warn("storage sweep", "err", err)
			}
		}
	}()
	return local.Serve(ctx, s, local.ServeOptions{
		Idle: o.Idle,
		Log:  log,
		// Without a worker here, jobs are the external workers' business:
		// they stay attached (keeping the services up) while they run one.
		Busy: func() bool { return w != nil && w.Busy(context.Background()) },
		BeforeStop: func() {
			stopSweep()
			<-sweepDone
			if w != nil {
				if err := w.Stop(30 * time.Second); err != nil {
					log.Error("stop worker", "err", err)
				}
			}
			e.Close()
		},
	})
}

// LocalServicesFailed records err as the reason the services of cfg's data
// dir could not start, where the process that spawned them in the
// background reads it (it would otherwise only see an exit status), and
// returns err.
func LocalServicesFailed(cfg Config, err error) error {
	if l, lerr := local.NewLayout(cfg.DataDir); lerr == nil {
		local.WriteFailure(l, err)
	}
	return err
}

// SpawnServices starts `brightrun services` for the layout as a detached
// background process (own session, no terminal), logging into the data dir.
// It is the Spawner of the brightrun binary.
func SpawnServices(ctx context.Context, l local.Layout) (<-chan error, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	if err := os.MkdirAll(l.LogDir(), 0o700); err != nil {
		return nil, err
	}
	logf, err := os.OpenFile(filepath.Join(l.LogDir(), "services.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return nil, err
	}
	defer devnull.Close()
	proc, err := os.StartProcess(self, []string{self, "services", "--data-dir", l.DataDir}, &os.ProcAttr{
		Dir:   "/",
		Env:   os.Environ(),
		Files: []*os.File{devnull, logf, logf},
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	if err != nil {
		return nil, fmt.Errorf("start %s services: %w", self, err)
	}
	exited := make(chan error, 1)
	go func() {
		st, err := proc.Wait()
		if err == nil && !st.Success() {
			err = fmt.Errorf("exit status %d", st.ExitCode())
		}
		exited <- err
	}()
	return exited, nil
}

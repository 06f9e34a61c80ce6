package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"brightrun/engine"
	"brightrun/store/local"
)

// runServices is the background process of the zero-config mode (started on
// demand by any brightrun command), and its controls.
func runServices(ctx context.Context, env Env, args []string) error {
	sub := ""
	if len(args) > 0 && (args[0] == "stop" || args[0] == "status") {
		sub, args = args[0], args[1:]
	}
	var c common
	fs := newFlagSet(env, "services", &c, true)
	idle := fs.Duration("idle", idleDefault(env), "stop this long after the last brightrun process detaches (0 = never)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("services: unknown subcommand %q (want stop or status)", pos[0])
	}
	cfg, err := engine.LoadConfig(c.dataDir, env.Getenv)
	if err != nil {
		return err
	}
	if cfg.Mode != engine.ModeLocal {
		return usagef("services: DATABASE_URL is set, so this installation uses shared servers and runs no local services")
	}
	layout, err := local.NewLayout(cfg.DataDir)
	if err != nil {
		return err
	}
	switch sub {
	case "stop":
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		stopped, err := local.StopServices(ctx, layout)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, map[string]any{"stopped": stopped, "data_dir": layout.DataDir})
		}
		if stopped {
			fmt.Fprintf(env.Stdout, "stopped the local services of %s\n", layout.DataDir)
		} else {
			fmt.Fprintf(env.Stdout, "no local services running for %s\n", layout.DataDir)
		}
		return nil
	case "status":
		return printServices(env, c, layout, true)
	}
	if err := printServices(env, c, layout, false); err == nil {
		return nil
	}
	return serveForeground(ctx, env, cfg, layout, *idle)
}

// printServices shows running services; with required it fails when none run.
func printServices(env Env, c common, layout local.Layout, required bool) error {
	a, err := local.Dial(layout)
	if err != nil {
		if !required {
			return err
		}
		if c.json {
			_ = printJSON(env.Stdout, map[string]any{"running": false, "data_dir": layout.DataDir})
		} else {
			fmt.Fprintf(env.Stdout, "no local services running for %s\n", layout.DataDir)
		}
		return errNegative
	}
	defer a.Close()
	info, err := a.Refresh()
	if err != nil {
		return err
	}
	info.Clients-- // not counting ourselves
	if c.json {
		return printJSON(env.Stdout, map[string]any{
			"running": true, "pid": info.PID, "data_dir": info.DataDir, "socket_dir": info.RunDir,
			"s3_endpoint": info.S3Endpoint, "clients": info.Clients, "started_at": info.StartedAt,
		})
	}
	fmt.Fprintf(env.Stdout, "local services running (pid %d) since %s\n", info.PID, info.StartedAt.Local().Format(time.DateTime))
	fmt.Fprintf(env.Stdout, "  postgres   unix socket in %s\n", info.RunDir)
	fmt.Fprintf(env.Stdout, "  s3         %s\n", info.S3Endpoint)
	fmt.Fprintf(env.Stdout, "  attached   %d process(es)\n", info.Clients)
	fmt.Fprintf(env.Stdout, "  data dir   %s\n", info.DataDir)
	return nil
}

// serveForeground runs the services in this process: postgres, the gateway,
// and a worker that executes queued jobs (dataset validation, training), so
// zero-config needs no second process for background work.
func serveForeground(ctx context.Context, env Env, cfg engine.Config, layout local.Layout, idle time.Duration) error {
	if idle <= 0 {
		idle = 100 * 365 * 24 * time.Hour
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	s, err := local.Start(ctx, layout, local.Options{S3Addr: env.Getenv("BRIGHTRUN_S3_ADDR")})
	if err != nil {
		if errors.Is(err, local.ErrAlreadyRunning) {
			return err
		}
		local.WriteFailure(layout, err)
		return err
	}
	logf, err := os.OpenFile(filepath.Join(layout.LogDir(), "services.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		s.Stop()
		return err
	}
	defer logf.Close()
	log := slog.New(slog.NewTextHandler(logf, nil)).With("pid", os.Getpid())
	e, err := engine.Open(ctx, cfg, engine.Options{Services: &s.Info, Log: log})
	if err != nil {
		s.Stop()
		local.WriteFailure(layout, err)
		return err
	}
	w, err := startServicesWorker(ctx, env, e)
	if err != nil {
		e.Close()
		s.Stop()
		local.WriteFailure(layout, err)
		return err
	}
	return local.Serve(ctx, s, local.ServeOptions{
		Idle: idle,
		Log:  log,
		// Without a worker here, jobs are the external workers' business:
		// they stay attached (keeping the services up) while they run one.
		Busy: func() bool { return w != nil && e.Busy(context.Background()) },
		BeforeStop: func() {
			if w != nil { // nil with BRIGHTRUN_SERVICES_WORKER=0
				if err := w.Stop(30 * time.Second); err != nil {
					log.Error("stop worker", "err", err)
				}
			}
			e.Close()
		},
	})
}

// startServicesWorker starts the worker the services run so zero-config
// needs no second process, with the settings of workerOptions; with
// BRIGHTRUN_SERVICES_WORKER=0 there is none (jobs wait for `brightrun
// worker` processes, e.g. on a GPU machine).
func startServicesWorker(ctx context.Context, env Env, e *engine.Engine) (*engine.Worker, error) {
	if v := env.Getenv("BRIGHTRUN_SERVICES_WORKER"); v != "" {
		on, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("BRIGHTRUN_SERVICES_WORKER=%q: want 1 or 0", v)
		}
		if !on {
			return nil, nil
		}
	}
	o, err := workerOptions(env)
	if err != nil {
		return nil, err
	}
	return e.StartWorker(ctx, o)
}

func workerConcurrency(env Env) int {
	if v := env.Getenv("BRIGHTRUN_WORKER_CONCURRENCY"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			return n
		}
	}
	return 4
}

func idleDefault(env Env) time.Duration {
	if v := env.Getenv("BRIGHTRUN_SERVICES_IDLE"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return local.DefaultIdle
}

// SpawnServices starts `brightrun services` for the layout as a detached
// background process (own session, no terminal), logging into the data dir.
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

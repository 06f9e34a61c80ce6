package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"brightrun/engine"
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
	idleDefault, idleErr := durationEnv(env, "BRIGHTRUN_SERVICES_IDLE", engine.DefaultServicesIdle, "never")
	idle := fs.Duration("idle", idleDefault, "stop this long after the last brightrun process detaches (0 = never; env BRIGHTRUN_SERVICES_IDLE)")
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
	switch sub {
	case "stop":
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		stopped, err := engine.StopLocalServices(ctx, cfg)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, map[string]any{"stopped": stopped, "data_dir": cfg.DataDir})
		}
		if stopped {
			fmt.Fprintf(env.Stdout, "stopped the local services of %s\n", cfg.DataDir)
		} else {
			fmt.Fprintf(env.Stdout, "no local services running for %s\n", cfg.DataDir)
		}
		return nil
	case "status":
		return printServices(env, c, cfg, true)
	}
	// The settings from the environment are checked before anything
	// starts. Started in the background by another command, this process
	// has no terminal: the failure file carries the one line to it.
	set, err := readServicesEnv(env)
	if err == nil {
		err = idleErr
	}
	if err != nil {
		return engine.LocalServicesFailed(cfg, err)
	}
	if err := printServices(env, c, cfg, false); err == nil {
		return nil
	}
	if *idle <= 0 {
		*idle = 100 * 365 * 24 * time.Hour
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	return engine.RunLocalServices(ctx, cfg, engine.ServicesOptions{
		Idle:   *idle,
		S3Addr: set.s3Addr,
		Worker: func(ctx context.Context, e *engine.Engine) (*engine.Worker, error) {
			if !set.worker {
				return nil, nil
			}
			return e.StartWorker(ctx, set.workerOptions)
		},
	})
}

// servicesEnv are the services' settings from the environment.
type servicesEnv struct {
	s3Addr        string
	worker        bool // run a worker inside the services
	workerOptions engine.WorkerOptions
}

// readServicesEnv reads BRIGHTRUN_S3_ADDR, BRIGHTRUN_SERVICES_WORKER and,
// for the worker the services run so zero-config needs no second process,
// the settings of workerOptions. With BRIGHTRUN_SERVICES_WORKER=0 there is
// none (jobs wait for `brightrun worker` processes, e.g. on a GPU machine).
func readServicesEnv(env Env) (servicesEnv, error) {
	var s servicesEnv
	var err error
	if s.s3Addr, err = addrEnv(env, "BRIGHTRUN_S3_ADDR", "", 1, "127.0.0.1:7070"); err != nil {
		return s, err
	}
	if s.worker, err = boolEnv(env, "BRIGHTRUN_SERVICES_WORKER", true); err != nil {
		return s, err
	}
	s.workerOptions, err = workerOptions(env)
	return s, err
}

// errNotRunning makes printServices report absence to its caller.
var errNotRunning = errors.New("no local services running")

// printServices shows running services; with required it fails when none run.
func printServices(env Env, c common, cfg engine.Config, required bool) error {
	info, err := engine.LocalServices(cfg)
	if err != nil {
		return err
	}
	if !info.Running {
		if !required {
			return errNotRunning
		}
		if c.json {
			_ = printJSON(env.Stdout, info)
		} else {
			fmt.Fprintf(env.Stdout, "no local services running for %s\n", info.DataDir)
		}
		return errNegative
	}
	if c.json {
		return printJSON(env.Stdout, info)
	}
	fmt.Fprintf(env.Stdout, "local services running (pid %d) since %s\n", info.PID, info.StartedAt.Local().Format(time.DateTime))
	fmt.Fprintf(env.Stdout, "  postgres   unix socket in %s\n", info.SocketDir)
	fmt.Fprintf(env.Stdout, "  s3         %s\n", info.S3Endpoint)
	fmt.Fprintf(env.Stdout, "  attached   %d process(es)\n", info.Clients)
	fmt.Fprintf(env.Stdout, "  data dir   %s\n", info.DataDir)
	return nil
}

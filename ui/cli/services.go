package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
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
		S3Addr: env.Getenv("BRIGHTRUN_S3_ADDR"),
		Worker: func(ctx context.Context, e *engine.Engine) (*engine.Worker, error) {
			return startServicesWorker(ctx, env, e)
		},
	})
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
	if n := engine.PortChangeNotice(info.S3PortChangedFrom, info.S3Endpoint); n != "" {
		fmt.Fprintf(env.Stdout, "             warning: %s\n", n)
	}
	fmt.Fprintf(env.Stdout, "  attached   %d process(es)\n", info.Clients)
	fmt.Fprintf(env.Stdout, "  data dir   %s\n", info.DataDir)
	return nil
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
	return engine.DefaultServicesIdle
}

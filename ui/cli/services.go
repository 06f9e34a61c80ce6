package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"brightrun/engine"
	"brightrun/model"
)

// runServices is the background process of the zero-config mode (started on
// demand by any brightrun command), and its controls.
func runServices(ctx context.Context, env Env, args []string) error {
	sub := ""
	if len(args) > 0 && (args[0] == "stop" || args[0] == "status" || args[0] == "purge") {
		sub, args = args[0], args[1:]
	}
	var c common
	fs := newFlagSet(env, "services", &c, true)
	idleDefault, idleErr := durationEnv(env, "BRIGHTRUN_SERVICES_IDLE", engine.DefaultServicesIdle, "never")
	idle := fs.Duration("idle", idleDefault, "stop this long after the last brightrun process detaches (0 = never; env BRIGHTRUN_SERVICES_IDLE)")
	yes := fs.Bool("yes", false, "purge: delete without asking")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("services: unknown subcommand %q (want stop, status or purge)", pos[0])
	}
	if *yes && sub != "purge" {
		return usagef("services: --yes belongs to services purge")
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
	case "purge":
		return purgeServices(ctx, env, c, cfg, *yes)
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

// purgeServices is `services purge`: it deletes the data dir's database
// cluster and objects, after a confirmation typed on a terminal (or --yes).
func purgeServices(ctx context.Context, env Env, c common, cfg engine.Config, yes bool) error {
	if !yes {
		if !stdinIsTerminal(env.Stdin) {
			return usagef("services purge: stdin is not a terminal to confirm on; pass --yes to delete without asking")
		}
		targets, err := engine.LocalPurgeTargets(cfg)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "This stops the local services of %s and deletes its database and its objects for good:\n", cfg.DataDir)
		for _, t := range targets {
			fmt.Fprintf(env.Stderr, "  %s\n", t)
		}
		fmt.Fprint(env.Stderr, "Type yes to delete them: ")
		answer, _ := bufio.NewReader(env.Stdin).ReadString('\n')
		if strings.TrimSpace(answer) != "yes" {
			fmt.Fprintln(env.Stderr, "nothing was deleted")
			return errNegative
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	deleted, err := engine.PurgeLocalServices(ctx, cfg)
	if err != nil {
		return err
	}
	if c.json {
		if deleted == nil {
			deleted = []string{}
		}
		return printJSON(env.Stdout, map[string]any{"deleted": deleted, "data_dir": cfg.DataDir})
	}
	if len(deleted) == 0 {
		fmt.Fprintf(env.Stdout, "nothing to delete: %s has no database or objects\n", cfg.DataDir)
		return nil
	}
	fmt.Fprintf(env.Stdout, "deleted the database and objects of %s:\n", cfg.DataDir)
	for _, d := range deleted {
		fmt.Fprintf(env.Stdout, "  %s\n", d)
	}
	return nil
}

// stdinIsTerminal says whether r is a terminal a person can answer on: a
// character device other than /dev/null.
func stdinIsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(st, null)
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
	if s.workerOptions, err = workerOptions(env); err != nil {
		return s, err
	}
	// Simulated jobs always; exec jobs only when a trainer command is set,
	// and then only on the GPUs the environment names: without them an
	// exec job waits for a `brightrun worker` on a GPU machine.
	o := &s.workerOptions
	o.Trainers = []string{model.TrainerSimulated}
	if o.ExecTrainer != "" {
		o.Trainers = append(o.Trainers, model.TrainerExec)
		o.GPUType, o.GPUIDs, err = workerGPUs("BRIGHTRUN_EXEC_TRAINER is set: ", env.Getenv("BRIGHTRUN_WORKER_GPU_TYPE"),
			env.Getenv("BRIGHTRUN_WORKER_GPUS"), env.Getenv("BRIGHTRUN_WORKER_GPU_IDS"),
			"BRIGHTRUN_WORKER_GPU_TYPE", "BRIGHTRUN_WORKER_GPUS", "BRIGHTRUN_WORKER_GPU_IDS")
	}
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
	if n := engine.PortChangeNotice(info.S3PortChangedFrom, info.S3Endpoint); n != "" {
		fmt.Fprintf(env.Stdout, "             warning: %s\n", n)
	}
	fmt.Fprintf(env.Stdout, "  attached   %d process(es)\n", info.Clients)
	fmt.Fprintf(env.Stdout, "  data dir   %s\n", info.DataDir)
	return nil
}

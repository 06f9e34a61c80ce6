package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"brightrun/engine"
)

// runWorker executes queued jobs (dataset validation, training) until
// interrupted. Run as many as you like, on as many machines: River hands
// each job to one of them.
// Bounds of the worker's numeric flags: beyond them a value is a typo, not
// a setting (a thousand-fold speed-up already makes a run instant).
const (
	maxWorkerConcurrency = 256
	maxSimSpeed          = 1_000_000
)

func runWorker(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "worker", &c, false)
	def, err := workerOptions(env)
	if err != nil {
		return err
	}
	concurrency := fs.Int("concurrency", def.Concurrency, "jobs run at once")
	simSpeed := fs.Float64("sim-speed", def.SimSpeed, "play simulated training this many times faster than the estimate's duration "+
		"(0: each job in about a minute; env BRIGHTRUN_SIM_SPEED)")
	execTrainer := fs.String("exec-trainer", def.ExecTrainer, "shell command run for jobs created with --trainer exec (env BRIGHTRUN_EXEC_TRAINER)")
	execIdle := fs.Duration("exec-idle-timeout", def.ExecIdleTimeout, "fail an exec trainer that prints nothing for this long (env BRIGHTRUN_EXEC_IDLE_TIMEOUT)")
	rescue := fs.Duration("rescue-after", def.RescueAfter, "resume a training job on another worker when its worker sends no heartbeat for this long (env BRIGHTRUN_RESCUE_AFTER)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(fs, pos); err != nil {
		return err
	}
	switch {
	case *concurrency < 1 || *concurrency > maxWorkerConcurrency:
		return usagef("worker: --concurrency %d is out of range: must be between 1 and %d", *concurrency, maxWorkerConcurrency)
	case *simSpeed < 0 || *simSpeed > maxSimSpeed:
		return usagef("worker: --sim-speed %g is out of range: must be between 0 (about a minute a job) and %g", *simSpeed, float64(maxSimSpeed))
	case *execIdle <= 0 || *rescue <= 0:
		return usagef("worker: --exec-idle-timeout and --rescue-after must be positive")
	}
	e, err := openEngine(ctx, env, c)
	if err != nil {
		return err
	}
	defer e.Close()
	ctx, stop := interruptible(ctx)
	defer stop()
	o := engine.WorkerOptions{Concurrency: *concurrency, SimSpeed: *simSpeed, ExecTrainer: *execTrainer,
		ExecIdleTimeout: *execIdle, RescueAfter: *rescue}
	w, err := e.StartWorker(ctx, o)
	if err != nil {
		return err
	}
	speed := "about a minute a simulated job"
	if o.SimSpeed > 0 {
		speed = fmt.Sprintf("simulated training %g× faster than estimated", o.SimSpeed)
	}
	exec := "no exec trainer (jobs created with --trainer exec fail here)"
	if o.ExecTrainer != "" {
		exec = "exec trainer: " + o.ExecTrainer
	}
	fmt.Fprintf(env.Stderr, "worker running (%d at once; %s; %s); ctrl+c to stop\n", *concurrency, speed, exec)
	<-ctx.Done()
	fmt.Fprintln(env.Stderr, "stopping: letting running jobs finish (30s at most; training jobs resume on the next worker)…")
	return w.Stop(30 * time.Second)
}

// workerOptions reads the worker's settings from the environment, for
// `brightrun worker` (whose flags override them) and the worker inside
// `brightrun services`.
func workerOptions(env Env) (engine.WorkerOptions, error) {
	o := engine.WorkerOptions{ExecTrainer: env.Getenv("BRIGHTRUN_EXEC_TRAINER")}
	var err error
	if o.Concurrency, err = intEnv(env, "BRIGHTRUN_WORKER_CONCURRENCY", 4, 1, maxWorkerConcurrency, "jobs run at once"); err != nil {
		return o, err
	}
	if v := env.Getenv("BRIGHTRUN_SIM_SPEED"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= 0 && f <= maxSimSpeed) { // NaN too
			return o, usagef("BRIGHTRUN_SIM_SPEED=%q: want a number between 0 (about a minute a job) and %g", v, float64(maxSimSpeed))
		}
		o.SimSpeed = f
	}
	if o.ExecIdleTimeout, err = durationEnv(env, "BRIGHTRUN_EXEC_IDLE_TIMEOUT", engine.DefaultExecIdleTimeout, ""); err != nil {
		return o, err
	}
	o.RescueAfter, err = durationEnv(env, "BRIGHTRUN_RESCUE_AFTER", engine.DefaultRescueAfter, "")
	return o, err
}

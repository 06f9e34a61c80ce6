package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"brightrun/engine"
	"brightrun/model"
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

// maxKeepCheckpoints bounds --keep-checkpoints: a run saves at most a few
// hundred checkpoints.
const maxKeepCheckpoints = 1000

// maxWorkerGPUs bounds --gpus and the GPU ids: beyond it a value is a typo.
const maxWorkerGPUs = 1024

func runWorker(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 && args[0] == "list" {
		return runWorkerList(ctx, env, args[1:])
	}
	var c common
	fs := newFlagSet(env, "worker", &c, false)
	def, err := workerOptions(env)
	if err != nil {
		return err
	}
	concurrency := fs.Int("concurrency", def.Concurrency, "simulated jobs (and dataset validations) run at once")
	simSpeed := fs.Float64("sim-speed", def.SimSpeed, "play simulated training this many times faster than the estimate's duration "+
		"(0: each job in about a minute; env BRIGHTRUN_SIM_SPEED)")
	execTrainer := fs.String("exec-trainer", def.ExecTrainer, "shell command run for jobs created with --trainer exec (env BRIGHTRUN_EXEC_TRAINER)")
	execIdle := fs.Duration("exec-idle-timeout", def.ExecIdleTimeout, "fail an exec trainer that prints nothing for this long (env BRIGHTRUN_EXEC_IDLE_TIMEOUT)")
	keep := fs.Int("keep-checkpoints", def.KeepCheckpoints, "checkpoints of an exec job kept in storage besides its best one: the newest N (env BRIGHTRUN_KEEP_CHECKPOINTS)")
	rescue := fs.Duration("rescue-after", def.RescueAfter, "resume a training job on another worker when its worker sends no heartbeat for this long (env BRIGHTRUN_RESCUE_AFTER)")
	trainer := fs.String("trainer", env.Getenv("BRIGHTRUN_WORKER_TRAINER"), "the jobs this worker runs: simulated or exec "+
		"(default exec when an exec trainer is given, else simulated; env BRIGHTRUN_WORKER_TRAINER)")
	gpuType := fs.String("gpu-type", env.Getenv("BRIGHTRUN_WORKER_GPU_TYPE"), "an exec worker's GPU type, from the GPU catalog (env BRIGHTRUN_WORKER_GPU_TYPE)")
	gpus := fs.String("gpus", env.Getenv("BRIGHTRUN_WORKER_GPUS"), "an exec worker's GPU count N: GPUs 0..N-1 (env BRIGHTRUN_WORKER_GPUS)")
	gpuIDs := fs.String("gpu-ids", env.Getenv("BRIGHTRUN_WORKER_GPU_IDS"), "an exec worker's GPU ids, e.g. 0,1 (instead of --gpus; env BRIGHTRUN_WORKER_GPU_IDS)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	switch {
	case *concurrency < 1 || *concurrency > maxWorkerConcurrency:
		return usagef("worker: --concurrency %d is out of range: must be between 1 and %d", *concurrency, maxWorkerConcurrency)
	case *simSpeed < 0 || *simSpeed > maxSimSpeed:
		return usagef("worker: --sim-speed %g is out of range: must be between 0 (about a minute a job) and %g", *simSpeed, float64(maxSimSpeed))
	case *execIdle <= 0 || *rescue <= 0:
		return usagef("worker: --exec-idle-timeout and --rescue-after must be positive")
	case *keep < 1 || *keep > maxKeepCheckpoints:
		return usagef("worker: --keep-checkpoints %d is out of range: must be between 1 and %d", *keep, maxKeepCheckpoints)
	}
	o := engine.WorkerOptions{Concurrency: *concurrency, SimSpeed: *simSpeed, ExecTrainer: *execTrainer,
		ExecIdleTimeout: *execIdle, RescueAfter: *rescue, KeepCheckpoints: *keep}
	switch *trainer {
	case "":
		o.Trainers = []string{model.TrainerSimulated}
		if *execTrainer != "" {
			o.Trainers = []string{model.TrainerExec}
		}
	case model.TrainerSimulated, model.TrainerExec:
		o.Trainers = []string{*trainer}
	default:
		return usagef("worker: --trainer %q: want simulated or exec", *trainer)
	}
	if o.Trainers[0] == model.TrainerExec {
		if *execTrainer == "" {
			return usagef("worker: --trainer exec needs --exec-trainer CMD (or BRIGHTRUN_EXEC_TRAINER)")
		}
		if o.GPUType, o.GPUIDs, err = workerGPUs("worker: ", *gpuType, *gpus, *gpuIDs, "--gpu-type", "--gpus", "--gpu-ids"); err != nil {
			return err
		}
	} else if *gpuType != "" || *gpus != "" || *gpuIDs != "" {
		return usagef("worker: --gpu-type, --gpus and --gpu-ids are for an exec worker (--trainer exec)")
	}
	return withEngine(ctx, env, c, func(e *engine.Engine) error {
		ctx, stop := interruptible(ctx)
		defer stop()
		w, err := e.StartWorker(ctx, o)
		if err != nil {
			return err
		}
		what := ""
		if o.Trainers[0] == model.TrainerExec {
			what = fmt.Sprintf("exec jobs on %d × %s (GPUs %s) with %s", len(o.GPUIDs), w.Self().GPUType, idList(o.GPUIDs), o.ExecTrainer)
		} else {
			speed := "about a minute a job"
			if o.SimSpeed > 0 {
				speed = fmt.Sprintf("%g× faster than estimated", o.SimSpeed)
			}
			what = fmt.Sprintf("simulated jobs, %d at once, %s", *concurrency, speed)
		}
		fmt.Fprintf(env.Stderr, "worker %s running %s; ctrl+c to stop\n", w.ID(), what)
		<-ctx.Done()
		fmt.Fprintln(env.Stderr, "stopping: letting running jobs finish (30s at most; training jobs resume on the next worker)…")
		return w.Stop(30 * time.Second)
	})
}

// workerGPUs reads an exec worker's GPUs: a type and either a count N
// (GPUs 0..N-1) or a list of ids. The type is checked against the catalog
// when the worker starts. names are the flags' (or variables') names.
func workerGPUs(where, gpuType, count, ids, typeName, countName, idsName string) (string, []int, error) {
	if gpuType == "" {
		return "", nil, usagef("%san exec worker needs %s TYPE (a type of the GPU catalog)", where, typeName)
	}
	switch {
	case count != "" && ids != "":
		return "", nil, usagef("%sgive %s or %s, not both", where, countName, idsName)
	case count != "":
		n, err := strconv.Atoi(count)
		if err != nil || n < 1 || n > maxWorkerGPUs {
			return "", nil, usagef("%s%s %q: want a number of GPUs from 1 to %d", where, countName, count, maxWorkerGPUs)
		}
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return gpuType, out, nil
	case ids != "":
		var out []int
		seen := map[int]bool{}
		for _, f := range strings.Split(ids, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 0 || n >= maxWorkerGPUs || seen[n] {
				return "", nil, usagef("%s%s %q: want distinct GPU ids from 0 to %d, comma-separated", where, idsName, ids, maxWorkerGPUs-1)
			}
			seen[n] = true
			out = append(out, n)
		}
		return gpuType, out, nil
	}
	return "", nil, usagef("%san exec worker needs %s N or %s 0,1,…", where, countName, idsName)
}

func idList(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(id)
	}
	return strings.Join(s, ",")
}

// runWorkerList shows the live workers: what each runs, its GPUs and jobs.
func runWorkerList(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "worker list", &c, true)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	return withEngine(ctx, env, c, func(e *engine.Engine) error {
		p, err := e.Workers(ctx)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, p)
		}
		tw := newTable(env.Stdout)
		fmt.Fprintln(tw, "ID\tHOST\tPID\tTRAINERS\tGPUS\tIN USE\tJOBS\tSTARTED\tLAST SEEN")
		now := time.Now()
		for _, w := range p.Workers {
			gpus, inUse := "-", "-"
			if w.GPUType != "" {
				gpus = fmt.Sprintf("%d × %s (%s)", len(w.GPUs), w.GPUType, idList(w.GPUs))
				inUse = fmt.Sprintf("%d of %d", len(w.GPUs)-len(w.GPUsFree), len(w.GPUs))
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%d\t%s\t%s ago\n", w.ID, truncate(w.Host, 24), w.PID, strings.Join(w.Trainers, ","),
				gpus, inUse, len(w.RunningJobs), w.StartedAt.Local().Format(time.DateTime), now.Sub(w.HeartbeatAt).Round(time.Second))
		}
		tw.Flush()
		for _, w := range p.Workers {
			for _, j := range w.RunningJobs {
				fmt.Fprintf(env.Stdout, "%s runs job %s\n", w.ID, j)
			}
		}
		fmt.Fprintf(env.Stdout, "%d worker(s)\n", p.Total)
		return nil
	})
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
	if o.KeepCheckpoints, err = intEnv(env, "BRIGHTRUN_KEEP_CHECKPOINTS", engine.DefaultKeepCheckpoints, 1, maxKeepCheckpoints, "checkpoints kept"); err != nil {
		return o, err
	}
	if o.ExecIdleTimeout, err = durationEnv(env, "BRIGHTRUN_EXEC_IDLE_TIMEOUT", engine.DefaultExecIdleTimeout, ""); err != nil {
		return o, err
	}
	o.RescueAfter, err = durationEnv(env, "BRIGHTRUN_RESCUE_AFTER", engine.DefaultRescueAfter, "")
	return o, err
}

package cli

import (
	"context"
	"fmt"
	"time"

	"brightrun/engine"
)

// runWorker executes queued jobs (dataset validation, training) until
// interrupted. Run as many as you like, on as many machines: River hands
// each job to one of them.
func runWorker(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "worker", &c, false)
	concurrency := fs.Int("concurrency", workerConcurrency(env), "jobs run at once")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(fs, pos); err != nil {
		return err
	}
	if *concurrency < 1 {
		return usagef("worker: --concurrency must be at least 1")
	}
	e, err := openEngine(ctx, env, c)
	if err != nil {
		return err
	}
	defer e.Close()
	ctx, stop := interruptible(ctx)
	defer stop()
	w, err := e.StartWorker(ctx, engine.WorkerOptions{Concurrency: *concurrency})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "worker running (%d at once); ctrl+c to stop\n", *concurrency)
	<-ctx.Done()
	fmt.Fprintln(env.Stderr, "stopping: letting running jobs finish (30s at most)…")
	return w.Stop(30 * time.Second)
}

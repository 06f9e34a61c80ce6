package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// Background work (dataset validation, training) runs as River jobs on the
// same Postgres, so any process can enqueue in the same transaction as the
// row it concerns and any worker process can pick it up; River retries, and
// rescues jobs whose worker died.

// workerSet is one feature's job worker: its kind and how to add it.
type workerSet struct {
	kind string
	add  func(e *Engine, o WorkerOptions, w *river.Workers)
}

// workerSets are the features' job workers; each feature registers its own.
var workerSets []workerSet

// registerWorker adds a job kind and its worker to every worker process.
func registerWorker(kind string, add func(e *Engine, w *river.Workers)) {
	registerWorkerWith(kind, func(e *Engine, _ WorkerOptions, w *river.Workers) { add(e, w) })
}

// registerWorkerWith is registerWorker for a worker that needs the options
// its process was started with (the trainers).
func registerWorkerWith(kind string, add func(e *Engine, o WorkerOptions, w *river.Workers)) {
	workerSets = append(workerSets, workerSet{kind: kind, add: add})
}

func (e *Engine) riverWorkers(o WorkerOptions) *river.Workers {
	w := river.NewWorkers()
	for _, set := range workerSets {
		set.add(e, o, w)
	}
	return w
}

// queue returns the insert-only River client of this process.
func (e *Engine) queue() (*river.Client[pgx.Tx], error) {
	e.queueOnce.Do(func() {
		e.queueClient, e.queueErr = river.NewClient(riverpgxv5.New(e.db.Pool()), &river.Config{
			Workers: e.riverWorkers(WorkerOptions{}),
			Logger:  e.log,
			// Jobs of a kind no worker of this build runs yet (train_job
			// before execution lands) are still stored for one that does.
			SkipUnknownJobCheck: true,
		})
	})
	if e.queueErr != nil {
		return nil, fmt.Errorf("job queue: %w", e.queueErr)
	}
	return e.queueClient, nil
}

// Worker executes queued jobs until stopped.
type Worker struct {
	client     *river.Client[pgx.Tx]
	once       sync.Once
	stopReaper context.CancelFunc
	reaperDone chan struct{}
	stopping   chan struct{}
	writer     *progressWriter
}

// WorkerOptions tune a worker.
type WorkerOptions struct {
	// Concurrency is how many jobs run at once (default 4).
	Concurrency int
	// SimSpeed plays simulated training this many times faster than the
	// estimate's wall clock; 0 is the default, about a minute per job
	// (model.Simulation.Playback).
	SimSpeed float64
	// ExecTrainer is the shell command run for jobs of the exec trainer;
	// empty fails such jobs with a message saying how to set one.
	ExecTrainer string
	// ExecIdleTimeout fails an exec trainer that prints nothing on stdout
	// for this long (default DefaultExecIdleTimeout).
	ExecIdleTimeout time.Duration
	// RescueAfter is how long a running training job may go without its
	// worker's heartbeat before another worker resumes it (or ends it,
	// when its attempts are spent); default DefaultRescueAfter.
	RescueAfter time.Duration

	// stopping is closed when the worker stops, so training jobs hand
	// themselves back at once instead of holding up the stop.
	stopping chan struct{}
	// writer writes the training runs' progress, batched across runs.
	writer *progressWriter
}

// Defaults of WorkerOptions.
const (
	DefaultRescueAfter     = time.Minute
	DefaultExecIdleTimeout = 10 * time.Minute
)

func (o WorkerOptions) withDefaults() WorkerOptions {
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.RescueAfter <= 0 {
		o.RescueAfter = DefaultRescueAfter
	}
	if o.ExecIdleTimeout <= 0 {
		o.ExecIdleTimeout = DefaultExecIdleTimeout
	}
	return o
}

// StartWorker starts executing jobs in this process.
func (e *Engine) StartWorker(ctx context.Context, o WorkerOptions) (*Worker, error) {
	o = o.withDefaults()
	o.stopping = make(chan struct{})
	o.writer = newProgressWriter(e.db, e.log)
	client, err := river.NewClient(riverpgxv5.New(e.db.Pool()), &river.Config{
		Workers:           e.riverWorkers(o),
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Concurrency}},
		Logger:            e.log,
		FetchPollInterval: 500 * time.Millisecond,
		// With no job timeout River's own rescuer leaves running jobs alone
		// (it cannot tell a dead worker from a long run); training jobs are
		// rescued by their heartbeat instead (train_reaper.go).
		RescueStuckJobsAfter: o.RescueAfter,
		JobTimeout:           -1, // training runs for hours; cancellation is explicit
		// A job of a kind this build has no worker for waits for a worker
		// that has one, instead of being failed here.
		FetchOnlyKnownKinds: true,
	})
	if err != nil {
		o.writer.close()
		return nil, fmt.Errorf("start worker: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		o.writer.close()
		return nil, fmt.Errorf("start worker: %w", err)
	}
	w := &Worker{client: client, reaperDone: make(chan struct{}), stopping: o.stopping, writer: o.writer}
	var reaperCtx context.Context
	reaperCtx, w.stopReaper = context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		defer close(w.reaperDone)
		var sweeps sync.WaitGroup
		sweeps.Go(func() { e.sweepStorageEvery(reaperCtx) })
		e.reapTrainJobs(reaperCtx, o.RescueAfter)
		sweeps.Wait()
	}()
	e.log.Info("worker started", "concurrency", o.Concurrency, "rescue_after", o.RescueAfter, "sim_speed", o.SimSpeed,
		"exec_trainer", o.ExecTrainer != "")
	return w, nil
}

// Stop lets running jobs finish for up to grace, then cancels them; River
// marks them for retry so another worker picks them up. Training jobs do not
// wait: they hand themselves back at once and resume on the next worker.
func (w *Worker) Stop(grace time.Duration) error {
	var err error
	w.once.Do(func() {
		close(w.stopping)
		w.stopReaper()
		<-w.reaperDone
		ctx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		err = w.client.Stop(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			hard, c2 := context.WithTimeout(context.Background(), 10*time.Second)
			defer c2()
			err = w.client.StopAndCancel(hard)
		}
		w.writer.close()
	})
	return err
}

// Busy reports whether jobs are running or waiting, so the local services
// do not shut down under a job that is still executing.
// Only kinds this process can work count: a job waiting for another
// kind of worker must not keep the services up forever.
func (e *Engine) Busy(ctx context.Context) bool {
	var n int
	err := e.db.Pool().QueryRow(ctx, `
		SELECT count(*) FROM river_job
		WHERE kind = ANY($1) AND (state IN ('available', 'running', 'retryable')
		   OR (state = 'scheduled' AND scheduled_at < now() + interval '5 minutes'))`, e.jobKinds()).Scan(&n)
	return err == nil && n > 0
}

// jobKinds are the job kinds this build has workers for.
func (e *Engine) jobKinds() []string {
	kinds := make([]string, 0, len(workerSets))
	for _, set := range workerSets {
		kinds = append(kinds, set.kind)
	}
	return kinds
}

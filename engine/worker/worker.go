package worker

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"brightrun/model"
	"brightrun/store"
)

// Background work (dataset validation, training) runs as River jobs on the
// same Postgres, so any process can enqueue in the same transaction as the
// row it concerns and any worker process can pick it up; River retries, and
// rescues jobs whose worker died.

// riverWorkers are the job workers of this build. They are registered
// here, where every River client is built, so one place lists what a
// worker process runs; jobKinds must name the same kinds.
func (e *Runtime) riverWorkers(o Options) *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, &validateDatasetWorker{e: e})
	river.AddWorker(w, &trainWorker{e: e, o: o.withDefaults()})
	return w
}

// jobKinds are the job kinds this build has workers for (riverWorkers).
func (e *Runtime) jobKinds() []string {
	return []string{ValidateDatasetArgs{}.Kind(), TrainJobArgs{}.Kind()}
}

// Worker executes queued jobs until stopped.
type Worker struct {
	client     *river.Client[store.Tx]
	once       sync.Once
	stopReaper context.CancelFunc
	reaperDone chan struct{}
	stopping   chan struct{}
	writer     *progressWriter
	registry   *workerRegistry
	queues     []string
}

// Options tune a worker.
type Options struct {
	// Concurrency is how many jobs run at once (default 4).
	Concurrency int
	// SimSpeed plays simulated training this many times faster than the
	// estimate's wall clock; 0 is the default, about a minute per job
	// (simulate.Simulation.Playback).
	SimSpeed float64
	// ExecTrainer is the shell command run for jobs of the exec trainer;
	// empty fails such jobs with a message saying how to set one.
	ExecTrainer string
	// ExecIdleTimeout fails an exec trainer that prints nothing on stdout
	// for this long (default DefaultExecIdleTimeout).
	ExecIdleTimeout time.Duration
	// RescueAfter is how long a running training job may go without its
	// worker's heartbeat before another worker resumes it (or ends it,
	// when its attempts are spent); default DefaultRescueAfter. A worker
	// whose registry row is this old has died and leaves the list.
	RescueAfter time.Duration
	// Trainers are the trainers whose jobs this worker runs; nil is the
	// simulated one, plus exec when ExecTrainer is set.
	Trainers []string
	// GPUType and GPUIDs are the GPUs of an exec worker: it runs exec
	// jobs of that type (a catalog type, in any case), each on as many of
	// these GPUs as the job asks for, several at once when they fit.
	GPUType string
	GPUIDs  []int
	// KeepCheckpoints is how many of a job's newest checkpoints stay
	// stored, besides its best one (default DefaultKeepCheckpoints).
	KeepCheckpoints int

	// stopping is closed when the worker stops, so training jobs hand
	// themselves back at once instead of holding up the stop.
	stopping chan struct{}
	// writer writes the training runs' progress, batched across runs.
	writer *progressWriter
	// gpus hands the GPUs to the exec runs; registry is this worker's
	// row in the worker registry.
	gpus     *gpuAllocator
	registry *workerRegistry
}

// Defaults of Options.
const (
	DefaultKeepCheckpoints = 3
	DefaultRescueAfter     = time.Minute
	DefaultExecIdleTimeout = 10 * time.Minute
)

func (o Options) withDefaults() Options {
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.RescueAfter <= 0 {
		o.RescueAfter = DefaultRescueAfter
	}
	if o.KeepCheckpoints <= 0 {
		o.KeepCheckpoints = DefaultKeepCheckpoints
	}
	if o.ExecIdleTimeout <= 0 {
		o.ExecIdleTimeout = DefaultExecIdleTimeout
	}
	if o.Trainers == nil {
		o.Trainers = []string{model.TrainerSimulated}
		if o.ExecTrainer != "" {
			o.Trainers = append(o.Trainers, model.TrainerExec)
		}
	}
	return o
}

// runs reports whether the worker runs jobs of trainer.
func (o Options) runs(trainer string) bool { return slices.Contains(o.Trainers, trainer) }

// check refuses options a worker cannot serve by, and spells the GPU type
// as the catalog does.
func (o Options) check(c model.Catalog) (Options, error) {
	for _, t := range o.Trainers {
		if _, err := model.ParseTrainer(t); err != nil || t == "" {
			return o, fmt.Errorf("worker: unknown trainer %q: want %s or %s", t, model.TrainerSimulated, model.TrainerExec)
		}
	}
	if !o.runs(model.TrainerExec) {
		return o, nil
	}
	if o.ExecTrainer == "" {
		return o, errors.New("worker: an exec worker needs a trainer command (--exec-trainer CMD or BRIGHTRUN_EXEC_TRAINER)")
	}
	if o.GPUType == "" || len(o.GPUIDs) == 0 {
		return o, errors.New("worker: an exec worker needs its GPUs: a GPU type (--gpu-type) and --gpus N or --gpu-ids 0,1,…")
	}
	g, err := c.Lookup(o.GPUType)
	if err != nil {
		return o, fmt.Errorf("worker: %w", err)
	}
	o.GPUType = g.Type
	seen := map[int]bool{}
	for _, id := range o.GPUIDs {
		if id < 0 || seen[id] {
			return o, fmt.Errorf("worker: GPU ids %v: each must be a distinct number from 0", o.GPUIDs)
		}
		seen[id] = true
	}
	return o, nil
}

// queueConfig is the River queues the worker fetches from: dataset
// validation (and jobs queued before routing) in the default queue, and
// the queue of each trainer it runs; an exec worker has one slot per GPU.
func (o Options) queueConfig() map[string]river.QueueConfig {
	q := map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Concurrency}}
	if o.runs(model.TrainerSimulated) {
		q[QueueTrainSim] = river.QueueConfig{MaxWorkers: o.Concurrency}
	}
	if o.runs(model.TrainerExec) {
		q[execQueue(o.GPUType)] = river.QueueConfig{MaxWorkers: len(o.GPUIDs)}
	}
	return q
}

// Start starts executing jobs in this process.
func (e *Runtime) Start(ctx context.Context, o Options) (*Worker, error) {
	o, err := o.withDefaults().check(e.catalog)
	if err != nil {
		return nil, err
	}
	o.stopping = make(chan struct{})
	o.gpus = newGPUAllocator(o.GPUIDs)
	o.registry = e.newWorkerRegistry(o)
	if err := o.registry.save(ctx); err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	o.writer = newProgressWriter(e.db, e.log)
	queues := o.queueConfig()
	client, err := river.NewClient(riverpgxv5.New(e.db.Pool()), &river.Config{
		Workers:           e.riverWorkers(o),
		Queues:            queues,
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
	if err == nil {
		err = client.Start(ctx)
	}
	if err != nil {
		o.writer.close()
		o.registry.deregister()
		return nil, fmt.Errorf("start worker: %w", err)
	}
	w := &Worker{client: client, reaperDone: make(chan struct{}), stopping: o.stopping, writer: o.writer,
		registry: o.registry, queues: slices.Sorted(maps.Keys(queues))}
	var reaperCtx context.Context
	reaperCtx, w.stopReaper = context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		defer close(w.reaperDone)
		var sweeps sync.WaitGroup
		sweeps.Go(func() { e.sweepStorageEvery(reaperCtx) })
		sweeps.Go(func() { o.registry.run(reaperCtx) })
		e.reapTrainJobs(reaperCtx, o.RescueAfter)
		sweeps.Wait()
	}()
	e.log.Info("worker started", "id", o.registry.id, "trainers", o.Trainers, "gpu_type", o.GPUType, "gpus", o.GPUIDs,
		"concurrency", o.Concurrency, "rescue_after", o.RescueAfter, "sim_speed", o.SimSpeed, "exec_trainer", o.ExecTrainer != "")
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
		w.registry.deregister()
	})
	return err
}

// ID is the worker's id in the worker registry.
func (w *Worker) ID() uuid.UUID { return w.registry.id }

// Self is the worker as the registry shows it now.
func (w *Worker) Self() model.Worker { return w.registry.self() }

// Busy reports whether jobs this worker can work are running or waiting,
// so the local services do not shut down under a job that is still
// executing. Only its queues count: a job waiting for another kind of
// worker (an exec job on a machine without GPUs) must not keep the
// services up forever.
func (w *Worker) Busy(ctx context.Context) bool {
	busy, err := w.registry.e.db.QueueBusy(ctx, w.registry.e.jobKinds(), w.queues)
	return err == nil && busy
}

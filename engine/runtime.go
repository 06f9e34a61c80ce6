package engine

import (
	"context"
	"time"

	"brightrun/engine/worker"
)

// The job runtime lives in engine/worker; engine builds it over its store
// and hands the faces its workers through the names below, so a face
// starts a worker with Engine.StartWorker and never imports the runtime.

// Worker executes queued jobs until stopped (worker.Worker).
type Worker = worker.Worker

// WorkerOptions tune a worker (worker.Options).
type WorkerOptions = worker.Options

// Defaults of WorkerOptions, the queue of simulated training jobs, and how
// many times a training job is tried.
const (
	DefaultKeepCheckpoints = worker.DefaultKeepCheckpoints
	DefaultRescueAfter     = worker.DefaultRescueAfter
	DefaultExecIdleTimeout = worker.DefaultExecIdleTimeout
	QueueTrainSim          = worker.QueueTrainSim
	TrainAttempts          = worker.TrainAttempts
)

// TrainerCheckOptions, TrainerCheck and TrainerCheckReport are what
// `brightrun trainer check` runs and prints (worker.CheckTrainer).
type (
	TrainerCheckOptions = worker.TrainerCheckOptions
	TrainerCheck        = worker.TrainerCheck
	TrainerCheckReport  = worker.TrainerCheckReport
)

// CheckTrainer runs an exec trainer the way a worker does, with no
// database or object store (worker.CheckTrainer).
func CheckTrainer(ctx context.Context, o TrainerCheckOptions) (TrainerCheckReport, error) {
	return worker.CheckTrainer(ctx, o)
}

// StartWorker starts executing jobs in this process.
func (e *Engine) StartWorker(ctx context.Context, o WorkerOptions) (*Worker, error) {
	return e.rt.Start(ctx, o)
}

// newRuntime builds the job runtime over the engine's store, with the
// storage sweep it runs on the configured intervals: the whole sweep every
// Interval, expired uploads at least every minute.
func (e *Engine) newRuntime() *worker.Runtime {
	c := e.cfg.Sweep.withDefaults()
	return worker.New(worker.Config{
		DB: e.db, Objects: e.objects, Catalog: e.catalog, CatalogSource: e.catalogSource,
		DataDir: e.cfg.DataDir, Log: e.log,
		SweepStorage: func(ctx context.Context) error {
			_, err := e.SweepStorage(ctx)
			return err
		},
		SweepUploads:        e.sweepExpiredUploads,
		SweepInterval:       c.Interval,
		UploadSweepInterval: min(time.Minute, c.Interval, max(c.UploadTimeout/2, 100*time.Millisecond)),
	})
}

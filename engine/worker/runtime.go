// Package worker is Brightrun's job runtime: the River clients, the workers
// that run training and dataset validation jobs, the trainers (simulated,
// exec) and `brightrun trainer check`, the progress writer, the sweep that
// rescues training jobs whose worker died, routing of jobs to the workers
// that can run them, the worker registry and the GPUs it hands out, and the
// storage sweep's periodic runner.
//
// engine imports this package, never the other way round: engine builds
// one Runtime over its store (engine.Open, engine.New) and keeps the use
// cases the faces call. The faces start a worker through the engine
// (Engine.StartWorker, which calls Runtime.Start), and enqueue and cancel
// jobs through it (CreateJob, CancelJob). What the runtime needs back from
// the engine, the storage sweep, it gets as functions in Config. Every SQL
// statement the runtime runs, River's tables included, is in store.
package worker

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"brightrun/model"
	"brightrun/store"
)

// Config is what a Runtime runs on.
type Config struct {
	DB      *store.DB
	Objects *store.Objects
	// Catalog is the GPU catalog in force; CatalogSource says where it came
	// from, for the message of a job whose GPU type it lacks.
	Catalog       model.Catalog
	CatalogSource string
	// DataDir holds the exec trainer's work directories (<data dir>/jobs).
	DataDir string
	Log     *slog.Logger
	// SweepStorage runs the storage sweep; SweepUploads ends expired
	// uploads and confirms finished ones. A worker runs them every
	// SweepInterval and UploadSweepInterval.
	SweepStorage        func(ctx context.Context) error
	SweepUploads        func(ctx context.Context) (expired, confirmed int, err error)
	SweepInterval       time.Duration
	UploadSweepInterval time.Duration
}

// Runtime is the job runtime of one engine.
type Runtime struct {
	db            *store.DB
	objects       *store.Objects
	catalog       model.Catalog
	catalogSource string
	dataDir       string
	log           *slog.Logger
	cfg           Config

	queueOnce   sync.Once
	queueClient *river.Client[store.Tx]
	queueErr    error
}

// New builds the runtime over cfg's store; it starts nothing.
func New(cfg Config) *Runtime {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Runtime{db: cfg.DB, objects: cfg.Objects, catalog: cfg.Catalog, catalogSource: cfg.CatalogSource,
		dataDir: cfg.DataDir, log: cfg.Log, cfg: cfg}
}

// Queue is the insert-only River client of this process: jobs are
// enqueued through it, in the transaction of the row they concern.
func (e *Runtime) Queue() (*river.Client[store.Tx], error) {
	e.queueOnce.Do(func() {
		e.queueClient, e.queueErr = river.NewClient(riverpgxv5.New(e.db.Pool()), &river.Config{
			Workers: e.riverWorkers(Options{}),
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

// sweepStorageEvery sweeps now and then at the configured interval, and
// ends expired uploads more often, until ctx ends.
func (e *Runtime) sweepStorageEvery(ctx context.Context) {
	if err := e.cfg.SweepStorage(ctx); err != nil && ctx.Err() == nil {
		e.log.Warn("storage sweep", "err", err)
	}
	uploads := time.NewTicker(e.cfg.UploadSweepInterval)
	defer uploads.Stop()
	full := time.NewTicker(e.cfg.SweepInterval)
	defer full.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-full.C:
			if err := e.cfg.SweepStorage(ctx); err != nil && ctx.Err() == nil {
				e.log.Warn("storage sweep", "err", err)
			}
		case <-uploads.C:
			n, c, err := e.cfg.SweepUploads(ctx)
			if err != nil && ctx.Err() == nil {
				e.log.Warn("sweep expired uploads", "err", err)
			}
			if n+c > 0 {
				e.log.Info("storage sweep", "expired_uploads", n, "confirmed_uploads", c)
			}
		}
	}
}

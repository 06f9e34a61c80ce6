package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"brightrun/model"
	"brightrun/store"
)

// TrainJobArgs is the queued River job that executes one training job. It is
// written with the training_jobs row, in the same transaction, so a job is
// never queued without its row nor the row left without a job to run it.
type TrainJobArgs struct {
	UserID uuid.UUID `json:"user_id"`
	JobID  uuid.UUID `json:"job_id"`
}

// Kind names the job in River's tables.
func (TrainJobArgs) Kind() string { return "train_job" }

// TrainAttempts is how many times a training job is tried. A worker that
// dies mid-run costs one attempt, and the next attempt resumes from the
// last checkpoint; a trainer that fails on its own is not retried.
const TrainAttempts = 3

// InsertOpts: see TrainAttempts.
func (TrainJobArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: TrainAttempts}
}

// trainWorker executes training jobs with the trainer each job names.
type trainWorker struct {
	river.WorkerDefaults[TrainJobArgs]
	e *Runtime
	o Options
}

// Timeout: training runs for hours; it ends by itself, by cancellation or
// by the worker's shutdown.
func (w *trainWorker) Timeout(*river.Job[TrainJobArgs]) time.Duration { return -1 }

// errWorkerStopping cancels the runs of a worker that is stopping.
var errWorkerStopping = errors.New("the worker is stopping")

// trainer is what runs a job: it reports through the run and returns the
// adapter's files, or an error (a *trainFailure fails the job for good).
type trainer interface {
	train(ctx context.Context, r *trainRun) (trainOutput, error)
}

// trainOutput is a finished trainer's adapter.
type trainOutput struct {
	name      string
	format    string
	simulated bool
	note      string
	files     []artifactFile
	// bestStep is the checkpoint the adapter was taken from, when it is
	// not the run's last state (early stopping, the best model kept).
	bestStep *int
}

// artifactFile is one file of an adapter: in memory (Data) or on disk (Path).
type artifactFile struct {
	name string
	path string
	data []byte
}

// trainerFor picks the trainer a job asked for.
func (w *trainWorker) trainerFor(j model.Job) (trainer, error) {
	switch j.Trainer {
	case model.TrainerSimulated, "":
		return simulatedTrainer{speed: w.o.SimSpeed}, nil
	case model.TrainerExec:
		if w.o.ExecTrainer == "" {
			return nil, failf("the job uses the exec trainer, but this worker has no trainer command: " +
				"start workers with `brightrun worker --exec-trainer CMD` (or BRIGHTRUN_EXEC_TRAINER=CMD) to run exec jobs")
		}
		return execTrainer{command: w.o.ExecTrainer, idle: w.o.ExecIdleTimeout}, nil
	}
	return nil, failf("unknown trainer %q", j.Trainer)
}

// Work runs one attempt of a job to its end, or until it is cancelled, its
// worker stops, or another worker takes it over.
func (w *trainWorker) Work(ctx context.Context, job *river.Job[TrainJobArgs]) error {
	gpus, err := w.route(ctx, job)
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted meanwhile
	}
	if err != nil {
		return err
	}
	if gpus != nil {
		defer w.o.gpus.release(job.Args.JobID)
	}
	w.o.registry.started(job.Args.JobID)
	defer w.o.registry.ended(job.Args.JobID)
	r, err := w.e.claimRun(ctx, job.Args, job.Attempt, w.o)
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted meanwhile
	}
	var failure *trainFailure
	if errors.As(err, &failure) && r != nil {
		return r.end(ctx, model.JobFailed, failure.reason)
	}
	if err != nil || r == nil {
		return err
	}
	r.gpuIDs = gpus
	lastAttempt := job.Attempt >= job.MaxAttempts

	runCtx, cancelRun := context.WithCancelCause(ctx)
	defer cancelRun(nil)
	go r.heartbeat(runCtx, cancelRun)
	go func() {
		select {
		case <-w.o.stopping:
			cancelRun(errWorkerStopping)
		case <-runCtx.Done():
		}
	}()

	out, err := r.trainWith(runCtx, w)
	if err == nil {
		err = r.complete(runCtx, out)
	}
	var capped *costCapReached
	switch {
	case err == nil:
		return nil
	case errors.As(err, &failure):
		return r.end(ctx, model.JobFailed, failure.reason)
	case errors.Is(err, store.ErrRunLost) || errors.Is(context.Cause(runCtx), store.ErrRunLost):
		w.e.log.Warn("job taken over or ended elsewhere; this attempt stops", "job", r.job.ID, "attempt", job.Attempt)
		return nil
	case errors.As(err, &capped):
		return r.end(ctx, model.JobCancelled, capped.reason)
	case errors.Is(err, errCancelRequested) || errors.Is(context.Cause(ctx), river.ErrJobCancelledRemotely) || r.cancelRequested():
		return r.end(ctx, model.JobCancelled, "")
	case ctx.Err() != nil || errors.Is(context.Cause(runCtx), errWorkerStopping):
		// The worker is stopping: the job waits, running, for the next
		// worker, which resumes it from its last checkpoint.
		r.event(model.EventWarning, fmt.Sprintf("worker stopped at step %d; the job resumes on the next worker", r.step))
		r.logEvents(context.WithoutCancel(ctx))
		return river.JobSnooze(0)
	case lastAttempt:
		return r.end(ctx, model.JobFailed, fmt.Sprintf("attempt %d of %d failed: %v", job.Attempt, job.MaxAttempts, err))
	default:
		r.event(model.EventWarning, fmt.Sprintf("attempt %d of %d failed (%v); retrying", job.Attempt, job.MaxAttempts, err))
		r.logEvents(context.WithoutCancel(ctx))
		return err
	}
}

// trainWith runs the job's trainer.
func (r *trainRun) trainWith(ctx context.Context, w *trainWorker) (trainOutput, error) {
	t, err := w.trainerFor(r.job)
	if err != nil {
		return trainOutput{}, err
	}
	return t.train(ctx, r)
}

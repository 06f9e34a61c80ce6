package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
	"brightrun/store"
)

// trainRun is one attempt at a training job on this worker: what the
// trainer reports (stage, steps, points, events, GPU time) is gathered here
// and written by flush in one transaction, which also renews the run's
// heartbeat and tells it when an operator asked to cancel.
type trainRun struct {
	e       *Engine
	o       WorkerOptions
	user    uuid.UUID
	attempt int
	job     model.Job
	dataset model.Dataset
	// datasetDeleted: the dataset was deleted after the job was created;
	// its counts remain, its file may not.
	datasetDeleted bool
	gpu            model.GPU
	checkpoint     store.Checkpoint
	priorSeconds   float64 // GPU time billed by earlier attempts
	firstStart     bool

	status   model.JobStatus
	stage    string
	progress float64
	epoch    int
	step     int
	seconds  float64 // GPU time of this attempt
	metrics  map[string]float64
	eta      *time.Time
	points   []model.MetricPoint
	events   []model.JobEvent
}

// errCancelRequested stops a trainer when an operator cancelled the job.
var errCancelRequested = errors.New("cancelled by an operator")

// trainFailure is a job that cannot succeed (a trainer that crashed, hung
// or broke the protocol, a dataset that is gone): it fails without retry.
type trainFailure struct{ reason string }

func (f *trainFailure) Error() string { return f.reason }

func failf(format string, a ...any) error { return &trainFailure{reason: fmt.Sprintf(format, a...)} }

// claimRun takes a job for this attempt. It returns nil when there is
// nothing to run: the job ended meanwhile, or it was cancelled before it
// started (then it is ended here).
func (e *Engine) claimRun(ctx context.Context, args TrainJobArgs, attempt int, o WorkerOptions) (*trainRun, error) {
	r := &trainRun{e: e, o: o, user: args.UserID, attempt: attempt, metrics: map[string]float64{}}
	var started *model.Job
	err := e.db.WithUser(ctx, args.UserID, func(tx pgx.Tx) error {
		run, err := store.ClaimJobRun(ctx, tx, args.JobID, attempt)
		if err != nil || run.Job.Status.Final() {
			r = nil
			return err
		}
		if run.CancelRequested {
			_, err := e.endJob(ctx, tx, run.Job, 0, model.JobCancelled, "", run.BilledSeconds)
			r = nil
			return err
		}
		r.job, r.dataset, r.datasetDeleted = run.Job, run.Dataset, run.DatasetDeleted
		r.priorSeconds, r.firstStart = run.BilledSeconds, run.FirstStart
		r.status, r.stage, r.progress = run.Job.Status, run.Job.CurrentStage, run.Job.Progress
		r.epoch, r.step = run.Job.CurrentEpoch, run.Job.CurrentStep
		maps.Copy(r.metrics, run.Job.CurrentMetrics)
		if r.checkpoint, err = store.LastCheckpoint(ctx, tx, run.Job.ID); err != nil {
			return err
		}
		host, _ := os.Hostname()
		if run.FirstStart {
			r.event(model.EventInfo, fmt.Sprintf("picked up by a worker on %s (pid %d) with the %s trainer", host, os.Getpid(), run.Job.Trainer))
			started = &run.Job
			if _, err := store.AddNotification(ctx, tx, model.JobStartedNotification(run.Job)); err != nil {
				return err
			}
		} else {
			r.event(model.EventCheckpoint, fmt.Sprintf("attempt %d on %s (pid %d) resumes from step %d", attempt, host, os.Getpid(), r.checkpoint.Step))
		}
		return nil
	})
	if err != nil || r == nil {
		return nil, err
	}
	if r.gpu, err = e.catalog.Lookup(r.job.GPUConfig.Type); err != nil {
		return r, failf("GPU type %q of the job is not in the GPU catalog in force (%s)", r.job.GPUConfig.Type, e.catalogSource)
	}
	if started != nil {
		e.log.Info("job started", "job", r.job.ID, "trainer", r.job.Trainer, "attempt", attempt)
	}
	return r, nil
}

// setStage moves the run to a stage (logging it) and its status forward;
// a status never moves backwards.
func (r *trainRun) setStage(status model.JobStatus, stage, message string) {
	if status != r.status && r.status.CanTransitionTo(status) {
		r.status = status
	}
	if stage != r.stage || message != "" {
		r.stage = stage
		r.events = append(r.events, model.JobEvent{At: time.Now().UTC(), Kind: model.EventStage, Stage: stage, Step: r.step, Message: message})
	}
}

// event logs something that happened in the run.
func (r *trainRun) event(kind, message string) {
	r.events = append(r.events, model.JobEvent{At: time.Now().UTC(), Kind: kind, Stage: r.stage, Step: r.step, Message: message})
}

// addPoint records a metrics point; its values become the job's current metrics.
func (r *trainRun) addPoint(p model.MetricPoint) {
	r.points = append(r.points, p)
	maps.Copy(r.metrics, p.Metrics())
}

// billed is the GPU time of the job so far, all attempts together.
func (r *trainRun) billed() float64 { return r.priorSeconds + r.seconds }

// cost is the compute cost so far.
func (r *trainRun) cost() float64 {
	return model.ComputeCost(r.billed(), r.gpu.HourlyRate, r.job.GPUConfig.Count)
}

// flush writes what was gathered since the last flush. It returns
// errCancelRequested when the job is to be cancelled and store.ErrRunLost
// when the job is no longer this run's.
func (r *trainRun) flush(ctx context.Context) error {
	var cancel bool
	err := r.e.db.WithUser(ctx, r.user, func(tx pgx.Tx) error {
		if err := store.InsertMetricPoints(ctx, tx, r.user, r.job.ID, r.points); err != nil {
			return err
		}
		var err error
		cancel, err = store.SaveJobProgress(ctx, tx, r.job.ID, r.attempt, store.JobProgress{
			Status: r.status, Stage: r.stage, Progress: r.progress, Epoch: r.epoch, Step: r.step,
			BilledSeconds: r.billed(), Cost: r.cost(), Metrics: r.metrics, EstimatedCompletionAt: r.eta, Events: r.events,
		})
		return err
	})
	if err != nil {
		return err
	}
	r.points, r.events = r.points[:0], r.events[:0]
	if cancel {
		return errCancelRequested
	}
	return nil
}

// heartbeatEvery is how often a run renews its lease: often enough that a
// live worker is never taken for a dead one.
func heartbeatEvery(rescueAfter time.Duration) time.Duration {
	return min(15*time.Second, max(250*time.Millisecond, rescueAfter/4))
}

// heartbeat renews the run's lease until ctx ends, whatever the trainer is
// doing (a long upload, a quiet trainer). Losing the lease cancels the run.
func (r *trainRun) heartbeat(ctx context.Context, lost context.CancelCauseFunc) {
	t := time.NewTicker(heartbeatEvery(r.o.RescueAfter))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := r.e.db.WithUser(ctx, r.user, func(tx pgx.Tx) error {
			return store.TouchJobHeartbeat(ctx, tx, r.job.ID, r.attempt)
		})
		if errors.Is(err, store.ErrRunLost) {
			lost(err)
			return
		}
		if err != nil && ctx.Err() == nil {
			r.e.log.Warn("job heartbeat", "job", r.job.ID, "err", err)
		}
	}
}

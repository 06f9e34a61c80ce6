package worker

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
)

// trainRun is one attempt at a training job on this worker: what the
// trainer reports (stage, steps, points, events, GPU time) is gathered here
// and written by flush in one transaction, which also renews the run's
// heartbeat and tells it when an operator asked to cancel.
type trainRun struct {
	e       *Runtime
	o       Options
	user    uuid.UUID
	attempt int
	job     model.Job
	dataset model.Dataset
	// datasetDeleted: the dataset was deleted after the job was created;
	// its counts remain, its file may not.
	datasetDeleted bool
	gpu            model.GPU
	gpuIDs         []int // the GPUs of this worker the run holds (exec runs)
	checkpoint     store.Checkpoint
	// checkpoints are the job's stored checkpoints (all attempts), the
	// best marked.
	checkpoints []model.Checkpoint
	// stopReason is set when the run ends before its plan (early
	// stopping); the adapter is then the best checkpoint's.
	stopReason   string
	bestStep     *int
	priorSeconds float64 // GPU time billed by earlier attempts
	firstStart   bool

	// validation is the job's validation dataset, nil when it has none.
	validation *model.Dataset

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

	// savedAt is when a flush last renewed the heartbeat (unix nanoseconds):
	// the heartbeat goroutine only writes when flushes have gone quiet.
	savedAt atomic.Int64

	// unsavedSince is when flushes began to fail because the database was
	// unreachable (zero while they succeed): the run keeps going and keeps
	// what it gathered until the database is back, for up to RescueAfter.
	unsavedSince time.Time

	// The trainer's output, printed from its own goroutines.
	outMu         sync.Mutex
	output        []model.JobOutputLine
	outputKept    int // lines kept so far, all flushes
	outputDropped int // lines dropped since the last flush
}

// Bounds on a trainer's output: what waits for the next flush, and what a
// job keeps in all. A trainer that prints more loses lines, and the log
// says how many.
const (
	maxPendingOutput = 5000
	maxJobOutput     = 200_000
)

// errCancelRequested stops a trainer when an operator cancelled the job.
var errCancelRequested = errors.New("cancelled by an operator")

// costCapReached stops a run whose cost reached the job's cap: it ends
// cancelled with the reason as its stop_reason.
type costCapReached struct{ reason string }

func (c *costCapReached) Error() string { return c.reason }

// trainFailure is a job that cannot succeed (a trainer that crashed, hung
// or broke the protocol, a dataset that is gone): it fails without retry.
type trainFailure struct{ reason string }

func (f *trainFailure) Error() string { return f.reason }

func failf(format string, a ...any) error { return &trainFailure{reason: fmt.Sprintf(format, a...)} }

// claimRun takes a job for this attempt. It returns nil when there is
// nothing to run: the job ended meanwhile, or it was cancelled before it
// started (then it is ended here).
func (e *Runtime) claimRun(ctx context.Context, args TrainJobArgs, attempt int, o Options) (*trainRun, error) {
	r := &trainRun{e: e, o: o, user: args.UserID, attempt: attempt, metrics: map[string]float64{}}
	var started *model.Job
	err := e.db.WithUser(ctx, args.UserID, func(tx store.Tx) error {
		run, err := store.ClaimJobRun(ctx, tx, args.JobID, attempt)
		if err != nil || run.Job.Status.Final() {
			r = nil
			return err
		}
		if run.CancelRequested {
			_, err := e.EndJob(ctx, tx, run.Job, 0, model.JobCancelled, "", run.BilledSeconds)
			r = nil
			return err
		}
		r.job, r.dataset, r.datasetDeleted = run.Job, run.Dataset, run.DatasetDeleted
		r.validation = run.ValidationDataset
		r.priorSeconds, r.firstStart = run.BilledSeconds, run.FirstStart
		r.status, r.stage, r.progress = run.Job.Status, run.Job.CurrentStage, run.Job.Progress
		r.epoch, r.step = run.Job.CurrentEpoch, run.Job.CurrentStep
		maps.Copy(r.metrics, run.Job.CurrentMetrics)
		if r.checkpoint, err = store.LastCheckpoint(ctx, tx, run.Job.ID); err != nil {
			return err
		}
		if r.checkpoints, err = store.JobCheckpoints(ctx, tx, run.Job.ID); err != nil {
			return err
		}
		host, _ := os.Hostname()
		if run.FirstStart {
			r.event(model.EventInfo, fmt.Sprintf("picked up by a worker on %s (pid %d) with the %s trainer", host, os.Getpid(), run.Job.Trainer))
			started = &run.Job
			// A job resumed by its operator (`job resume`) has checkpoints
			// already: its notification says it goes on, not that it starts.
			note := model.JobStartedNotification(run.Job)
			if len(r.checkpoints) > 0 {
				note = model.JobResumedNotification(run.Job, r.checkpoints[len(r.checkpoints)-1].Step)
			}
			if _, err := store.AddNotification(ctx, tx, note); err != nil {
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
		if message == "" {
			// A trainer may name a stage and say nothing more; the
			// event still says which stage began.
			message = strings.ReplaceAll(stage, "_", " ")
		}
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

// print keeps a line the trainer printed for the next flush. It is safe
// to call from any goroutine.
func (r *trainRun) print(stream, text string) {
	line := model.JobOutputLine{At: time.Now().UTC(), Stream: stream, Text: model.CleanOutputLine(text)}
	r.outMu.Lock()
	defer r.outMu.Unlock()
	if len(r.output) >= maxPendingOutput || r.outputKept+len(r.output) >= maxJobOutput {
		r.outputDropped++
		return
	}
	r.output = append(r.output, line)
}

// takeOutput hands over the lines gathered so far (and a line saying how
// many were dropped, if any).
func (r *trainRun) takeOutput() []model.JobOutputLine {
	r.outMu.Lock()
	defer r.outMu.Unlock()
	out := r.output
	if r.outputDropped > 0 {
		out = append(out, model.JobOutputLine{At: time.Now().UTC(), Stream: model.StreamStderr,
			Text: fmt.Sprintf("[brightrun] %d lines of trainer output were not kept (more than %d waiting, or %d in all)",
				r.outputDropped, maxPendingOutput, maxJobOutput)})
		r.outputDropped = 0
	}
	r.output = nil
	r.outputKept += len(out)
	return out
}

// restoreOutput puts back lines that could not be written, before any
// printed since.
func (r *trainRun) restoreOutput(lines []model.JobOutputLine) {
	if len(lines) == 0 {
		return
	}
	r.outMu.Lock()
	defer r.outMu.Unlock()
	r.output = append(lines, r.output...)
	r.outputKept -= len(lines)
}

// pending is the flush of what was gathered since the last one. The run
// hands its slices over: it starts new ones, so a write still in flight
// never sees them change.
func (r *trainRun) pending() store.RunFlush {
	f := store.RunFlush{
		UserID: r.user, JobID: r.job.ID, Attempt: r.attempt, Points: r.points, Output: r.takeOutput(),
		Progress: store.JobProgress{
			Status: r.status, Stage: r.stage, Progress: r.progress, Epoch: r.epoch, Step: r.step,
			BilledSeconds: r.billed(), Cost: r.cost(), Metrics: maps.Clone(r.metrics), EstimatedCompletionAt: r.eta, Events: r.events,
		},
	}
	r.points, r.events = nil, nil
	return f
}

// restore puts back a flush that could not be written, before whatever was
// gathered since.
func (r *trainRun) restore(f store.RunFlush) {
	r.points = append(f.Points, r.points...)
	r.events = append(f.Progress.Events, r.events...)
	r.restoreOutput(f.Output)
}

// flush writes what was gathered since the last flush, through the
// worker's progress writer (batched with the other runs' flushes). It
// returns errCancelRequested when the job is to be cancelled, a
// *costCapReached when its cost reached the job's cap, and
// store.ErrRunLost when the job is no longer this run's. While the
// database is unreachable it keeps what it has and returns nil, until
// RescueAfter has passed.
func (r *trainRun) flush(ctx context.Context) error {
	f := r.pending()
	var cancel bool
	var err error
	if r.o.writer != nil {
		cancel, err = r.o.writer.save(ctx, f)
	} else {
		err = r.e.db.WithUser(ctx, r.user, func(tx store.Tx) error {
			var err error
			cancel, err = store.WriteRunFlush(ctx, tx, f)
			return err
		})
	}
	if err != nil {
		if ctx.Err() == nil && store.IsTransient(err) {
			r.restore(f)
			if r.unsavedSince.IsZero() {
				r.unsavedSince = time.Now()
				r.e.log.Warn("job progress not saved: the database is unreachable; the run goes on and retries",
					"job", r.job.ID, "err", err)
			}
			if time.Since(r.unsavedSince) < r.o.RescueAfter {
				return nil
			}
			return fmt.Errorf("the database has been unreachable for %s: %w", time.Since(r.unsavedSince).Round(time.Second), err)
		}
		return err
	}
	r.savedAt.Store(time.Now().UnixNano())
	if !r.unsavedSince.IsZero() {
		r.e.log.Info("job progress saved again", "job", r.job.ID, "after", time.Since(r.unsavedSince).Round(time.Millisecond))
		r.unsavedSince = time.Time{}
	}
	if cancel {
		return errCancelRequested
	}
	if c := r.job.MaxCost; c != nil && f.Progress.Cost >= *c {
		// Checked on what was just saved, so the run stops within one
		// flush of reaching its cap and the row already shows that cost.
		return &costCapReached{reason: model.CostCapReason(*c, f.Progress.Step)}
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
	interval := heartbeatEvery(r.o.RescueAfter)
	every(ctx, interval, func() bool {
		if time.Since(time.Unix(0, r.savedAt.Load())) < interval/2 {
			return true // a flush renewed it just now
		}
		err := r.e.db.WithUser(ctx, r.user, func(tx store.Tx) error {
			return store.TouchJobHeartbeat(ctx, tx, r.job.ID, r.attempt)
		})
		if errors.Is(err, store.ErrRunLost) {
			lost(err)
			return false
		}
		if err != nil && ctx.Err() == nil {
			r.e.log.Warn("job heartbeat", "job", r.job.ID, "err", err)
		}
		return true
	})
}

// every calls fn each interval, the first time one interval from now,
// until ctx ends or fn returns false.
func every(ctx context.Context, interval time.Duration, fn func() bool) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !fn() {
			return
		}
	}
}

package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river/rivertype"

	"brightrun/model"
	"brightrun/store"
)

// A training job is never left running without a worker. River cannot tell
// a dead worker from a long run, so each run renews a heartbeat on its row
// (trainRun.heartbeat) and every worker process sweeps for running jobs
// whose heartbeat is older than the rescue interval: such a job goes back to
// the queue, where the next attempt resumes it from its last checkpoint, or,
// when its attempts are spent or an operator cancelled it, it ends failed or
// cancelled with the cost so far. The same sweep ends jobs River gave up on
// (discarded, cancelled) whose rows were left unfinished.

// reapTrainJobs sweeps until ctx ends.
func (e *Runtime) reapTrainJobs(ctx context.Context, rescueAfter time.Duration) {
	every(ctx, min(30*time.Second, max(500*time.Millisecond, rescueAfter/3)), func() bool {
		if err := e.reapOnce(ctx, rescueAfter); err != nil && ctx.Err() == nil {
			e.log.Warn("sweep training jobs", "err", err)
		}
		return true
	})
}

// riverTrainJob is a train_job entry of River's queue.
type riverTrainJob struct {
	id    int64
	args  TrainJobArgs
	state string
}

// reapOnce looks at the candidates: running queue jobs started longer ago
// than the rescue interval, and ones River ended in the last minutes.
func (e *Runtime) reapOnce(ctx context.Context, rescueAfter time.Duration) error {
	entries, err := e.db.QueueJobsToCheck(ctx, TrainJobArgs{}.Kind(), rescueAfter)
	if err != nil {
		return fmt.Errorf("find training jobs to check: %w", err)
	}
	jobs := make([]riverTrainJob, 0, len(entries))
	for _, q := range entries {
		j := riverTrainJob{id: q.ID, state: string(q.State)}
		if err := json.Unmarshal(q.Args, &j.args); err != nil {
			return fmt.Errorf("find training jobs to check: %w", err)
		}
		jobs = append(jobs, j)
	}
	var firstErr error
	for _, j := range jobs {
		if err := e.reapJob(ctx, j, rescueAfter); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("job %s: %w", j.args.JobID, err)
		}
	}
	return firstErr
}

// reapJob checks one candidate and acts, in one transaction with the job's
// row and the queue job both locked, so concurrent sweeps act once.
func (e *Runtime) reapJob(ctx context.Context, j riverTrainJob, rescueAfter time.Duration) error {
	return e.db.WithUser(ctx, j.args.UserID, func(tx store.Tx) error {
		lease, err := store.LockJobLease(ctx, tx, j.args.JobID, rescueAfter)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		q, err := store.LockQueueJob(ctx, tx, j.id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("lock queue job %d: %w", j.id, err)
		}
		state, attempt, maxAttempts := string(q.State), q.Attempt, q.MaxAttempts
		job := lease.Job
		if state != string(rivertype.JobStateRunning) {
			if job.Status.Final() || (state != string(rivertype.JobStateCancelled) && state != string(rivertype.JobStateDiscarded)) {
				return nil
			}
			status, reason := model.JobFailed, fmt.Sprintf("the job queue gave up on it after %d attempt(s)", attempt)
			if state == string(rivertype.JobStateCancelled) || job.CancelRequestedAt != nil {
				status, reason = model.JobCancelled, ""
			}
			_, err := e.EndJob(ctx, tx, job, 0, status, reason, lease.BilledSeconds)
			return err
		}
		if !lease.Stale {
			return nil
		}
		since := "it never sent one"
		if lease.HeartbeatAt != nil {
			since = "the last one was at " + lease.HeartbeatAt.UTC().Format(time.RFC3339)
		}
		lost := fmt.Sprintf("its worker stopped sending heartbeats for over %s (%s)", rescueAfter, since)
		next := rivertype.JobStateAvailable
		switch {
		case job.Status.Final():
			next = rivertype.JobStateCompleted // it ended; only the queue did not hear
		case job.CancelRequestedAt != nil:
			next = rivertype.JobStateCancelled
			_, err = e.EndJob(ctx, tx, job, 0, model.JobCancelled, "", lease.BilledSeconds)
		case attempt >= maxAttempts:
			next = rivertype.JobStateDiscarded
			_, err = e.EndJob(ctx, tx, job, 0, model.JobFailed, fmt.Sprintf("%s, and all %d attempts are spent", lost, maxAttempts), lease.BilledSeconds)
		default:
			err = store.MarkJobRescued(ctx, tx, job.ID, []model.JobEvent{{At: time.Now().UTC(), Kind: model.EventWarning,
				Stage: job.CurrentStage, Step: job.CurrentStep,
				Message: fmt.Sprintf("%s; attempt %d of %d will resume from the last checkpoint", lost, attempt+1, maxAttempts)}})
		}
		if err != nil {
			return err
		}
		e.log.Warn("training job rescued", "job", job.ID, "queue_job", j.id, "to", next)
		return store.RescueQueueJob(ctx, tx, j.id, attempt, next, lost)
	})
}

// ReapTrainJob is the sweep's check of one running training job, queue
// entry queueID, for a cancel that its worker has not answered
// (engine.Session.CancelUnanswered): the same transaction and evidence.
func (e *Runtime) ReapTrainJob(ctx context.Context, queueID int64, args TrainJobArgs, rescueAfter time.Duration) error {
	return e.reapJob(ctx, riverTrainJob{id: queueID, args: args, state: string(rivertype.JobStateRunning)}, rescueAfter)
}

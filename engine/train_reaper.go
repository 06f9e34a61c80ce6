package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
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
func (e *Engine) reapTrainJobs(ctx context.Context, rescueAfter time.Duration) {
	t := time.NewTicker(min(30*time.Second, max(500*time.Millisecond, rescueAfter/3)))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := e.reapOnce(ctx, rescueAfter); err != nil && ctx.Err() == nil {
			e.log.Warn("sweep training jobs", "err", err)
		}
	}
}

// riverTrainJob is a train_job row of River's queue.
type riverTrainJob struct {
	id    int64
	args  TrainJobArgs
	state string
}

// reapOnce looks at the candidates: running queue jobs started longer ago
// than the rescue interval, and ones River ended in the last minutes.
func (e *Engine) reapOnce(ctx context.Context, rescueAfter time.Duration) error {
	rows, err := e.db.Pool().Query(ctx, `
		SELECT id, args, state::text FROM river_job
		WHERE kind = $1 AND ((state = 'running' AND attempted_at < now() - make_interval(secs => $2))
			OR (state IN ('cancelled', 'discarded') AND finalized_at > now() - interval '15 minutes'))
		ORDER BY id`, TrainJobArgs{}.Kind(), rescueAfter.Seconds())
	if err != nil {
		return fmt.Errorf("find training jobs to check: %w", err)
	}
	jobs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (riverTrainJob, error) {
		var j riverTrainJob
		var args []byte
		if err := r.Scan(&j.id, &args, &j.state); err != nil {
			return j, err
		}
		return j, json.Unmarshal(args, &j.args)
	})
	if err != nil {
		return fmt.Errorf("find training jobs to check: %w", err)
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
func (e *Engine) reapJob(ctx context.Context, j riverTrainJob, rescueAfter time.Duration) error {
	return e.db.WithUser(ctx, j.args.UserID, func(tx pgx.Tx) error {
		lease, err := store.LockJobLease(ctx, tx, j.args.JobID, rescueAfter)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		var state string
		var attempt, maxAttempts int
		err = tx.QueryRow(ctx, `SELECT state::text, attempt, max_attempts FROM river_job WHERE id = $1 FOR UPDATE`, j.id).
			Scan(&state, &attempt, &maxAttempts)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("lock queue job %d: %w", j.id, err)
		}
		job := lease.Job
		if state != string(rivertype.JobStateRunning) {
			if job.Status.Final() || (state != string(rivertype.JobStateCancelled) && state != string(rivertype.JobStateDiscarded)) {
				return nil
			}
			status, reason := model.JobFailed, fmt.Sprintf("the job queue gave up on it after %d attempt(s)", attempt)
			if state == string(rivertype.JobStateCancelled) || job.CancelRequestedAt != nil {
				status, reason = model.JobCancelled, ""
			}
			_, err := e.endJob(ctx, tx, job, 0, status, reason, lease.BilledSeconds)
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
			_, err = e.endJob(ctx, tx, job, 0, model.JobCancelled, "", lease.BilledSeconds)
		case attempt >= maxAttempts:
			next = rivertype.JobStateDiscarded
			_, err = e.endJob(ctx, tx, job, 0, model.JobFailed, fmt.Sprintf("%s, and all %d attempts are spent", lost, maxAttempts), lease.BilledSeconds)
		default:
			err = store.MarkJobRescued(ctx, tx, job.ID, []model.JobEvent{{At: time.Now().UTC(), Kind: model.EventWarning,
				Stage: job.CurrentStage, Step: job.CurrentStep,
				Message: fmt.Sprintf("%s; attempt %d of %d will resume from the last checkpoint", lost, attempt+1, maxAttempts)}})
		}
		if err != nil {
			return err
		}
		e.log.Warn("training job rescued", "job", job.ID, "queue_job", j.id, "to", next)
		return rescueQueueJob(ctx, tx, j.id, attempt, next, lost)
	})
}

// rescueQueueJob moves a running queue job on with River's own rescue
// statement, as River's rescuer would.
func rescueQueueJob(ctx context.Context, tx pgx.Tx, id int64, attempt int, next rivertype.JobState, reason string) error {
	now := time.Now().UTC()
	errJSON, err := json.Marshal(rivertype.AttemptError{At: now, Attempt: attempt, Error: "brightrun: " + reason})
	if err != nil {
		return err
	}
	var finalized *time.Time
	if next != rivertype.JobStateAvailable {
		finalized = &now
	}
	_, err = riverpgxv5.New(nil).UnwrapExecutor(tx).JobRescueMany(ctx, &riverdriver.JobRescueManyParams{
		ID: []int64{id}, Error: [][]byte{errJSON}, FinalizedAt: []*time.Time{finalized}, ScheduledAt: []time.Time{now},
		State: []string{string(next)}, StuckHorizon: now.Add(time.Hour),
	})
	if err != nil {
		return fmt.Errorf("rescue queue job %d: %w", id, err)
	}
	return nil
}

package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
	"brightrun/store"
)

// ErrJobFinished means the job has already ended: there is nothing to cancel.
var ErrJobFinished = errors.New("the job has already finished")

// CancelJob cancels one of the operator's jobs, from any process. A queued
// job ends cancelled at once (cost $0.00). A running one is marked
// (cancel_requested_at) and its queue job cancelled, which cancels the
// running trainer's context on whichever worker runs it; the trainer also
// sees the mark at its next write, so it stops within a few seconds and the
// job ends cancelled with the cost so far. The job is returned as it is
// right after the request: watch it (Subscribe, WatchJob) for its end. A
// job that already ended is ErrJobFinished.
func (s *Session) CancelJob(ctx context.Context, id uuid.UUID) (model.Job, error) {
	q, err := s.e.queue()
	if err != nil {
		return model.Job{}, err
	}
	var j model.Job
	var queueID int64
	err = s.e.db.WithUser(ctx, s.user.ID, func(tx pgx.Tx) error {
		var err error
		if j, err = store.LockJob(ctx, tx, id); err != nil {
			return err
		}
		if j.Status.Final() {
			return fmt.Errorf("job %s is %s: %w", id, j.Status, ErrJobFinished)
		}
		if j, err = store.RequestJobCancel(ctx, tx, id); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `SELECT id FROM river_job WHERE kind = $1 AND args->>'job_id' = $2
			AND state NOT IN ('completed', 'cancelled', 'discarded') ORDER BY id DESC LIMIT 1`,
			TrainJobArgs{}.Kind(), id.String()).Scan(&queueID)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("find the queue job of job %s: %w", id, err)
		}
		if j.Status != model.JobQueued {
			return nil
		}
		if queueID != 0 {
			if _, err := q.JobCancelTx(ctx, tx, queueID); err != nil {
				return fmt.Errorf("cancel the queue job of job %s: %w", id, err)
			}
			queueID = 0
		}
		j, err = s.e.endJob(ctx, tx, j, 0, model.JobCancelled, "", 0)
		return err
	})
	if err != nil {
		return model.Job{}, err
	}
	if queueID != 0 {
		// Tell the worker now; if this fails it still sees the mark.
		if _, err := q.JobCancel(ctx, queueID); err != nil {
			s.e.log.Warn("cancel queue job", "job", id, "queue_job", queueID, "err", err)
		}
	}
	s.e.log.Info("job cancel requested", "job", id, "status", j.Status)
	return j, nil
}

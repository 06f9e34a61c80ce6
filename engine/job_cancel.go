package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river/rivertype"

	"brightrun/engine/worker"
	"brightrun/model"
	"brightrun/store"
)

// ErrJobFinished means the job has already ended: there is nothing to cancel.
var ErrJobFinished = errors.New("the job has already finished")

// CancelJob cancels one of the operator's jobs, from any process. A job no
// worker runs ends cancelled at once: a queued one (cost $0.00), and one
// between attempts (handed back by a stopping worker, rescued from a dead
// one, waiting to retry) with the GPU time of its earlier attempts. A
// running one is marked (cancel_requested_at) and its queue job cancelled,
// which cancels the running trainer's context on whichever worker runs it
// (River's notification); the trainer also sees the mark at its next write,
// so it stops within 3 seconds and the job ends cancelled with the cost so
// far. The job is returned as it is right after the request: watch it
// (Subscribe, WatchJob) for its end, and see CancelUnanswered for a worker
// that does not end it. A job that already ended is ErrJobFinished.
func (s *Session) CancelJob(ctx context.Context, id uuid.UUID) (model.Job, error) {
	q, err := s.e.rt.Queue()
	if err != nil {
		return model.Job{}, err
	}
	var j model.Job
	var queueID int64
	err = s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		lease, err := store.LockJobLease(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if j = lease.Job; j.Status.Final() {
			return fmt.Errorf("job %s is %s: %w", id, j.Status, ErrJobFinished)
		}
		if j, err = store.RequestJobCancel(ctx, tx, id); err != nil {
			return err
		}
		// Locked, so no worker fetches it meanwhile.
		entry, err := store.LockOpenQueueJob(ctx, tx, worker.TrainJobArgs{}.Kind(), id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("find the queue job of job %s: %w", id, err)
		}
		queueID = entry.ID
		if j.Status != model.JobQueued && entry.State == rivertype.JobStateRunning {
			return nil // the worker running it ends it
		}
		if queueID != 0 {
			if _, err := q.JobCancelTx(ctx, tx, queueID); err != nil {
				return fmt.Errorf("cancel the queue job of job %s: %w", id, err)
			}
			queueID = 0
		}
		billed := lease.BilledSeconds
		if j.Status == model.JobQueued {
			billed = 0
		}
		j, err = s.e.rt.EndJob(ctx, tx, j, 0, model.JobCancelled, "", billed)
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

// CancelUnanswered is for a job whose cancel was asked and that has not
// ended: silent says its worker has sent no heartbeat for answerWithin (a
// running trainer renews it at least every second; it may have died). A
// job whose worker has been silent for rescueAfter is ended here, cancelled
// with the cost so far, as the workers' sweep would end it (engine/worker/train_reaper.go),
// in the same transaction and on the same evidence. The job is returned as
// it is then.
func (s *Session) CancelUnanswered(ctx context.Context, id uuid.UUID, answerWithin, rescueAfter time.Duration) (j model.Job, silent bool, err error) {
	if j, err = s.Job(ctx, id); err != nil || j.Status.Final() {
		return j, false, err
	}
	var queueID int64
	queueID, err = s.e.db.RunningQueueJob(ctx, worker.TrainJobArgs{}.Kind(), id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return j, false, fmt.Errorf("find the queue job of job %s: %w", id, err)
	}
	if queueID != 0 {
		if err := s.e.rt.ReapTrainJob(ctx, queueID, worker.TrainJobArgs{JobID: id, UserID: s.user.ID}, rescueAfter); err != nil {
			return j, false, fmt.Errorf("job %s: %w", id, err)
		}
	}
	err = s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		lease, err := store.LockJobLease(ctx, tx, id, answerWithin)
		j, silent = lease.Job, lease.Stale
		return err
	})
	return j, silent && !j.Status.Final(), err
}

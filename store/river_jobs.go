package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
)

// River's job table (river_job) is global, like the worker registry: the
// runtime reads it to rescue training jobs whose worker died, to cancel a
// job's queue entry and to route jobs between queues. River's own client
// does the rest (insert, fetch, complete). A training job's queue entry is
// found by the job_id its arguments carry.

// QueueJob is one entry of River's job table, as the runtime reads it.
type QueueJob struct {
	ID          int64
	Args        json.RawMessage
	State       rivertype.JobState
	Attempt     int
	MaxAttempts int
}

// QueueJobsToCheck lists the entries of kind the training sweep looks at:
// running ones started over runningFor ago (their worker may be dead), and
// ones River ended in the last 15 minutes (cancelled, discarded) whose job
// row may still be unfinished.
func (db *DB) QueueJobsToCheck(ctx context.Context, kind string, runningFor time.Duration) ([]QueueJob, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT id, args, state::text FROM river_job
		WHERE kind = $1 AND ((state = 'running' AND attempted_at < now() - make_interval(secs => $2))
			OR (state IN ('cancelled', 'discarded') AND finalized_at > now() - interval '15 minutes'))
		ORDER BY id`, kind, runningFor.Seconds())
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (QueueJob, error) {
		var j QueueJob
		err := r.Scan(&j.ID, &j.Args, &j.State)
		return j, err
	})
}

// LockQueueJob locks one entry for the transaction and reads its state and
// attempts; ErrNotFound when River has deleted it.
func LockQueueJob(ctx context.Context, tx pgx.Tx, id int64) (QueueJob, error) {
	j := QueueJob{ID: id}
	err := tx.QueryRow(ctx, `SELECT state::text, attempt, max_attempts FROM river_job WHERE id = $1 FOR UPDATE`, id).
		Scan(&j.State, &j.Attempt, &j.MaxAttempts)
	return j, notFound(err)
}

// LockOpenQueueJob locks the newest entry of kind for job jobID that River
// has not finished, so no worker fetches it meanwhile; ErrNotFound when
// there is none.
func LockOpenQueueJob(ctx context.Context, tx pgx.Tx, kind string, jobID uuid.UUID) (QueueJob, error) {
	var j QueueJob
	err := tx.QueryRow(ctx, `SELECT id, state::text FROM river_job WHERE kind = $1 AND args->>'job_id' = $2
		AND state NOT IN ('completed', 'cancelled', 'discarded') ORDER BY id DESC LIMIT 1 FOR UPDATE`,
		kind, jobID.String()).Scan(&j.ID, &j.State)
	return j, notFound(err)
}

// RunningQueueJob is the id of the newest running entry of kind for job
// jobID; ErrNotFound when none runs.
func (db *DB) RunningQueueJob(ctx context.Context, kind string, jobID uuid.UUID) (int64, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `SELECT id FROM river_job WHERE kind = $1 AND args->>'job_id' = $2
		AND state = 'running' ORDER BY id DESC LIMIT 1`, kind, jobID.String()).Scan(&id)
	return id, notFound(err)
}

// MoveQueueJob puts a running entry in another queue, where it is fetched
// again once its worker snoozes it.
func (db *DB) MoveQueueJob(ctx context.Context, id int64, queue string) error {
	_, err := db.pool.Exec(ctx, `UPDATE river_job SET queue = $2 WHERE id = $1 AND state = 'running'`, id, queue)
	return err
}

// QueueBusy reports whether entries of these kinds in these queues are
// running or waiting: available, retrying, or scheduled within 5 minutes.
func (db *DB) QueueBusy(ctx context.Context, kinds, queues []string) (bool, error) {
	var n int
	err := db.pool.QueryRow(ctx, `
		SELECT count(*) FROM river_job
		WHERE kind = ANY($1) AND queue = ANY($2) AND (state IN ('available', 'running', 'retryable')
		   OR (state = 'scheduled' AND scheduled_at < now() + interval '5 minutes'))`, kinds, queues).Scan(&n)
	return n > 0, err
}

// RescueQueueJob moves a running entry on to next with River's own rescue
// statement, as River's rescuer would, recording reason as the attempt's
// error.
func RescueQueueJob(ctx context.Context, tx pgx.Tx, id int64, attempt int, next rivertype.JobState, reason string) error {
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

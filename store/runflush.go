package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// RunFlush is what one training run writes at a flush: its new metrics
// points and output lines and its state on the job's row.
type RunFlush struct {
	UserID   uuid.UUID
	JobID    uuid.UUID
	Attempt  int
	Points   []model.MetricPoint
	Output   []model.JobOutputLine
	Progress JobProgress
}

// RunFlushResult is one run's answer: whether an operator asked to cancel
// its job, or ErrRunLost when the job is no longer the run's.
type RunFlushResult struct {
	CancelRequested bool
	Err             error
}

// SaveRunFlushes writes the flushes of many runs (of any users) in tx, in
// one round trip: a worker running a thousand jobs writes them all in one
// transaction and one commit instead of a thousand. Each flush runs under
// its own user's row-level security (app.user_id is set before each).
//
// A run whose job was lost gets ErrRunLost in its result, writes nothing
// and does not stop the others; any other error aborts tx and is returned
// for the whole batch, and the caller retries the runs one by one
// (WriteRunFlush) so a single bad run fails alone.
func SaveRunFlushes(ctx context.Context, tx pgx.Tx, flushes []RunFlush) ([]RunFlushResult, error) {
	b := &pgx.Batch{}
	for _, f := range flushes {
		args, err := runFlushArgs(f)
		if err != nil {
			return nil, err
		}
		b.Queue("SELECT set_config('app.user_id', $1, true)", f.UserID.String())
		b.Queue(runFlushSQL, args...)
	}
	br := tx.SendBatch(ctx, b)
	results := make([]RunFlushResult, len(flushes))
	var batchErr error
	for i, f := range flushes {
		if _, err := br.Exec(); err != nil {
			batchErr = fmt.Errorf("set user for job %s: %w", f.JobID, err)
			break
		}
		cancel, err := scanProgress(f.JobID, br.QueryRow())
		if err != nil && !errors.Is(err, ErrRunLost) {
			batchErr = err
			break
		}
		results[i] = RunFlushResult{CancelRequested: cancel, Err: err}
	}
	if err := br.Close(); err != nil && batchErr == nil {
		batchErr = fmt.Errorf("save progress of %d jobs: %w", len(flushes), err)
	}
	if batchErr != nil {
		return nil, batchErr
	}
	return results, nil
}

// WriteRunFlush writes one run's flush in tx (already under its user).
func WriteRunFlush(ctx context.Context, tx pgx.Tx, f RunFlush) (cancelRequested bool, err error) {
	args, err := runFlushArgs(f)
	if err != nil {
		return false, err
	}
	return scanProgress(f.JobID, tx.QueryRow(ctx, runFlushSQL, args...))
}

// runFlushSQL writes a flush in one statement. The points and lines go in
// only when the fenced update of the job's row went through, so a run
// that lost its job (another attempt owns it, it ended) adds nothing to
// the curve or the log.
var runFlushSQL = `
	WITH job AS (` + saveProgressSQL + ` AS cancel_requested),
	points AS (
		INSERT INTO metrics_points (user_id, job_id, step, epoch, train_loss, val_loss, learning_rate, grad_norm,
			gpu_utilization, tokens_per_sec)
		SELECT $13, $1, * FROM unnest($14::int[], $15::float8[], $16::float8[], $17::float8[], $18::float8[], $19::float8[],
			$20::float8[], $21::float8[])
		WHERE EXISTS (SELECT FROM job)),
	lines AS (
		INSERT INTO job_output_lines (user_id, job_id, at, stream, text)
		SELECT $13, $1, l.at, l.stream, l.text
		FROM unnest($22::timestamptz[], $23::text[], $24::text[]) WITH ORDINALITY AS l(at, stream, text, n)
		WHERE EXISTS (SELECT FROM job)
		ORDER BY l.n)
	SELECT cancel_requested FROM job`

func runFlushArgs(f RunFlush) ([]any, error) {
	args, err := progressArgs(f.JobID, f.Attempt, f.Progress)
	if err != nil {
		return nil, err
	}
	args = append(args, f.UserID)
	args = append(args, metricPointsArgs(f.UserID, f.JobID, f.Points)[2:]...)
	args = append(args, outputArgs(f.UserID, f.JobID, f.Output)[2:]...)
	return args, nil
}

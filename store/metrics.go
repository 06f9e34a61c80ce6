package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// metrics_points holds a job's curve. A run inserts its points in batches
// (one statement per flush; COPY is refused under row-level security) and
// a resumed run continues after the last recorded step.

const metricColumns = `id, step, epoch::float8, train_loss, val_loss, learning_rate, grad_norm, gpu_utilization,
	tokens_per_sec, recorded_at`

// InsertMetricPoints stores points of a job in one statement.
func InsertMetricPoints(ctx context.Context, tx pgx.Tx, userID, jobID uuid.UUID, points []model.MetricPoint) error {
	if len(points) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, insertPointsSQL, metricPointsArgs(userID, jobID, points)...); err != nil {
		return fmt.Errorf("store %d metrics points of job %s: %w", len(points), jobID, err)
	}
	return nil
}

const insertPointsSQL = `
	INSERT INTO metrics_points (user_id, job_id, step, epoch, train_loss, val_loss, learning_rate, grad_norm,
		gpu_utilization, tokens_per_sec)
	SELECT $1, $2, * FROM unnest($3::int[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[],
		$9::float8[], $10::float8[])`

// metricPointsArgs are the arguments of insertPointsSQL: one array per column.
func metricPointsArgs(userID, jobID uuid.UUID, points []model.MetricPoint) []any {
	n := len(points)
	steps := make([]int32, n)
	epochs := make([]float64, n)
	train, val, lr, grad, util, tps := make([]*float64, n), make([]*float64, n), make([]*float64, n),
		make([]*float64, n), make([]*float64, n), make([]*float64, n)
	for i, p := range points {
		steps[i], epochs[i] = int32(p.Step), p.Epoch
		train[i], val[i], lr[i], grad[i], util[i], tps[i] = p.TrainLoss, p.ValLoss, p.LearningRate, p.GradNorm, p.GPUUtilization, p.TokensPerSec
	}
	return []any{userID, jobID, steps, epochs, train, val, lr, grad, util, tps}
}

// MetricPoints reads a job's points at steps from sinceStep on, ordered by
// step and then by when they were written (a validation point follows the
// training point of its step).
func MetricPoints(ctx context.Context, tx pgx.Tx, jobID uuid.UUID, sinceStep int) ([]model.MetricPoint, error) {
	rows, err := tx.Query(ctx, metricPointsSQL, jobID, sinceStep)
	return collectMetricPoints(jobID, rows, err)
}

const metricPointsSQL = `SELECT ` + metricColumns + ` FROM metrics_points
	WHERE job_id = $1 AND step >= $2 ORDER BY step, id`

func collectMetricPoints(jobID uuid.UUID, rows pgx.Rows, err error) ([]model.MetricPoint, error) {
	if err != nil {
		return nil, fmt.Errorf("metrics of job %s: %w", jobID, err)
	}
	points, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.MetricPoint, error) {
		var p model.MetricPoint
		err := r.Scan(&p.ID, &p.Step, &p.Epoch, &p.TrainLoss, &p.ValLoss, &p.LearningRate, &p.GradNorm,
			&p.GPUUtilization, &p.TokensPerSec, &p.RecordedAt)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("metrics of job %s: %w", jobID, err)
	}
	if points == nil {
		points = []model.MetricPoint{}
	}
	return points, nil
}

// Checkpoint is where a resumed run continues: the last recorded step, and
// whether that step's validation point was recorded too.
type Checkpoint struct {
	Step      int
	Validated bool
}

// LastCheckpoint finds a job's last recorded step (0 when none).
func LastCheckpoint(ctx context.Context, tx pgx.Tx, jobID uuid.UUID) (Checkpoint, error) {
	var c Checkpoint
	err := tx.QueryRow(ctx, `SELECT step, bool_or(val_loss IS NOT NULL) FROM metrics_points
		WHERE job_id = $1 GROUP BY step ORDER BY step DESC LIMIT 1`, jobID).Scan(&c.Step, &c.Validated)
	if errors.Is(err, pgx.ErrNoRows) {
		return Checkpoint{}, nil
	}
	if err != nil {
		return Checkpoint{}, fmt.Errorf("last checkpoint of job %s: %w", jobID, err)
	}
	return c, nil
}

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

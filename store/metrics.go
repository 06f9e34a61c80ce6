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

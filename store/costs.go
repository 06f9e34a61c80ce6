package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// cost_records rows: what a finished job cost (final) or had cost when it
// failed or was cancelled (partial).

const costColumns = `id, user_id, job_id, kind, gpu_type, gpu_count, hours::float8, hourly_rate::float8,
	compute_cost::float8, storage_cost::float8, total_cost::float8, recorded_at`

func scanCost(row pgx.Row) (model.CostRecord, error) {
	var c model.CostRecord
	err := row.Scan(&c.ID, &c.UserID, &c.JobID, &c.Kind, &c.GPUType, &c.GPUCount, &c.Hours, &c.HourlyRate,
		&c.ComputeCost, &c.StorageCost, &c.TotalCost, &c.RecordedAt)
	return c, notFound(err)
}

// InsertCostRecord stores the cost of a finished job.
func InsertCostRecord(ctx context.Context, tx pgx.Tx, c model.CostRecord) (model.CostRecord, error) {
	out, err := scanCost(tx.QueryRow(ctx, `
		INSERT INTO cost_records (user_id, job_id, kind, gpu_type, gpu_count, hours, hourly_rate, compute_cost, storage_cost, total_cost)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		RETURNING `+costColumns,
		c.UserID, c.JobID, c.Kind, c.GPUType, c.GPUCount, c.Hours, c.HourlyRate, c.ComputeCost, c.StorageCost, c.TotalCost))
	if err != nil {
		return model.CostRecord{}, fmt.Errorf("record cost of job %s: %w", c.JobID, err)
	}
	return out, nil
}

// JobCost reads the latest cost record of a job; ErrNotFound while it runs.
func JobCost(ctx context.Context, tx pgx.Tx, jobID uuid.UUID) (model.CostRecord, error) {
	c, err := scanCost(tx.QueryRow(ctx, `SELECT `+costColumns+` FROM cost_records WHERE job_id = $1
		ORDER BY recorded_at DESC, id LIMIT 1`, jobID))
	if err != nil {
		return model.CostRecord{}, fmt.Errorf("cost of job %s: %w", jobID, err)
	}
	return c, nil
}

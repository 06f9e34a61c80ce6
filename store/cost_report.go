package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// costGroupKeys are the SQL of each grouping of a costs report, over
// cost_records c joined to its job j and its user u.
var costGroupKeys = map[string]string{
	"day":   `to_char(c.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
	"user":  `u.name`,
	"gpu":   `c.gpu_type`,
	"model": `coalesce(j.base_model, '')`,
}

const costSums = `coalesce(sum(c.compute_cost), 0)::float8, coalesce(sum(c.storage_cost), 0)::float8,
	coalesce(sum(c.total_cost), 0)::float8, coalesce(sum(c.hours * c.gpu_count), 0)::float8, count(DISTINCT c.job_id)::int`

const costsFrom = `cost_records c JOIN users u ON u.id = c.user_id
	LEFT JOIN training_jobs j ON j.id = c.job_id AND j.user_id = c.user_id
	WHERE c.recorded_at >= $1 AND c.recorded_at < $2`

// CostReport sums the cost records of month the transaction may see (its
// user's, or everyone's for the admin) by the grouping, with their total
// and the topN costliest jobs.
func CostReport(ctx context.Context, tx pgx.Tx, month model.Month, by string, topN int) (model.CostReport, error) {
	key, ok := costGroupKeys[by]
	if !ok {
		return model.CostReport{}, model.CheckCostGrouping(by)
	}
	r := model.CostReport{Month: month.String(), By: by, Rows: []model.CostRow{}, TopJobs: []model.JobCost{}}
	rows, err := tx.Query(ctx, `SELECT `+key+`, `+costSums+` FROM `+costsFrom+` GROUP BY 1 ORDER BY 1`, month.Start(), month.End())
	if err != nil {
		return r, fmt.Errorf("costs by %s: %w", by, err)
	}
	r.Rows, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (model.CostRow, error) {
		var c model.CostRow
		err := row.Scan(&c.Key, &c.Compute, &c.Storage, &c.Total, &c.GPUHours, &c.Jobs)
		return c, err
	})
	if err != nil {
		return r, fmt.Errorf("costs by %s: %w", by, err)
	}
	r.Total.Key = "total"
	if err := tx.QueryRow(ctx, `SELECT `+costSums+` FROM `+costsFrom, month.Start(), month.End()).Scan(
		&r.Total.Compute, &r.Total.Storage, &r.Total.Total, &r.Total.GPUHours, &r.Total.Jobs); err != nil {
		return r, fmt.Errorf("costs total: %w", err)
	}
	rows, err = tx.Query(ctx, `SELECT c.job_id::text, coalesce(j.name, ''), u.name, sum(c.total_cost)::float8 FROM `+costsFrom+`
		GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1 LIMIT $3`, month.Start(), month.End(), topN)
	if err != nil {
		return r, fmt.Errorf("top jobs by cost: %w", err)
	}
	r.TopJobs, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (model.JobCost, error) {
		var j model.JobCost
		err := row.Scan(&j.JobID, &j.Name, &j.User, &j.Total)
		return j, err
	})
	if err != nil {
		return r, fmt.Errorf("top jobs by cost: %w", err)
	}
	return r, nil
}

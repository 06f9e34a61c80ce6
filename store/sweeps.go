package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

const sweepColumns = `id, user_id, name, dataset_id, axes, max_total::float8, created_at`

func scanSweep(row pgx.Row, extra ...any) (model.Sweep, error) {
	var s model.Sweep
	err := row.Scan(append([]any{&s.ID, &s.UserID, &s.Name, &s.DatasetID, &s.Axes, &s.MaxTotal, &s.CreatedAt}, extra...)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, ErrNotFound
	}
	return s, err
}

// InsertSweep writes a new sweep of the transaction's user; its runs are
// inserted after it (InsertJob with the sweep's ID) in the same
// transaction.
func InsertSweep(ctx context.Context, tx pgx.Tx, userID uuid.UUID, s model.Sweep) (model.Sweep, error) {
	out, err := scanSweep(tx.QueryRow(ctx, `
		INSERT INTO sweeps (id, user_id, name, dataset_id, axes, max_total) VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING `+sweepColumns, s.ID, userID, s.Name, s.DatasetID, s.Axes, s.MaxTotal))
	if err != nil {
		return model.Sweep{}, fmt.Errorf("create sweep %q: %w", s.Name, err)
	}
	return out, nil
}

// GetSweep reads one sweep of the transaction's user.
func GetSweep(ctx context.Context, tx pgx.Tx, id uuid.UUID) (model.Sweep, error) {
	s, err := scanSweep(tx.QueryRow(ctx, `SELECT `+sweepColumns+` FROM sweeps WHERE id = $1`, id))
	if err != nil {
		return model.Sweep{}, fmt.Errorf("sweep %s: %w", id, err)
	}
	return s, nil
}

// SweepCounts are a sweep's runs counted by where they stand.
type SweepCounts struct {
	Runs     int `json:"runs"`
	Active   int `json:"active"` // queued or running
	Finished int `json:"finished"`
}

// ListSweeps lists the transaction's user's sweeps, newest first, each
// with its runs counted.
func ListSweeps(ctx context.Context, tx pgx.Tx) ([]model.Sweep, []SweepCounts, error) {
	rows, err := tx.Query(ctx, `
		SELECT `+sweepColumns+`,
			(SELECT count(*) FROM training_jobs j WHERE j.sweep_id = s.id),
			(SELECT count(*) FROM training_jobs j WHERE j.sweep_id = s.id
				AND j.status NOT IN ('completed', 'failed', 'cancelled'))
		FROM sweeps s ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, nil, fmt.Errorf("list sweeps: %w", err)
	}
	defer rows.Close()
	var list []model.Sweep
	var counts []SweepCounts
	for rows.Next() {
		var c SweepCounts
		s, err := scanSweep(rows, &c.Runs, &c.Active)
		if err != nil {
			return nil, nil, fmt.Errorf("list sweeps: %w", err)
		}
		c.Finished = c.Runs - c.Active
		list, counts = append(list, s), append(counts, c)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("list sweeps: %w", err)
	}
	return list, counts, nil
}

// SweepJobs reads a sweep's runs in the order they were created.
func SweepJobs(ctx context.Context, tx pgx.Tx, sweepID uuid.UUID) ([]model.Job, error) {
	rows, err := tx.Query(ctx, `SELECT `+jobColumns+` FROM `+jobsJoined+`
		WHERE j.sweep_id = $1 ORDER BY j.created_at, j.id`, sweepID)
	if err != nil {
		return nil, fmt.Errorf("runs of sweep %s: %w", sweepID, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.Job, error) { return scanJob(r) })
	if err != nil {
		return nil, fmt.Errorf("runs of sweep %s: %w", sweepID, err)
	}
	return list, nil
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// The worker registry (migration 00011) is global, like River's tables:
// its statements run on the pool, outside any user's transaction.

// SaveWorker writes a worker's row and renews its heartbeat; a row that a
// sweep deleted meanwhile (the worker was stalled) is written again.
func (db *DB) SaveWorker(ctx context.Context, w model.Worker, rescueAfter time.Duration) error {
	_, err := db.pool.Exec(ctx, `
		INSERT INTO workers (id, host, pid, trainers, gpu_type, gpus, gpus_free, running_jobs, rescue_after, started_at, heartbeat_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, make_interval(secs => $9), $10, now())
		ON CONFLICT (id) DO UPDATE SET gpus_free = EXCLUDED.gpus_free, running_jobs = EXCLUDED.running_jobs,
			heartbeat_at = now()`,
		w.ID, w.Host, w.PID, w.Trainers, w.GPUType, intsOrEmpty(w.GPUs), intsOrEmpty(w.GPUsFree), uuidsOrEmpty(w.RunningJobs),
		rescueAfter.Seconds(), w.StartedAt)
	if err != nil {
		return fmt.Errorf("save worker %s: %w", w.ID, err)
	}
	return nil
}

// DeleteWorker removes a stopping worker's row.
func (db *DB) DeleteWorker(ctx context.Context, id uuid.UUID) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM workers WHERE id = $1`, id); err != nil {
		return fmt.Errorf("deregister worker %s: %w", id, err)
	}
	return nil
}

// DeleteDeadWorkers removes the rows of workers whose heartbeat is older
// than their rescue interval, and returns how many.
func (db *DB) DeleteDeadWorkers(ctx context.Context) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM workers WHERE heartbeat_at < now() - rescue_after`)
	if err != nil {
		return 0, fmt.Errorf("remove dead workers: %w", err)
	}
	return tag.RowsAffected(), nil
}

// LiveWorkers lists the workers whose heartbeat is within their rescue
// interval, oldest first.
func (db *DB) LiveWorkers(ctx context.Context) ([]model.Worker, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT id, host, pid, trainers, gpu_type, gpus, gpus_free, running_jobs, started_at, heartbeat_at
		FROM workers WHERE heartbeat_at >= now() - rescue_after ORDER BY started_at, id`)
	if err != nil {
		return nil, fmt.Errorf("list workers: %w", err)
	}
	ws, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.Worker, error) {
		var w model.Worker
		var pid int32
		var gpus, free []int32
		err := r.Scan(&w.ID, &w.Host, &pid, &w.Trainers, &w.GPUType, &gpus, &free, &w.RunningJobs, &w.StartedAt, &w.HeartbeatAt)
		w.PID, w.GPUs, w.GPUsFree = int(pid), ints(gpus), ints(free)
		if w.RunningJobs == nil {
			w.RunningJobs = []uuid.UUID{}
		}
		return w, err
	})
	if err != nil {
		return nil, fmt.Errorf("list workers: %w", err)
	}
	return ws, nil
}

func ints(a []int32) []int {
	out := make([]int, len(a))
	for i, v := range a {
		out[i] = int(v)
	}
	return out
}

func intsOrEmpty(a []int) []int32 {
	out := make([]int32, len(a))
	for i, v := range a {
		out[i] = int32(v)
	}
	return out
}

func uuidsOrEmpty(a []uuid.UUID) []uuid.UUID {
	if a == nil {
		return []uuid.UUID{}
	}
	return a
}

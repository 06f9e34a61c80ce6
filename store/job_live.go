package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// ReadJobLive reads, as userID, a job, its metric points from sinceStep on,
// its events and its checkpoints (the best marked), in one round trip. A job view reads this at every change
// of its job, in every session that shows one; inside WithUser the same
// reads took six (begin, the user, three queries, commit).
//
// The statements go as one batch, which Postgres runs as one implicit
// transaction: the user set first (local to that transaction) holds for
// the reads after it, under row-level security, and for nothing else.
func (db *DB) ReadJobLive(ctx context.Context, userID, id uuid.UUID, sinceStep int) (model.Job, []model.MetricPoint, []model.JobEvent, []model.Checkpoint, error) {
	if userID == uuid.Nil {
		return model.Job{}, nil, nil, nil, ErrNoUser
	}
	b := &pgx.Batch{}
	b.Queue("SELECT set_config('app.user_id', $1, true)", userID.String())
	b.Queue(`SELECT `+jobColumns+`, j.events FROM `+jobsJoined+` WHERE j.id = $1`, id)
	b.Queue(metricPointsSQL, id, sinceStep)
	b.Queue(jobCheckpointsSQL, id)
	br := db.pool.SendBatch(ctx, b)
	job, points, events, err := readJobLive(br, id)
	var checkpoints []model.Checkpoint
	if err == nil {
		rows, qerr := br.Query()
		checkpoints, err = collectCheckpoints(id, rows, qerr)
	}
	if cerr := br.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("job %s: %w", id, cerr)
	}
	if err != nil {
		return model.Job{}, nil, nil, nil, err
	}
	return job, points, events, checkpoints, nil
}

func readJobLive(br pgx.BatchResults, id uuid.UUID) (model.Job, []model.MetricPoint, []model.JobEvent, error) {
	if _, err := br.Exec(); err != nil {
		return model.Job{}, nil, nil, fmt.Errorf("set user: %w", err)
	}
	var rawEvents []byte
	job, err := scanJob(br.QueryRow(), &rawEvents)
	if err != nil {
		return model.Job{}, nil, nil, fmt.Errorf("job %s: %w", id, err)
	}
	events, err := decodeJobEvents(id, rawEvents)
	if err != nil {
		return model.Job{}, nil, nil, err
	}
	rows, err := br.Query()
	points, err := collectMetricPoints(id, rows, err)
	if err != nil {
		return model.Job{}, nil, nil, err
	}
	return job, points, events, nil
}

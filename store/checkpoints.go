package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// job_checkpoints holds a job's saved states, one row per step; the files
// are in the bucket under the row's storage_path.

const checkpointColumns = `job_id, step, epoch, train_loss, val_loss, train_mean_token_accuracy,
	val_mean_token_accuracy, size_bytes, storage_bucket, storage_path, files, simulated, created_at`

// SaveCheckpoint records a checkpoint of a job; one at the same step (a
// trainer that saved it again after a rescue) is replaced.
func SaveCheckpoint(ctx context.Context, tx pgx.Tx, userID uuid.UUID, c model.Checkpoint) error {
	files, err := json.Marshal(c.Files)
	if err != nil {
		return fmt.Errorf("checkpoint %d of job %s: %w", c.Step, c.JobID, err)
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO job_checkpoints (job_id, user_id, step, epoch, train_loss, val_loss, train_mean_token_accuracy,
			val_mean_token_accuracy, size_bytes, storage_bucket, storage_path, files, simulated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (job_id, step) DO UPDATE SET epoch = EXCLUDED.epoch, train_loss = EXCLUDED.train_loss,
			val_loss = EXCLUDED.val_loss, train_mean_token_accuracy = EXCLUDED.train_mean_token_accuracy,
			val_mean_token_accuracy = EXCLUDED.val_mean_token_accuracy, size_bytes = EXCLUDED.size_bytes,
			storage_bucket = EXCLUDED.storage_bucket, storage_path = EXCLUDED.storage_path, files = EXCLUDED.files,
			simulated = EXCLUDED.simulated, created_at = now()`,
		c.JobID, userID, c.Step, c.Epoch, c.TrainLoss, c.ValLoss, c.TrainAccuracy, c.ValAccuracy, c.SizeBytes,
		c.StorageBucket, c.StoragePath, files, c.Simulated)
	if err != nil {
		return fmt.Errorf("store checkpoint %d of job %s: %w", c.Step, c.JobID, err)
	}
	return nil
}

// JobCheckpoints reads a job's checkpoints by step, the best one marked.
func JobCheckpoints(ctx context.Context, tx pgx.Tx, jobID uuid.UUID) ([]model.Checkpoint, error) {
	rows, err := tx.Query(ctx, jobCheckpointsSQL, jobID)
	return collectCheckpoints(jobID, rows, err)
}

const jobCheckpointsSQL = `SELECT ` + checkpointColumns + ` FROM job_checkpoints WHERE job_id = $1 ORDER BY step`

func collectCheckpoints(jobID uuid.UUID, rows pgx.Rows, err error) ([]model.Checkpoint, error) {
	if err != nil {
		return nil, fmt.Errorf("checkpoints of job %s: %w", jobID, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.Checkpoint, error) {
		var c model.Checkpoint
		var files []byte
		err := r.Scan(&c.JobID, &c.Step, &c.Epoch, &c.TrainLoss, &c.ValLoss, &c.TrainAccuracy, &c.ValAccuracy,
			&c.SizeBytes, &c.StorageBucket, &c.StoragePath, &files, &c.Simulated, &c.CreatedAt)
		if err == nil {
			err = json.Unmarshal(files, &c.Files)
		}
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("checkpoints of job %s: %w", jobID, err)
	}
	if list == nil {
		list = []model.Checkpoint{}
	}
	model.MarkBest(list)
	return list, nil
}

// DeleteCheckpoint forgets a checkpoint of a job (its files are the
// caller's to remove).
func DeleteCheckpoint(ctx context.Context, tx pgx.Tx, jobID uuid.UUID, step int) error {
	if _, err := tx.Exec(ctx, `DELETE FROM job_checkpoints WHERE job_id = $1 AND step = $2`, jobID, step); err != nil {
		return fmt.Errorf("drop checkpoint %d of job %s: %w", step, jobID, err)
	}
	return nil
}

package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// jobColumns read a training_jobs row (alias j) with its dataset's name,
// format and size (alias d, left-joined: a job outlives a hard-deleted
// dataset only in theory, but a missing join must not hide the job).
const jobColumns = `j.id, j.user_id, j.dataset_id, j.name, j.status, j.current_stage, j.progress::float8,
	j.current_epoch, j.total_epochs, j.current_step, j.total_steps, j.gpu_config, j.hyperparameters, j.preset_id,
	j.trainer, j.estimated_total_cost::float8, j.current_cost::float8, j.final_cost::float8, j.current_metrics,
	j.cloned_from, j.artifact_id, coalesce(j.external_job_id, ''), j.retry_count, coalesce(j.error_message, ''),
	j.estimated_completion_at, j.queued_at, j.started_at, j.completed_at, j.cancelled_at, j.cancel_requested_at,
	j.created_at, j.updated_at, coalesce(d.name, ''), coalesce(d.format, ''), coalesce(d.total_training_pairs, 0),
	j.base_model, j.eval_fraction, j.validation_dataset_id, j.total_validation_pairs,
	j.max_cost::float8, coalesce(j.stop_reason, ''), j.sweep_id, coalesce(sw.name, ''),
	j.early_stopping_patience, j.best_checkpoint_step`

// jobJoins join a training_jobs row (alias j) to what jobColumns read
// beside it: its dataset and its sweep.
const jobJoins = `LEFT JOIN datasets d ON d.id = j.dataset_id AND d.user_id = j.user_id
	LEFT JOIN sweeps sw ON sw.id = j.sweep_id AND sw.user_id = j.user_id`

// jobsJoined is the FROM clause jobColumns reads from.
const jobsJoined = `training_jobs j ` + jobJoins

// scanJob scans jobColumns, then into extra any columns selected after them.
func scanJob(row pgx.Row, extra ...any) (model.Job, error) {
	var j model.Job
	var status string
	err := row.Scan(append([]any{&j.ID, &j.UserID, &j.DatasetID, &j.Name, &status, &j.CurrentStage, &j.Progress,
		&j.CurrentEpoch, &j.TotalEpochs, &j.CurrentStep, &j.TotalSteps, &j.GPUConfig, &j.Hyperparameters, &j.Preset,
		&j.Trainer, &j.EstimatedTotalCost, &j.CurrentCost, &j.FinalCost, &j.CurrentMetrics,
		&j.ClonedFrom, &j.ArtifactID, &j.ExternalJobID, &j.RetryCount, &j.ErrorMessage,
		&j.EstimatedCompletionAt, &j.QueuedAt, &j.StartedAt, &j.CompletedAt, &j.CancelledAt, &j.CancelRequestedAt,
		&j.CreatedAt, &j.UpdatedAt, &j.DatasetName, &j.DatasetFormat, &j.DatasetPairs,
		&j.BaseModel, &j.EvalFraction, &j.ValidationDatasetID, &j.TotalValidationPairs,
		&j.MaxCost, &j.StopReason, &j.SweepID, &j.SweepName,
		&j.EarlyStoppingPatience, &j.BestCheckpointStep}, extra...)...)
	j.Status = model.JobStatus(status)
	if j.CurrentMetrics == nil {
		j.CurrentMetrics = map[string]float64{}
	}
	return j, notFound(err)
}

// LockDatasetForJob reads a live dataset of the transaction's user and holds
// a share lock on it until the transaction ends, so it cannot be revalidated
// or deleted between the job's checks and its insert.
func LockDatasetForJob(ctx context.Context, tx pgx.Tx, id uuid.UUID) (model.Dataset, error) {
	d, err := scanDataset(tx.QueryRow(ctx, `SELECT `+datasetColumns+` FROM datasets
		WHERE id = $1 AND deleted_at IS NULL FOR SHARE`, id))
	if err != nil {
		return model.Dataset{}, fmt.Errorf("dataset %s: %w", id, err)
	}
	return d, nil
}

// InsertJob writes a new training_jobs row from j (its ID, dataset, name,
// status and stage, totals, GPUs, hyperparameters, preset, trainer,
// estimated cost, the job it was cloned from, its base model,
// validation, cost cap, early stopping and sweep; progress, current
// counters and cost start at 0 and queued_at is now) and returns the
// stored row with its dataset join.
func InsertJob(ctx context.Context, tx pgx.Tx, userID uuid.UUID, j model.Job) (model.Job, error) {
	metrics := j.CurrentMetrics
	if metrics == nil {
		metrics = map[string]float64{}
	}
	out, err := scanJob(tx.QueryRow(ctx, `
		WITH j AS (
			INSERT INTO training_jobs (id, user_id, dataset_id, name, status, current_stage, progress,
				current_epoch, total_epochs, current_step, total_steps, gpu_config, hyperparameters, preset_id,
				trainer, estimated_total_cost, current_cost, current_metrics, cloned_from, queued_at,
				base_model, eval_fraction, validation_dataset_id, total_validation_pairs, max_cost, sweep_id,
				early_stopping_patience)
			VALUES ($1, $2, $3, $4, $5, $6, 0, 0, $7, 0, $8, $9, $10, $11, $12, $13, 0, $14, $15, now(),
				$16, $17, $18, $19, $20, $21, $22)
			RETURNING *)
		SELECT `+jobColumns+` FROM j `+jobJoins,
		j.ID, userID, j.DatasetID, j.Name, string(j.Status), j.CurrentStage, j.TotalEpochs, j.TotalSteps,
		j.GPUConfig, j.Hyperparameters, j.Preset, j.Trainer, j.EstimatedTotalCost, metrics, j.ClonedFrom,
		j.BaseModel, j.EvalFraction, j.ValidationDatasetID, j.TotalValidationPairs, j.MaxCost, j.SweepID,
		j.EarlyStoppingPatience))
	if err != nil {
		return model.Job{}, fmt.Errorf("create job %q: %w", j.Name, err)
	}
	return out, nil
}

// GetJob reads one job of the transaction's user.
func GetJob(ctx context.Context, tx pgx.Tx, id uuid.UUID) (model.Job, error) {
	j, err := scanJob(tx.QueryRow(ctx, `SELECT `+jobColumns+` FROM `+jobsJoined+` WHERE j.id = $1`, id))
	if err != nil {
		return model.Job{}, fmt.Errorf("job %s: %w", id, err)
	}
	return j, nil
}

// ListJobs pages through the user's jobs, newest first, optionally in one
// status, with the total count for the pager. Row-level security narrows
// both queries to the user, so they walk training_jobs_user_created_idx.
func ListJobs(ctx context.Context, tx pgx.Tx, status string, offset, limit int) ([]model.Job, int, error) {
	var total int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM training_jobs WHERE ($1 = '' OR status = $1)`, status).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count jobs: %w", err)
	}
	rows, err := tx.Query(ctx, `
		SELECT `+jobColumns+` FROM `+jobsJoined+`
		WHERE ($1 = '' OR j.status = $1)
		ORDER BY j.created_at DESC, j.id DESC OFFSET $2 LIMIT $3`, status, offset, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list jobs: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.Job, error) { return scanJob(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("list jobs: %w", err)
	}
	return list, total, nil
}

// AddNotification stores a notification inside the caller's transaction, so
// it is written together with the change it reports (a new job) or not at
// all. DB.InsertNotification is the stand-alone form. An empty priority
// means medium, as in the web app.
func AddNotification(ctx context.Context, tx pgx.Tx, n model.Notification) (model.Notification, error) {
	if n.Priority == "" {
		n.Priority = model.PriorityMedium
	}
	out, err := scanNotification(tx.QueryRow(ctx, `
		INSERT INTO notifications (user_id, type, title, message, priority, action, action_url, read)
		VALUES ($1, $2, $3, $4, $5, $6, notification_action_url($6), $7)
		RETURNING `+notificationColumns,
		n.UserID, n.Type, n.Title, n.Message, n.Priority, n.Action, n.Read))
	if err != nil {
		return model.Notification{}, fmt.Errorf("insert notification %q: %w", n.Type, err)
	}
	return out, nil
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

const datasetColumns = `id, user_id, name, description, format, status, storage_bucket, storage_path, file_name,
	file_size, training_file_id, total_training_pairs, total_validation_pairs, total_tokens,
	avg_turns_per_conversation::float8, avg_tokens_per_example::float8, training_ready, validated_at,
	validation_errors, validation_report, sample_data, coalesce(error_message, ''), created_at, updated_at,
	coalesce(upload_via, ''), upload_expires_at, source_dataset_id, clean_report, coalesce(max_tokens, 0),
	coalesce((SELECT sum(value::bigint) FROM jsonb_each_text(validation_report->'error_counts')), 0)::int`

func scanDataset(row pgx.Row) (model.Dataset, error) {
	var d model.Dataset
	var status string
	err := row.Scan(&d.ID, &d.UserID, &d.Name, &d.Description, &d.Format, &status, &d.StorageBucket,
		&d.StoragePath, &d.FileName, &d.FileSize, &d.TrainingFileID, &d.TotalTrainingPairs,
		&d.TotalValidationPairs, &d.TotalTokens, &d.AvgTurnsPerConversation, &d.AvgTokensPerExample,
		&d.TrainingReady, &d.ValidatedAt, &d.ValidationErrors, &d.ValidationReport, &d.SampleData,
		&d.ErrorMessage, &d.CreatedAt, &d.UpdatedAt, &d.UploadVia, &d.UploadExpiresAt, &d.SourceDatasetID,
		&d.CleanReport, &d.MaxTokens, &d.ErrorCount)
	d.Status = model.DatasetStatus(status)
	return d, notFound(err)
}

// NewDataset is a dataset row about to be created, in status uploading.
type NewDataset struct {
	ID             uuid.UUID
	Name           string
	Description    string
	Bucket         string
	StoragePath    string
	FileName       string
	TrainingFileID *uuid.UUID
	// UploadVia says how the row waits for its file (model.UploadViaClient
	// or UploadViaURL; "" for none), and UploadWait for how long from now
	// (0: no deadline).
	UploadVia  string
	UploadWait time.Duration
	// SourceDatasetID is the dataset a cleaned copy is made from.
	SourceDatasetID *uuid.UUID
}

// InsertDataset creates the row in status uploading; it claims no bytes yet
// (file_size 0) until the object is confirmed in storage.
func InsertDataset(ctx context.Context, tx pgx.Tx, userID uuid.UUID, n NewDataset) (model.Dataset, error) {
	var via *string
	if n.UploadVia != "" {
		via = &n.UploadVia
	}
	d, err := scanDataset(tx.QueryRow(ctx, `
		INSERT INTO datasets (id, user_id, name, description, status, storage_bucket, storage_path, file_name, training_file_id,
			upload_via, upload_expires_at, source_dataset_id)
		VALUES ($1, $2, $3, $4, 'uploading', $5, $6, $7, $8, $9,
			CASE WHEN $10::float8 > 0 THEN now() + make_interval(secs => $10::float8) END, $11)
		RETURNING `+datasetColumns,
		n.ID, userID, n.Name, n.Description, n.Bucket, n.StoragePath, n.FileName, n.TrainingFileID, via, n.UploadWait.Seconds(),
		n.SourceDatasetID))
	if err != nil {
		return model.Dataset{}, fmt.Errorf("create dataset %q: %w", n.Name, err)
	}
	return d, nil
}

// GetDataset reads one live (not deleted) dataset of the transaction's user.
func GetDataset(ctx context.Context, tx pgx.Tx, id uuid.UUID) (model.Dataset, error) {
	d, err := scanDataset(tx.QueryRow(ctx, `SELECT `+datasetColumns+` FROM datasets WHERE id = $1 AND deleted_at IS NULL`, id))
	if err != nil {
		return model.Dataset{}, fmt.Errorf("dataset %s: %w", id, err)
	}
	return d, nil
}

// ListDatasets pages through the user's live datasets, newest first, with
// the total count for the pager. Reports are left out (they can be large).
func ListDatasets(ctx context.Context, tx pgx.Tx, status string, offset, limit int) ([]model.Dataset, int, error) {
	var total int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM datasets WHERE deleted_at IS NULL AND ($1 = '' OR status = $1)`, status).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count datasets: %w", err)
	}
	rows, err := tx.Query(ctx, `
		SELECT `+datasetColumns+` FROM datasets
		WHERE deleted_at IS NULL AND ($1 = '' OR status = $1)
		ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT $3`, status, offset, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list datasets: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.Dataset, error) {
		d, err := scanDataset(r)
		d.ValidationReport = nil
		return d, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list datasets: %w", err)
	}
	return list, total, nil
}

// TokenLimit is the too_many_tokens limit a validation is to use: Set
// when given (> 0), else the one the dataset was last validated with, else
// Default.
type TokenLimit struct{ Set, Default int }

// SetDatasetUploaded records the stored object's size and the token limit
// and moves the dataset to validating. Only an uploading (or validated, when
// revalidating) dataset moves.
func SetDatasetUploaded(ctx context.Context, tx pgx.Tx, id uuid.UUID, size int64, limit TokenLimit) (model.Dataset, error) {
	d, err := scanDataset(tx.QueryRow(ctx, `
		UPDATE datasets SET file_size = $2, status = 'validating', error_message = NULL,
			training_ready = false, validated_at = NULL, upload_expires_at = NULL,
			max_tokens = coalesce(nullif($3::int, 0), max_tokens, nullif($4::int, 0))
		WHERE id = $1 AND deleted_at IS NULL AND status IN ('uploading', 'error', 'ready')
		RETURNING `+datasetColumns, id, size, limit.Set, limit.Default))
	if err != nil {
		return model.Dataset{}, fmt.Errorf("dataset %s to validating: %w", id, err)
	}
	return d, nil
}

// SaveDatasetValidation writes what validation found and ends the dataset in
// ready: the file was read to the end. Whether it can be trained on is
// training_ready, with the reason in error_message when it cannot (status
// error is for a validation that could not run, FailDataset).
func SaveDatasetValidation(ctx context.Context, tx pgx.Tx, id uuid.UUID, v model.DatasetValidation) (model.Dataset, error) {
	status := model.DatasetReady
	var errMsg *string
	if !v.TrainingReady {
		errMsg = &v.ErrorMessage
	}
	d, err := scanDataset(tx.QueryRow(ctx, `
		UPDATE datasets SET status = $2, format = $3, training_ready = $4, total_training_pairs = $5,
			total_tokens = $6, avg_turns_per_conversation = $7, avg_tokens_per_example = $8,
			validation_errors = $9, validation_report = $10, sample_data = $11, error_message = $12,
			validated_at = now()
		WHERE id = $1 AND deleted_at IS NULL
		RETURNING `+datasetColumns, id, string(status), v.Format, v.TrainingReady, v.TotalTrainingPairs,
		v.TotalTokens, v.AvgTurnsPerConversation, v.AvgTokensPerExample, jsonOr(v.Errors, "[]"),
		jsonOr(v.Report, "{}"), jsonOr(v.Samples, "[]"), errMsg))
	if err != nil {
		return model.Dataset{}, fmt.Errorf("save validation of dataset %s: %w", id, err)
	}
	return d, nil
}

// SetDatasetCleanReport records what cleaning dropped on the copy it made
// (a model.DatasetCleanReport).
func SetDatasetCleanReport(ctx context.Context, tx pgx.Tx, id uuid.UUID, report []byte) error {
	if _, err := tx.Exec(ctx, `UPDATE datasets SET clean_report = $2 WHERE id = $1 AND deleted_at IS NULL`, id, string(report)); err != nil {
		return fmt.Errorf("record the clean report of dataset %s: %w", id, err)
	}
	return nil
}

// FailDataset ends a dataset in error with a reason (the object could not be
// read, the upload was abandoned, …).
func FailDataset(ctx context.Context, tx pgx.Tx, id uuid.UUID, reason string) error {
	_, err := tx.Exec(ctx, `UPDATE datasets SET status = 'error', training_ready = false, error_message = $2,
			upload_expires_at = NULL
		WHERE id = $1 AND deleted_at IS NULL`, id, reason)
	if err != nil {
		return fmt.Errorf("fail dataset %s: %w", id, err)
	}
	return nil
}

// DeleteDatasetRow removes a dataset that never got its bytes (an upload
// that failed before anything was stored).
func DeleteDatasetRow(ctx context.Context, tx pgx.Tx, id uuid.UUID) error {
	if _, err := tx.Exec(ctx, `DELETE FROM datasets WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete dataset %s: %w", id, err)
	}
	return nil
}

// SoftDeleteDataset hides a dataset; jobs that used it keep their reference.
func SoftDeleteDataset(ctx context.Context, tx pgx.Tx, id uuid.UUID) (model.Dataset, error) {
	d, err := scanDataset(tx.QueryRow(ctx, `
		UPDATE datasets SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL
		RETURNING `+datasetColumns, id))
	if err != nil {
		return model.Dataset{}, fmt.Errorf("delete dataset %s: %w", id, err)
	}
	return d, nil
}

func jsonOr(b []byte, def string) string {
	if len(b) == 0 {
		return def
	}
	return string(b)
}

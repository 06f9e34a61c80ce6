package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// model_artifacts rows: one per trained adapter, its files stored under the
// row's storage_path prefix in the model-artifacts bucket.

const artifactColumns = `id, user_id, job_id, name, storage_bucket, storage_path, file_size, sha256, format, metadata, created_at`

func scanArtifact(row pgx.Row) (model.Artifact, error) {
	var a model.Artifact
	err := row.Scan(&a.ID, &a.UserID, &a.JobID, &a.Name, &a.StorageBucket, &a.StoragePath, &a.FileSize, &a.SHA256,
		&a.Format, &a.Metadata, &a.CreatedAt)
	if a.Metadata.Files == nil {
		a.Metadata.Files = []model.ArtifactFile{}
	}
	return a, err
}

// InsertArtifact records an adapter whose files are already stored.
func InsertArtifact(ctx context.Context, tx pgx.Tx, a model.Artifact) (model.Artifact, error) {
	out, err := scanArtifact(tx.QueryRow(ctx, `
		INSERT INTO model_artifacts (id, user_id, job_id, name, storage_bucket, storage_path, file_size, sha256, format, metadata)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		RETURNING `+artifactColumns,
		a.ID, a.UserID, a.JobID, a.Name, a.StorageBucket, a.StoragePath, a.FileSize, a.SHA256, a.Format, a.Metadata))
	if err != nil {
		return model.Artifact{}, fmt.Errorf("record artifact of job %s: %w", a.JobID, err)
	}
	return out, nil
}

// JobArtifacts lists a job's artifacts, newest first.
func JobArtifacts(ctx context.Context, tx pgx.Tx, jobID uuid.UUID) ([]model.Artifact, error) {
	rows, err := tx.Query(ctx, `SELECT `+artifactColumns+` FROM model_artifacts WHERE job_id = $1
		ORDER BY created_at DESC, id`, jobID)
	if err != nil {
		return nil, fmt.Errorf("artifacts of job %s: %w", jobID, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.Artifact, error) { return scanArtifact(r) })
	if err != nil {
		return nil, fmt.Errorf("artifacts of job %s: %w", jobID, err)
	}
	if list == nil {
		list = []model.Artifact{}
	}
	return list, nil
}

// PresignGet makes a URL anyone holding it can GET one object with until
// expiry: how an exec trainer on another machine reads its dataset.
func (o *Objects) PresignGet(ctx context.Context, bucket, key string, expiry time.Duration) (string, error) {
	ps := s3.NewPresignClient(o.client)
	req, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(o.Bucket(bucket)),
		Key:    aws.String(key),
	}, s3.WithPresignExpires(expiry))
	if err != nil {
		return "", fmt.Errorf("presign download of %s/%s: %w", bucket, key, err)
	}
	return req.URL, nil
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// RenewDatasetUpload moves an uploading dataset's deadline to wait from
// now, while its client is still sending. False means the row no longer
// waits (it expired, or was deleted), so the client should stop.
func RenewDatasetUpload(ctx context.Context, tx pgx.Tx, id uuid.UUID, wait time.Duration) (bool, error) {
	tag, err := tx.Exec(ctx, `UPDATE datasets SET upload_expires_at = now() + make_interval(secs => $2::float8)
		WHERE id = $1 AND status = 'uploading' AND deleted_at IS NULL`, id, wait.Seconds())
	if err != nil {
		return false, fmt.Errorf("renew upload of dataset %s: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// ExpiredUpload is an uploading dataset past its deadline.
type ExpiredUpload struct {
	ID          uuid.UUID
	Name        string
	Via         string
	Bucket      string
	StoragePath string
	ExpiresAt   time.Time
}

// ExpiredUploads lists the transaction's user's uploading datasets whose
// deadline has passed.
func ExpiredUploads(ctx context.Context, tx pgx.Tx) ([]ExpiredUpload, error) {
	rows, err := tx.Query(ctx, `SELECT id, name, coalesce(upload_via, ''), storage_bucket, storage_path, upload_expires_at
		FROM datasets WHERE status = 'uploading' AND deleted_at IS NULL AND upload_expires_at < now()
		ORDER BY upload_expires_at`)
	if err != nil {
		return nil, fmt.Errorf("find expired uploads: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ExpiredUpload, error) {
		var u ExpiredUpload
		err := r.Scan(&u.ID, &u.Name, &u.Via, &u.Bucket, &u.StoragePath, &u.ExpiresAt)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("find expired uploads: %w", err)
	}
	return list, nil
}

// ExpireDatasetUpload ends an uploading dataset whose deadline has passed
// in error with reason. False means it no longer qualified (its client
// renewed it or finished meanwhile), and must be left alone.
func ExpireDatasetUpload(ctx context.Context, tx pgx.Tx, id uuid.UUID, reason string) (bool, error) {
	tag, err := tx.Exec(ctx, `UPDATE datasets SET status = 'error', training_ready = false, error_message = $2,
			upload_expires_at = NULL
		WHERE id = $1 AND status = 'uploading' AND deleted_at IS NULL AND upload_expires_at < now()`, id, reason)
	if err != nil {
		return false, fmt.Errorf("expire upload of dataset %s: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// UserIDs lists every user, for sweeps that visit each user's rows.
func (db *DB) UserIDs(ctx context.Context) ([]uuid.UUID, error) {
	rows, err := db.pool.Query(ctx, `SELECT id FROM users ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return ids, nil
}

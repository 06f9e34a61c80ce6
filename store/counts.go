package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Counts returns how many rows the user has of each kind, for `brightrun
// status` and the TUI's home screen: conversations, training_files,
// datasets, training_jobs, notifications and unread_notifications.
// Soft-deleted training files and datasets are not counted. One query, so
// the numbers are a consistent snapshot.
func (db *DB) Counts(ctx context.Context, userID uuid.UUID) (map[string]int64, error) {
	var conv, files, datasets, jobs, notes, unread int64
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			SELECT
				(SELECT count(*) FROM conversations),
				(SELECT count(*) FROM training_files WHERE deleted_at IS NULL),
				(SELECT count(*) FROM datasets WHERE deleted_at IS NULL),
				(SELECT count(*) FROM training_jobs),
				(SELECT count(*) FROM notifications),
				(SELECT count(*) FROM notifications WHERE NOT read)`,
		).Scan(&conv, &files, &datasets, &jobs, &notes, &unread)
	})
	if err != nil {
		return nil, fmt.Errorf("count rows: %w", err)
	}
	return map[string]int64{
		"conversations":        conv,
		"training_files":       files,
		"datasets":             datasets,
		"training_jobs":        jobs,
		"notifications":        notes,
		"unread_notifications": unread,
	}, nil
}

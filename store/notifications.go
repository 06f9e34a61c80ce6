package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

const notificationColumns = "id, user_id, type, title, message, priority, action, read, created_at"

func scanNotification(row pgx.Row) (model.Notification, error) {
	var n model.Notification
	err := row.Scan(&n.ID, &n.UserID, &n.Type, &n.Title, &n.Message, &n.Priority, &n.Action, &n.Read, &n.CreatedAt)
	return n, err
}

// InsertNotification stores n for n.UserID and returns the stored row (with
// its ID and time). An empty priority means medium, as in the web app. The
// insert runs as that user, so row-level security vouches for the owner.
func (db *DB) InsertNotification(ctx context.Context, n model.Notification) (model.Notification, error) {
	if n.Priority == "" {
		n.Priority = model.PriorityMedium
	}
	var out model.Notification
	err := db.WithUser(ctx, n.UserID, func(tx pgx.Tx) error {
		var err error
		out, err = scanNotification(tx.QueryRow(ctx, `
			INSERT INTO notifications (user_id, type, title, message, priority, action, action_url, read)
			VALUES ($1, $2, $3, $4, $5, $6, notification_action_url($6), $7)
			RETURNING `+notificationColumns,
			n.UserID, n.Type, n.Title, n.Message, n.Priority, n.Action, n.Read))
		return err
	})
	if err != nil {
		return model.Notification{}, fmt.Errorf("insert notification %q: %w", n.Type, err)
	}
	return out, nil
}

// ListNotifications returns the user's notifications, newest first; at most
// limit of them, or all when limit <= 0.
func (db *DB) ListNotifications(ctx context.Context, userID uuid.UUID, limit int) ([]model.Notification, error) {
	var lim *int
	if limit > 0 {
		lim = &limit
	}
	var list []model.Notification
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT `+notificationColumns+` FROM notifications
			ORDER BY created_at DESC, id DESC
			LIMIT $1`, lim)
		if err != nil {
			return err
		}
		list, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.Notification, error) {
			return scanNotification(r)
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return list, nil
}

// MarkNotificationRead marks one notification read. Marking an already read
// one again is fine; ErrNotFound means it does not exist or is not the user's.
func (db *DB) MarkNotificationRead(ctx context.Context, userID, id uuid.UUID) error {
	var n int64
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE notifications SET read = true WHERE id = $1`, id)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("mark notification %s read: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("notification %s: %w", id, ErrNotFound)
	}
	return nil
}

// MarkAllNotificationsRead marks every unread notification of the user read
// and says how many there were.
func (db *DB) MarkAllNotificationsRead(ctx context.Context, userID uuid.UUID) (int, error) {
	var n int64
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE notifications SET read = true WHERE NOT read`)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("mark all notifications read: %w", err)
	}
	return int(n), nil
}

// UnreadNotifications counts the user's unread notifications (the badge).
func (db *DB) UnreadNotifications(ctx context.Context, userID uuid.UUID) (int, error) {
	var n int
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE NOT read`).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	return n, nil
}

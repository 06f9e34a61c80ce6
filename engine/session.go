package engine

import (
	"context"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
)

// Session is the engine as one operator sees it: every read and write is
// confined to that operator's rows by the database itself.
type Session struct {
	e    *Engine
	user model.User
	// admin: the local account's session (AdminSession).
	admin bool
	// demoSeeded is what SeedDemoIfNew seeded in this session, if anything.
	demoSeeded *DemoResult
}

// User is the session's operator.
func (s *Session) User() model.User { return s.user }

// Engine is the shared engine behind the session.
func (s *Session) Engine() *Engine { return s.e }

// Catalog is the GPU catalog in force.
func (s *Session) Catalog() model.Catalog { return s.e.catalog }

// Estimate prices a training run.
func (s *Session) Estimate(in model.EstimateInput) (model.Estimate, error) {
	return s.e.Estimate(in)
}

// Notifications lists the operator's notifications, newest first.
func (s *Session) Notifications(ctx context.Context, limit int) ([]model.Notification, error) {
	return s.e.db.ListNotifications(ctx, s.user.ID, limit)
}

// MarkNotificationRead marks one notification read.
func (s *Session) MarkNotificationRead(ctx context.Context, id uuid.UUID) error {
	return s.e.db.MarkNotificationRead(ctx, s.user.ID, id)
}

// MarkAllNotificationsRead marks every notification read and says how many changed.
func (s *Session) MarkAllNotificationsRead(ctx context.Context) (int, error) {
	return s.e.db.MarkAllNotificationsRead(ctx, s.user.ID)
}

// Notify stores a notification for the operator.
func (s *Session) Notify(ctx context.Context, n model.Notification) (model.Notification, error) {
	n.UserID = s.user.ID
	if n.Priority == "" {
		n.Priority = model.PriorityLow
	}
	return s.e.db.InsertNotification(ctx, n)
}

// Status reports the servers' health and the operator's row counts.
func (s *Session) Status(ctx context.Context) Status {
	st := s.e.Status(ctx)
	st.User = s.user.Name
	if st.Postgres.OK {
		if counts, err := s.e.db.Counts(ctx, s.user.ID); err == nil {
			st.Counts = counts
		}
		if b, ok, err := s.Budget(ctx, ""); err == nil && ok {
			st.Budget = &b
		}
	}
	return st
}

// asUser runs one read or write in a transaction as the session's operator
// (so row-level security applies) and returns what it gives.
func asUser[T any](ctx context.Context, s *Session, fn func(tx store.Tx) (T, error)) (T, error) {
	var out T
	err := s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) (err error) {
		out, err = fn(tx)
		return err
	})
	return out, err
}

package common

import (
	"context"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
)

// Backend is what the TUI needs from the engine, and nothing more: a session
// of one user (*engine.Session satisfies it). Keeping it this narrow lets the
// screens be tested against an in-memory fixture and lets the SSH server hand
// each session its own user's view of the engine.
//
// Methods taking a context do I/O and are only called from tea.Cmds; User,
// Catalog and Estimate are pure and cheap, so Update may call them directly
// (the estimate calculator recomputes on every keystroke).
type Backend interface {
	ConversationsBackend
	DatasetsBackend
	JobsBackend
	User() model.User
	Status(ctx context.Context) engine.Status
	// S3PortNotice warns that the local object storage's port changed at its
	// last start, so URLs handed out before then no longer work ("" if not).
	S3PortNotice() string
	Notifications(ctx context.Context, limit int) ([]model.Notification, error) // newest first
	MarkNotificationRead(ctx context.Context, id uuid.UUID) error
	MarkAllNotificationsRead(ctx context.Context) (int, error)
	Catalog() model.Catalog
	// Models is the base model catalog: what Configure offers.
	Models() model.ModelCatalog
	Estimate(in model.EstimateInput) (model.Estimate, error)
	// Costs is a month's cost records grouped by day, user, gpu or model:
	// the operator's own, or everyone's for the admin (the Costs tab).
	Costs(ctx context.Context, month model.Month, by string) (model.CostReport, error)
	// Subscribe delivers the user's change events (pushed by Postgres) until
	// cancel is called; the shell subscribes once and broadcasts EventMsg.
	Subscribe() (events <-chan engine.Event, cancel func())
}

// Package uitest holds what the TUI's tests share: an in-memory Backend with
// fixed data and the real GPU catalog, a pinned clock, and helpers to press
// keys and run commands. Tests drive screens through Update exactly as Bubble
// Tea would, and assert on what View draws.
package uitest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/assets"
	"brightrun/engine"
	"brightrun/model"
)

// Now is the pinned clock of every test, so "3m ago" never drifts.
var Now = time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)

// Clock returns Now; pass it as the TUI's clock.
func Clock() time.Time { return Now }

// Backend is a fixture common.Backend: fixed user, status and notifications,
// the embedded GPU catalog, and a record of the calls that change things.
// Set the *Err fields to make calls fail.
type Backend struct {
	mu sync.Mutex

	// Events, when a test sets it, is what Subscribe returns.
	Events chan engine.Event

	UserValue   model.User
	StatusValue engine.Status
	// PortNotice is what S3PortNotice returns.
	PortNotice    string
	Items         []model.Notification
	CatalogValue  model.Catalog
	ModelsValue   model.ModelCatalog
	LoadErr       error
	MarkErr       error
	Loads         int         // Notifications calls
	Marked        []uuid.UUID // MarkNotificationRead calls that succeeded
	MarkAllCalls  int
	EstimateCalls int
}

// NewBackend returns the fixture with its standard data.
func NewBackend(t testing.TB) *Backend {
	t.Helper()
	cat, err := model.ParseCatalog(assets.GPUCatalog)
	if err != nil {
		t.Fatalf("parse embedded catalog: %v", err)
	}
	models, err := model.ParseModelCatalog(assets.ModelCatalog)
	if err != nil {
		t.Fatalf("parse embedded model catalog: %v", err)
	}
	user := model.User{ID: uuid.MustParse("00000000-0000-4000-8000-00000000a11c"), Name: "alice", CreatedAt: Now.Add(-90 * 24 * time.Hour)}
	return &Backend{
		UserValue: user,
		StatusValue: engine.Status{
			Postgres: engine.ServiceState{OK: true, Version: "16.4"},
			S3:       engine.ServiceState{OK: true, Endpoint: "127.0.0.1:7070"},
			User:     user.Name,
			DataDir:  "/home/alice/.local/share/brightrun",
			Mode:     "local",
		},
		Items:        Notifications(user.ID),
		CatalogValue: cat,
		ModelsValue:  models,
	}
}

// Notifications is the fixed inbox, newest first: two unread, three read,
// every priority, ages from minutes to weeks; the actions name the
// fixture's jobs and dataset by ID, as the engine's do.
func Notifications(userID uuid.UUID) []model.Notification {
	n := func(i int, typ, prio, title, msg string, read bool, ago time.Duration, action model.NotificationAction) model.Notification {
		return model.Notification{
			ID:     uuid.MustParse("00000000-0000-4000-8000-00000000000" + string(rune('0'+i))),
			UserID: userID, Type: typ, Title: title, Message: msg, Priority: prio,
			Action: action, Read: read, CreatedAt: Now.Add(-ago),
		}
	}
	return []model.Notification{
		n(1, "job_failed", model.PriorityHigh, "Job failed: support-bot-v3",
			"Training job support-bot-v3 failed at step 412 of 750: CUDA out of memory on GPU 0. The cost so far, $8.12, has been recorded.",
			false, 3*time.Minute, model.NotificationAction{Kind: "job", ID: "00000000-0000-4000-8000-0000000b0001", Label: "job support-bot-v3"}),
		n(2, "job_completed", model.PriorityMedium, "Training finished: tone-tuner",
			"Job tone-tuner completed in 3.57 h for $25.50. The adapter is ready to download.",
			false, 2*time.Hour, model.NotificationAction{Kind: "job", ID: "00000000-0000-4000-8000-0000000b0007", Label: "job tone-tuner"}),
		n(3, "dataset_validated", model.PriorityLow, "Dataset ready: support-2024-q4",
			"1,000 of 1,000 examples are valid (13,268,572 tokens). The dataset is ready for training.",
			true, 26*time.Hour, model.NotificationAction{Kind: "dataset", ID: "00000000-0000-4000-8000-0000000da7a3", Label: "dataset support-2024-q4"}),
		n(4, "job_queued", model.PriorityMedium, "Job queued: tone-tuner",
			"Job tone-tuner is queued on 2 × A100-80GB, estimated $25.50.",
			true, 50*time.Hour, model.NotificationAction{}),
		n(5, "import_completed", model.PriorityLow, "Imported 42 conversations",
			"42 imported, 3 updated, 1 rejected: turns[2].role must be user or assistant.",
			true, 16*24*time.Hour, model.NotificationAction{}),
	}
}

// User implements common.Backend.
func (b *Backend) User() model.User { return b.UserValue }

// Status implements common.Backend.
func (b *Backend) Status(context.Context) engine.Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.StatusValue
}

// S3PortNotice implements common.Backend.
func (b *Backend) S3PortNotice() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.PortNotice
}

// Notifications implements common.Backend, returning copies so the screen
// cannot change the fixture behind the test's back.
func (b *Backend) Notifications(_ context.Context, limit int) ([]model.Notification, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.Loads++
	if b.LoadErr != nil {
		return nil, b.LoadErr
	}
	out := append([]model.Notification(nil), b.Items...)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// MarkNotificationRead implements common.Backend.
func (b *Backend) MarkNotificationRead(_ context.Context, id uuid.UUID) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.MarkErr != nil {
		return b.MarkErr
	}
	for i := range b.Items {
		if b.Items[i].ID == id {
			b.Items[i].Read = true
			b.Marked = append(b.Marked, id)
			return nil
		}
	}
	return errors.New("notification not found")
}

// MarkAllNotificationsRead implements common.Backend.
func (b *Backend) MarkAllNotificationsRead(context.Context) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.MarkAllCalls++
	if b.MarkErr != nil {
		return 0, b.MarkErr
	}
	n := 0
	for i := range b.Items {
		if !b.Items[i].Read {
			b.Items[i].Read = true
			n++
		}
	}
	return n, nil
}

// Catalog implements common.Backend.
func (b *Backend) Catalog() model.Catalog { return b.CatalogValue }

// Models implements common.Backend.
func (b *Backend) Models() model.ModelCatalog { return b.ModelsValue }

// Estimate implements common.Backend with the real model arithmetic.
func (b *Backend) Estimate(in model.EstimateInput) (model.Estimate, error) {
	b.mu.Lock()
	b.EstimateCalls++
	b.mu.Unlock()
	return b.CatalogValue.Estimate(in)
}

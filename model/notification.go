package model

import (
	"time"

	"github.com/google/uuid"
)

// Notification priorities, as the web app used them.
const (
	PriorityLow    = "low"
	PriorityMedium = "medium"
	PriorityHigh   = "high"
)

// NotificationAction points at the thing a notification is about, so a screen
// can jump there (for example {"kind":"job","id":"…"}).
type NotificationAction struct {
	Kind  string `json:"kind,omitempty"`
	ID    string `json:"id,omitempty"`
	Label string `json:"label,omitempty"`
}

// Notification is one message to an operator (job queued, job finished, dataset
// validated, …).
type Notification struct {
	ID        uuid.UUID          `json:"id"`
	UserID    uuid.UUID          `json:"user_id"`
	Type      string             `json:"type"`
	Title     string             `json:"title"`
	Message   string             `json:"message"`
	Priority  string             `json:"priority"`
	Action    NotificationAction `json:"action"`
	Read      bool               `json:"read"`
	CreatedAt time.Time          `json:"created_at"`
}

package model

import (
	"time"

	"github.com/google/uuid"
)

// User is an operator. Every per-user row in the database carries a user's ID,
// and row-level security keys on it.
type User struct {
	ID        uuid.UUID `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

package store

import "errors"

// ErrNotFound means the row does not exist, or belongs to another user:
// row-level security makes the two indistinguishable, on purpose.
var ErrNotFound = errors.New("not found")

// ErrUserExists means a user with that name is already registered.
var ErrUserExists = errors.New("user already exists")

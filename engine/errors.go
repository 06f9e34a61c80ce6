package engine

import "brightrun/store"

// ErrNotFound means the thing asked for does not exist or belongs to another
// operator (row-level security makes the two one answer, on purpose). The
// CLI reports it as a negative answer, exit 1.
var ErrNotFound = store.ErrNotFound

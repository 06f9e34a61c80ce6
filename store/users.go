package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// maxUserNameLen bounds user names: they show up in paths, prompts and
// SSH logins, so they stay short.
const maxUserNameLen = 64

// ValidateUserName checks that name is 1–64 characters of letters, digits,
// '.', '_' and '-': safe as an OS login name, in a path and in a prompt.
func ValidateUserName(name string) error {
	if name == "" {
		return errors.New("user name is empty")
	}
	if len(name) > maxUserNameLen {
		return fmt.Errorf("user name %q is too long: at most %d characters", name, maxUserNameLen)
	}
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
		default:
			return fmt.Errorf("user name %q has the character %q: use only letters, digits, '.', '_' and '-'", name, r)
		}
	}
	return nil
}

const userColumns = "id, name, created_at"

func scanUser(row pgx.Row) (model.User, error) {
	var u model.User
	err := row.Scan(&u.ID, &u.Name, &u.CreatedAt)
	return u, err
}

// EnsureUser returns the user called name, creating it if it does not exist
// yet; the local operator is made this way on first start. Two processes
// starting at once both get the same row: the upsert cannot race.
//
// Unlike AddUser it accepts any non-empty name, because the name comes from
// the operating system (which may allow '@', backslashes or spaces) and refusing it
// would make the program unusable for that operator.
func (db *DB) EnsureUser(ctx context.Context, name string) (model.User, error) {
	if name == "" {
		return model.User{}, errors.New("ensure user: user name is empty")
	}
	// DO UPDATE rather than DO NOTHING, so RETURNING yields the existing row too.
	u, err := scanUser(db.pool.QueryRow(ctx, `
		INSERT INTO users (name) VALUES ($1)
		ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
		RETURNING `+userColumns, name))
	if err != nil {
		return model.User{}, fmt.Errorf("ensure user %q: %w", name, err)
	}
	return u, nil
}

// AddUser registers a new user (`brightrun user add NAME`). It fails with
// ErrUserExists when the name is taken, so a typo cannot silently reuse
// someone else's account.
func (db *DB) AddUser(ctx context.Context, name string) (model.User, error) {
	if err := ValidateUserName(name); err != nil {
		return model.User{}, err
	}
	u, err := scanUser(db.pool.QueryRow(ctx,
		`INSERT INTO users (name) VALUES ($1) RETURNING `+userColumns, name))
	if isUniqueViolation(err) {
		return model.User{}, fmt.Errorf("add user %q: %w", name, ErrUserExists)
	}
	if err != nil {
		return model.User{}, fmt.Errorf("add user %q: %w", name, err)
	}
	return u, nil
}

// UserByName finds a user; ErrNotFound when there is none.
func (db *DB) UserByName(ctx context.Context, name string) (model.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx,
		`SELECT `+userColumns+` FROM users WHERE name = $1`, name))
	if err != nil {
		return model.User{}, fmt.Errorf("user %q: %w", name, notFound(err))
	}
	return u, nil
}

// ListUsers returns every user, by name.
func (db *DB) ListUsers(ctx context.Context) ([]model.User, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.User, error) { return scanUser(r) })
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

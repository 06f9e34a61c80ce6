package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// The SSH public keys operators log in with (`brightrun serve`). Keys are
// per-user rows under row-level security; the one question asked before a
// user is known (whose key is this?) goes through the database function
// brightrun_user_for_key (see 00007_user_keys.sql).

// ErrKeyTaken means the key is already registered, to the same or another
// user: one key never lets in two operators.
var ErrKeyTaken = errors.New("key already registered")

// NewUserKey is a public key to register.
type NewUserKey struct {
	// PublicKey is the key in authorized_keys form without a comment
	// ("ssh-ed25519 AAAA…").
	PublicKey   string
	Fingerprint string // "SHA256:…"
	Comment     string
}

// UserKey is a registered key.
type UserKey struct {
	Fingerprint string     `json:"fingerprint"`
	Type        string     `json:"type"`
	Comment     string     `json:"comment"`
	PublicKey   string     `json:"public_key"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  *time.Time `json:"last_used_at"`
}

const userKeyColumns = "fingerprint, split_part(public_key, ' ', 1), comment, public_key, created_at, last_used_at"

func scanUserKey(row pgx.Row) (UserKey, error) {
	var k UserKey
	err := row.Scan(&k.Fingerprint, &k.Type, &k.Comment, &k.PublicKey, &k.CreatedAt, &k.LastUsedAt)
	return k, err
}

// UserByKeyFingerprint finds the operator holding the key with this
// fingerprint, before any user is known; ErrNotFound when nobody does.
func (db *DB) UserByKeyFingerprint(ctx context.Context, fingerprint string) (model.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, `
		SELECT u.id, u.name, u.created_at
		FROM brightrun_user_for_key($1) k JOIN users u ON u.id = k.user_id`, fingerprint))
	if errors.Is(err, pgx.ErrNoRows) {
		return model.User{}, fmt.Errorf("key %s: %w", fingerprint, ErrNotFound)
	}
	if err != nil {
		return model.User{}, fmt.Errorf("look up key %s: %w", fingerprint, err)
	}
	return u, nil
}

// AddUserWithKeys registers a new user and its keys in one transaction, so
// a key that is taken leaves no user without it behind. The name rules and
// errors are AddUser's.
func (db *DB) AddUserWithKeys(ctx context.Context, name string, keys []NewUserKey) (model.User, []UserKey, error) {
	if err := ValidateUserName(name); err != nil {
		return model.User{}, nil, err
	}
	var u model.User
	var added []UserKey
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRow(ctx, `INSERT INTO users (name) VALUES ($1) RETURNING `+userColumns, name))
		if isUniqueViolation(err) {
			return fmt.Errorf("add user %q: %w", name, ErrUserExists)
		}
		if err != nil {
			return fmt.Errorf("add user %q: %w", name, err)
		}
		if _, err := tx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", u.ID.String()); err != nil {
			return fmt.Errorf("set user: %w", err)
		}
		added, err = db.insertKeys(ctx, tx, u, keys)
		return err
	})
	if err != nil {
		return model.User{}, nil, err
	}
	return u, added, nil
}

// AddUserKeys registers keys for an existing user, all or none. Keys the
// user already has are returned as existing rather than failing, so adding
// the same file twice is harmless; a key of another user is ErrKeyTaken,
// naming that user.
func (db *DB) AddUserKeys(ctx context.Context, u model.User, keys []NewUserKey) (added, existing []UserKey, err error) {
	err = db.WithUser(ctx, u.ID, func(tx pgx.Tx) error {
		have, err := listKeys(ctx, tx)
		if err != nil {
			return err
		}
		byFP := map[string]UserKey{}
		for _, k := range have {
			byFP[k.Fingerprint] = k
		}
		var fresh []NewUserKey
		for _, k := range keys {
			if old, ok := byFP[k.Fingerprint]; ok {
				existing = append(existing, old)
				continue
			}
			fresh = append(fresh, k)
		}
		added, err = db.insertKeys(ctx, tx, u, fresh)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return added, existing, nil
}

// insertKeys adds keys for u inside a transaction acting as u. A key held
// by someone else stops everything with an error that names the holder:
// the operator adding keys is an administrator, and "already belongs to
// bob" is what they need to fix it.
func (db *DB) insertKeys(ctx context.Context, tx pgx.Tx, u model.User, keys []NewUserKey) ([]UserKey, error) {
	added := make([]UserKey, 0, len(keys))
	for i, k := range keys {
		// A savepoint keeps the transaction usable after a duplicate, so
		// the holder can be looked up in it.
		sp := fmt.Sprintf("key_%d", i)
		if _, err := tx.Exec(ctx, "SAVEPOINT "+sp); err != nil {
			return nil, fmt.Errorf("add key %s: %w", k.Fingerprint, err)
		}
		row, err := scanUserKey(tx.QueryRow(ctx, `
			INSERT INTO user_keys (user_id, public_key, fingerprint, comment) VALUES ($1, $2, $3, $4)
			RETURNING `+userKeyColumns, u.ID, k.PublicKey, k.Fingerprint, k.Comment))
		if isUniqueViolation(err) {
			if _, rerr := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT "+sp); rerr != nil {
				return nil, fmt.Errorf("add key %s: %w", k.Fingerprint, rerr)
			}
			holder := "another user"
			var name string
			if qerr := tx.QueryRow(ctx, `SELECT user_name FROM brightrun_user_for_key($1)`, k.Fingerprint).Scan(&name); qerr == nil {
				holder = "user " + name
			}
			return nil, fmt.Errorf("key %s belongs to %s: %w", k.Fingerprint, holder, ErrKeyTaken)
		}
		if err != nil {
			return nil, fmt.Errorf("add key %s for %s: %w", k.Fingerprint, u.Name, err)
		}
		added = append(added, row)
	}
	return added, nil
}

// ListUserKeys returns u's keys, oldest first.
func (db *DB) ListUserKeys(ctx context.Context, u model.User) ([]UserKey, error) {
	var keys []UserKey
	err := db.WithUser(ctx, u.ID, func(tx pgx.Tx) error {
		var err error
		keys, err = listKeys(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("keys of %s: %w", u.Name, err)
	}
	return keys, nil
}

func listKeys(ctx context.Context, tx pgx.Tx) ([]UserKey, error) {
	rows, err := tx.Query(ctx, `SELECT `+userKeyColumns+` FROM user_keys ORDER BY created_at, fingerprint`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (UserKey, error) { return scanUserKey(r) })
}

// DeleteUserKey removes one of u's keys; ErrNotFound when u has no such key
// (another user's key is no different: it is not u's to remove).
func (db *DB) DeleteUserKey(ctx context.Context, u model.User, fingerprint string) (UserKey, error) {
	var k UserKey
	err := db.WithUser(ctx, u.ID, func(tx pgx.Tx) error {
		var err error
		k, err = scanUserKey(tx.QueryRow(ctx,
			`DELETE FROM user_keys WHERE fingerprint = $1 RETURNING `+userKeyColumns, fingerprint))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return UserKey{}, fmt.Errorf("%s has no key %s: %w", u.Name, fingerprint, ErrNotFound)
	}
	if err != nil {
		return UserKey{}, fmt.Errorf("remove key %s of %s: %w", fingerprint, u.Name, err)
	}
	return k, nil
}

// TouchUserKey records that userID just logged in with the key.
func (db *DB) TouchUserKey(ctx context.Context, userID uuid.UUID, fingerprint string) error {
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE user_keys SET last_used_at = now() WHERE fingerprint = $1`, fingerprint)
		return err
	})
	if err != nil {
		return fmt.Errorf("record use of key %s: %w", fingerprint, err)
	}
	return nil
}

package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Installation-wide markers live in app_settings (global, no row-level
// security): facts about the database, not about an operator.

// ClaimSetting sets key to value if it is not set yet and says whether this
// call set it. Of several processes claiming one key at once exactly one
// wins, which makes it a once-per-database latch.
func (db *DB) ClaimSetting(ctx context.Context, key, value string) (bool, error) {
	var k string
	err := db.pool.QueryRow(ctx, `INSERT INTO app_settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO NOTHING RETURNING key`, key, value).Scan(&k)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim setting %s: %w", key, err)
	}
	return true, nil
}

// SetSetting sets key to value, whether it was set or not.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO app_settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, key, value)
	if err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	return nil
}

// Setting reads key; ok is false when it is not set.
func (db *DB) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = db.pool.QueryRow(ctx, `SELECT value FROM app_settings WHERE key = $1`, key).Scan(&value)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return value, true, nil
}

// DeleteSetting unsets key (a released claim).
func (db *DB) DeleteSetting(ctx context.Context, key string) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM app_settings WHERE key = $1`, key); err != nil {
		return fmt.Errorf("delete setting %s: %w", key, err)
	}
	return nil
}

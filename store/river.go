package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// MigrateRiver brings River's queue tables up to date. Like Migrate it must
// run as the tables' owner; an advisory lock held for the transaction keeps
// two processes starting together from migrating at once. The application
// role gets its grants on the new tables.
func MigrateRiver(ctx context.Context, ownerDSN string) (applied int, err error) {
	cfg, err := pgxpool.ParseConfig(ownerDSN)
	if err != nil {
		return 0, fmt.Errorf("migrate queue: database URL: %w", err)
	}
	defaultConnectTimeout(cfg.ConnConfig)
	cfg.MaxConns = 3
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return 0, fmt.Errorf("migrate queue: %w", err)
	}
	defer pool.Close()
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return 0, fmt.Errorf("migrate queue: %w", err)
	}
	// River's migrations cannot share one transaction (one adds an enum value
	// the next uses), so a session lock on a connection of its own guards them.
	lockConn, err := pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate queue: %w", err)
	}
	defer lockConn.Release()
	if _, err := lockConn.Exec(ctx, "SELECT pg_advisory_lock(hashtext('brightrun:river-migrate'))"); err != nil {
		return 0, fmt.Errorf("migrate queue: lock: %w", err)
	}
	defer lockConn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(hashtext('brightrun:river-migrate'))")
	res, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("migrate queue: %w", err)
	}
	if len(res.Versions) > 0 {
		if _, err := lockConn.Exec(ctx, "SELECT brightrun_grant_app()"); err != nil {
			return 0, fmt.Errorf("migrate queue: grant: %w", err)
		}
	}
	return len(res.Versions), nil
}

// Package store owns every byte Brightrun keeps: SQL in PostgreSQL (pgx) and
// objects in S3-compatible storage (aws-sdk-go-v2), plus the zero-config
// local servers (package store/local).
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// AppRole is the role the application works as. It owns no table, so
// row-level security always applies to it.
const AppRole = "brightrun_app"

// DB is the application's connection pool. Every connection has switched to
// AppRole; per-user work goes through WithUser.
type DB struct {
	pool     *pgxpool.Pool
	ownerDSN string
}

// OpenDB connects to dsn (as the tables' owner or a member of AppRole) and
// makes every pooled connection act as AppRole.
func OpenDB(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err)
	}
	defaultConnectTimeout(cfg.ConnConfig)
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		if _, err := conn.Exec(ctx, "SET ROLE "+AppRole); err != nil {
			return fmt.Errorf("switch to role %s (run `brightrun migrate` as the owner first): %w", AppRole, err)
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database %s: %w", describeDSN(cfg.ConnConfig), err)
	}
	return &DB{pool: pool, ownerDSN: dsn}, nil
}

// defaultConnectTimeout bounds connecting when the URL does not say, so an
// unreachable server is an error within seconds, not a hang.
func defaultConnectTimeout(c *pgx.ConnConfig) {
	if c.ConnectTimeout == 0 {
		c.ConnectTimeout = 10 * time.Second
	}
}

func describeDSN(c *pgx.ConnConfig) string {
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// Close releases the pool.
func (db *DB) Close() { db.pool.Close() }

// Pool is the underlying pool, for queries on global tables and for River.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// OwnerDSN is the connection string as given, before switching roles.
func (db *DB) OwnerDSN() string { return db.ownerDSN }

// Tx is the transaction store functions take. The engine names it through
// store, so that only store depends on the database driver.
type Tx = pgx.Tx

// Tx runs fn in a transaction that belongs to no user: it sees only global tables.
func (db *DB) Tx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, fn)
}

// WithUser runs fn in a transaction in which row-level security admits only
// userID's rows. The setting is transaction-local, so a pooled connection
// never carries one user's identity into another's work.
func (db *DB) WithUser(ctx context.Context, userID uuid.UUID, fn func(tx pgx.Tx) error) error {
	if userID == uuid.Nil {
		return ErrNoUser
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.user_id', $1, true)", userID.String()); err != nil {
			return fmt.Errorf("set user: %w", err)
		}
		return fn(tx)
	})
}

// Version is the server's version string (e.g. "15.18").
func (db *DB) Version(ctx context.Context) (string, error) {
	var v string
	if err := db.pool.QueryRow(ctx, "SHOW server_version").Scan(&v); err != nil {
		return "", fmt.Errorf("server version: %w", err)
	}
	if i := strings.IndexByte(v, ' '); i > 0 {
		v = v[:i]
	}
	return v, nil
}

// isUniqueViolation tells a duplicate key apart from other failures.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ServerVersion connects to the database as the URL says, without
// switching roles or needing the schema, and returns its version: what
// `status` shows even when the engine could not be opened.
func ServerVersion(ctx context.Context, dsn string) (string, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return "", fmt.Errorf("database URL: %w", err)
	}
	defaultConnectTimeout(cfg)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return "", fmt.Errorf("connect to database %s: %w", describeDSN(cfg), err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var v string
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&v); err != nil {
		return "", fmt.Errorf("database %s: %w", describeDSN(cfg), err)
	}
	if i := strings.IndexByte(v, ' '); i > 0 {
		v = v[:i]
	}
	return v, nil
}

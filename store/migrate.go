package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"brightrun/assets"
)

// MigrationResult says what one migration run did.
type MigrationResult struct {
	From    int64    `json:"from"`
	To      int64    `json:"to"`
	Applied []string `json:"applied"`
}

// Migrate brings the schema at dsn up to date with the embedded migrations.
// It must connect as the tables' owner. Concurrent callers are serialised by
// an advisory lock, so two processes starting together cannot race.
func Migrate(ctx context.Context, dsn string, log *slog.Logger) (MigrationResult, error) {
	connCfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return MigrationResult{}, fmt.Errorf("migrate: database URL: %w", err)
	}
	defaultConnectTimeout(connCfg)
	sqlDB := stdlib.OpenDB(*connCfg)
	defer sqlDB.Close()
	return migrateDB(ctx, sqlDB, log)
}

func migrateDB(ctx context.Context, sqlDB *sql.DB, log *slog.Logger) (MigrationResult, error) {
	migrations, err := fs.Sub(assets.Migrations, "migrations")
	if err != nil {
		return MigrationResult{}, fmt.Errorf("migrate: %w", err)
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return MigrationResult{}, fmt.Errorf("migrate: %w", err)
	}
	// Out of order: a migration written on one branch while another branch
	// added a higher-numbered one is applied, not refused.
	opts := []goose.ProviderOption{goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true),
		goose.WithAllowOutofOrder(true)}
	if log != nil {
		opts = append(opts, goose.WithSlog(log))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations, opts...)
	if err != nil {
		return MigrationResult{}, fmt.Errorf("migrate: %w", err)
	}
	from, err := p.GetDBVersion(ctx)
	if err != nil {
		return MigrationResult{}, fmt.Errorf("migrate: read schema version: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return MigrationResult{}, fmt.Errorf("migrate: %w", err)
	}
	res := MigrationResult{From: from, To: from, Applied: []string{}}
	for _, r := range results {
		res.Applied = append(res.Applied, r.Source.Path)
		res.To = r.Source.Version
	}
	return res, nil
}

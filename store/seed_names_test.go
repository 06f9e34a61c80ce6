package store_test

import (
	"context"
	"io/fs"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"brightrun/assets"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

// seedNamesVersion is the migration that gives the web app's names back.
const seedNamesVersion = 13

// migrateDownTo rolls the schema at dsn back to version (every migration
// above it undone), as an operator's database from before a release is.
func migrateDownTo(t *testing.T, dsn string, version int64) {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB := stdlib.OpenDB(*cfg)
	defer sqlDB.Close()
	migrations, err := fs.Sub(assets.Migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(context.Background(), version); err != nil {
		t.Fatalf("migrate down to %d: %v", version, err)
	}
}

// TestSeedNamesMigrationKeepsRows: a database with rows under the old names
// (training_jobs.preset, emotional_arcs.key, notifications without
// action_url) migrates up, and every row reads back under the new names,
// the notifications' links filled in from their actions.
func TestSeedNamesMigrationKeepsRows(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.NewDatabase(t)
	// Down to just before 00013, whatever came between (00012 may or may not
	// exist on this branch).
	migrateDownTo(t, dsn, seedNamesVersion-1)
	db := storetest.Open(t, dsn)

	seedReferenceArcColumn(t, db, "key") // the old name
	alice := seedTenant(t, db, "alice")
	err := db.WithUser(ctx, alice.user, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE training_jobs SET preset = 'quality' WHERE id = $1`, alice.job); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO notifications (user_id, type, title, action)
			VALUES ($1, 'job_queued', 'Training Job Queued', jsonb_build_object('kind', 'job', 'id', $2::text, 'label', 'View job')),
				($1, 'dataset_ready', 'Dataset ready', jsonb_build_object('kind', 'dataset', 'id', $3::text))`,
			alice.user, alice.job, alice.dataset)
		return err
	})
	if err != nil {
		t.Fatalf("seed rows under the old names: %v", err)
	}

	res, err := store.Migrate(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(res.Applied, "00013_seed_names.sql") {
		t.Fatalf("migrate applied %v, want 00013_seed_names.sql among them", res.Applied)
	}

	// The job's preset reads back through the store's own query.
	err = db.WithUser(ctx, alice.user, func(tx pgx.Tx) error {
		j, err := store.GetJob(ctx, tx, alice.job)
		if err != nil {
			return err
		}
		if j.Preset != "quality" {
			t.Errorf("job preset after migration = %q, want quality", j.Preset)
		}
		var presetID string
		if err := tx.QueryRow(ctx, `SELECT preset_id FROM training_jobs WHERE id = $1`, alice.job).Scan(&presetID); err != nil {
			return err
		}
		if presetID != "quality" {
			t.Errorf("training_jobs.preset_id = %q, want quality", presetID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	arcs, err := db.EmotionalArcs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(arcs) != 1 || arcs[0].Key != "a1" || arcs[0].Name != "Arc" || arcs[0].Tier != "template" {
		t.Errorf("arcs after migration = %+v, want the one seeded as a1", arcs)
	}

	want := map[string]*string{
		"job_queued":    ptr("/training/jobs/" + alice.job.String()),
		"dataset_ready": ptr("/datasets/" + alice.dataset.String()),
		"job_queued{}":  nil, // seedTenant's notification has no action: no link
	}
	got := actionURLs(t, db, alice.user)
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("no %s notification after migration; have %v", k, got)
			continue
		}
		if (g == nil) != (w == nil) || (g != nil && *g != *w) {
			t.Errorf("%s action_url = %v, want %v", k, deref(g), deref(w))
		}
	}
}

// TestSeedNamesWrites: the store writes the new columns: a new job's preset
// lands in preset_id, seeded and imported arcs in arc_key, and a new
// notification gets the link of its action.
func TestSeedNamesWrites(t *testing.T) {
	ctx := context.Background()
	db := storetest.NewDB(t)
	seedReference(t, db)
	alice := seedTenant(t, db, "alice")

	if err := db.UpsertReference(ctx, nil, []model.EmotionalArc{{Key: "a2", Name: "Second", Tier: "edge_case"}}, nil); err != nil {
		t.Fatal(err)
	}
	var arcKeys []string
	err := db.Tx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT arc_key FROM emotional_arcs ORDER BY arc_key`)
		if err != nil {
			return err
		}
		arcKeys, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(arcKeys, []string{"a1", "a2"}) {
		t.Errorf("emotional_arcs.arc_key = %v, want [a1 a2]", arcKeys)
	}

	err = db.WithUser(ctx, alice.user, func(tx pgx.Tx) error {
		j, err := store.InsertJob(ctx, tx, alice.user, model.Job{
			ID: uuid.New(), DatasetID: alice.dataset, Name: "fast run", Status: model.JobQueued, CurrentStage: "queued",
			TotalEpochs: 1, TotalSteps: 10, GPUConfig: model.GPUConfig{Type: "H100", Count: 1}, Preset: "fast", Trainer: "simulated", BaseModel: "Qwen/Qwen2.5-0.5B-Instruct",
		})
		if err != nil {
			return err
		}
		var presetID string
		if err := tx.QueryRow(ctx, `SELECT preset_id FROM training_jobs WHERE id = $1`, j.ID).Scan(&presetID); err != nil {
			return err
		}
		if j.Preset != "fast" || presetID != "fast" {
			t.Errorf("new job: Preset %q, preset_id %q; want fast", j.Preset, presetID)
		}
		n, err := store.AddNotification(ctx, tx, model.JobQueuedNotification(j))
		if err != nil {
			return err
		}
		var url *string
		if err := tx.QueryRow(ctx, `SELECT action_url FROM notifications WHERE id = $1`, n.ID).Scan(&url); err != nil {
			return err
		}
		if want := "/training/jobs/" + j.ID.String(); url == nil || *url != want {
			t.Errorf("job notification action_url = %v, want %s", deref(url), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	n, err := db.InsertNotification(ctx, model.Notification{UserID: alice.user, Type: "dataset_ready", Title: "Ready",
		Action: model.NotificationAction{Kind: "dataset", ID: alice.dataset.String(), Label: "Open dataset"}})
	if err != nil {
		t.Fatal(err)
	}
	var url *string
	err = db.WithUser(ctx, alice.user, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT action_url FROM notifications WHERE id = $1`, n.ID).Scan(&url)
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "/datasets/" + alice.dataset.String(); url == nil || *url != want {
		t.Errorf("dataset notification action_url = %v, want %s", deref(url), want)
	}
}

// actionURLs maps the user's notifications to their action_url, by type
// (with "{}" appended for one whose action is empty).
func actionURLs(t *testing.T, db *store.DB, user uuid.UUID) map[string]*string {
	t.Helper()
	out := map[string]*string{}
	err := db.WithUser(context.Background(), user, func(tx pgx.Tx) error {
		rows, err := tx.Query(context.Background(),
			`SELECT type || CASE WHEN action = '{}' THEN '{}' ELSE '' END, action_url FROM notifications`)
		if err != nil {
			return err
		}
		var k string
		var u *string
		_, err = pgx.ForEachRow(rows, []any{&k, &u}, func() error {
			out[k] = u
			return nil
		})
		return err
	})
	if err != nil {
		t.Fatalf("read action_url: %v", err)
	}
	return out
}

func ptr(s string) *string { return &s }

func deref(s *string) string {
	if s == nil {
		return "NULL"
	}
	return *s
}

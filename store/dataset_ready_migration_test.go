package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

// datasetReadyVersion is the migration that splits ready from training-ready.
const datasetReadyVersion = 15

// TestDatasetReadyMigration: rows from before 00015 migrate to the seed's
// statuses. An error row with a report (its validation ran and found line
// errors) becomes ready, not training-ready, its report and reason kept; an
// error row without one (validation could not run) stays error; a ready row
// is training-ready.
func TestDatasetReadyMigration(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.NewDatabase(t)
	migrateDownTo(t, dsn, datasetReadyVersion-1)
	db := storetest.Open(t, dsn)
	u := storetest.AddUser(t, db, "ada")

	err := db.WithUser(ctx, u.ID, func(tx pgx.Tx) error {
		for _, r := range []struct{ name, status, validated, report, msg string }{
			{"lines", "error", "now()", `{"error_counts": {"invalid_json": 2, "missing_role": 1}}`, "3 error(s) in 20 lines"},
			{"unreadable", "error", "NULL", `{}`, "could not read the dataset file: gone"},
			{"fine", "ready", "now()", `{"error_counts": {}}`, ""},
		} {
			_, err := tx.Exec(ctx, `INSERT INTO datasets (user_id, name, status, training_ready, validated_at, validation_report, error_message, total_training_pairs)
				VALUES ($1, $2, $3, false, `+r.validated+`, $4, nullif($5, ''), 17)`, u.ID, r.name, r.status, r.report, r.msg)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := store.Migrate(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(res.Applied, "00015_dataset_training_ready.sql") {
		t.Fatalf("migrate applied %v", res.Applied)
	}
	want := map[string]struct {
		status model.DatasetStatus
		ready  bool
		errors int
		msg    string
	}{
		"lines":      {model.DatasetReady, false, 3, "3 error(s) in 20 lines"},
		"unreadable": {model.DatasetError, false, 0, "could not read the dataset file: gone"},
		"fine":       {model.DatasetReady, true, 0, ""},
	}
	err = db.WithUser(ctx, u.ID, func(tx pgx.Tx) error {
		list, _, err := store.ListDatasets(ctx, tx, "", 0, 10)
		if err != nil || len(list) != len(want) {
			t.Fatalf("datasets after migration: %d, %v", len(list), err)
		}
		for _, d := range list {
			name, w := d.Name, want[d.Name]
			if d.Status != w.status || d.TrainingReady != w.ready || d.ErrorCount != w.errors || d.ErrorMessage != w.msg {
				t.Errorf("%s: status %s training_ready %v errors %d message %q, want %+v", name, d.Status, d.TrainingReady, d.ErrorCount, d.ErrorMessage, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

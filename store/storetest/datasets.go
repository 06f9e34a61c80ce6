package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
)

// DatasetRow writes a dataset in the given state without a file or a
// worker: status, training_ready and counts as given.
func DatasetRow(t testing.TB, db *store.DB, userID uuid.UUID, name string, status model.DatasetStatus, ready bool, pairs int) model.Dataset {
	t.Helper()
	ctx := context.Background()
	var d model.Dataset
	err := db.WithUser(ctx, userID, func(tx store.Tx) error {
		id := uuid.New()
		if _, err := store.InsertDataset(ctx, tx, userID, store.NewDataset{ID: id, Name: name, Bucket: store.BucketDatasets, StoragePath: "k/" + name, FileName: "f.jsonl"}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE datasets SET status = $2, training_ready = $3, total_training_pairs = $4,
			total_tokens = $4 * 40, format = 'chat', error_message = CASE WHEN $2 = 'error' THEN 'missing_messages 1' END
			WHERE id = $1`, id, string(status), ready, pairs); err != nil {
			return err
		}
		var err error
		d, err = store.GetDataset(ctx, tx, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// SetConversationIdentities gives the user's conversations the row ids and
// import times of rows, matched by conversation_id, so that another
// backend holding rows orders ties exactly as this database does.
func SetConversationIdentities(t testing.TB, db *store.DB, userID uuid.UUID, rows []model.Conversation) {
	t.Helper()
	ctx := context.Background()
	err := db.WithUser(ctx, userID, func(tx store.Tx) error {
		for _, r := range rows {
			tag, err := tx.Exec(ctx, `UPDATE conversations SET id = $1, imported_at = $2 WHERE conversation_id = $3`,
				r.ID, r.ImportedAt, r.ConversationID)
			if err != nil {
				return err
			}
			if tag.RowsAffected() != 1 {
				return fmt.Errorf("no conversation %s", r.ConversationID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// SetJobStatus puts a job in status, created age ago, without a worker.
func SetJobStatus(t testing.TB, db *store.DB, userID, jobID uuid.UUID, status model.JobStatus, age time.Duration) {
	t.Helper()
	Exec(t, db, userID, `UPDATE training_jobs SET status = $2, created_at = now() - $3 * interval '1 second' WHERE id = $1`,
		jobID, string(status), age.Seconds())
}

// ClaimRun claims attempt of a queued job's run, as a worker does before
// it writes progress.
func ClaimRun(t testing.TB, db *store.DB, userID, jobID uuid.UUID, attempt int) store.JobRun {
	t.Helper()
	ctx := context.Background()
	var run store.JobRun
	err := db.WithUser(ctx, userID, func(tx store.Tx) (err error) { run, err = store.ClaimJobRun(ctx, tx, jobID, attempt); return err })
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// Exec runs a statement as userID (several, when there are no arguments),
// for the states a test needs that no store function writes.
func Exec(t testing.TB, db *store.DB, userID uuid.UUID, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	err := db.WithUser(ctx, userID, func(tx store.Tx) error {
		_, err := tx.Exec(ctx, sql, args...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// WritePoints stores a job's metric points as a worker would.
func WritePoints(t testing.TB, db *store.DB, userID, jobID uuid.UUID, points []model.MetricPoint) {
	t.Helper()
	ctx := context.Background()
	err := db.WithUser(ctx, userID, func(tx store.Tx) error { return store.InsertMetricPoints(ctx, tx, userID, jobID, points) })
	if err != nil {
		t.Fatal(err)
	}
}

package storetest

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/model"
	"brightrun/store"
)

// DatasetRow writes a dataset in the given state without a file or a
// worker: status, training_ready and counts as given.
func DatasetRow(t testing.TB, db *store.DB, userID uuid.UUID, name string, status model.DatasetStatus, ready bool, pairs int) model.Dataset {
	t.Helper()
	ctx := context.Background()
	var d model.Dataset
	err := db.WithUser(ctx, userID, func(tx pgx.Tx) error {
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

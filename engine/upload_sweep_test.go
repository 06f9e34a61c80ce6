package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store/storetest"
)

// Past its deadline, an upload-url dataset whose file never came ends in
// error, one whose file came but was never confirmed is validated, and one
// still within its hour is left waiting.
func TestSweepEndsExpiredUploadURLsAndConfirmsArrivedFiles(t *testing.T) {
	e, db, u, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	ticket := func(name string) engine.UploadTicket {
		tk, err := s.DatasetUploadURL(ctx, name, "")
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	never, arrived, waiting := ticket("never"), ticket("arrived"), ticket("waiting")
	size := enginetest.PutFile(t, arrived.URL, enginetest.ChatFile(t, 11))
	for _, id := range []uuid.UUID{never.Dataset.ID, arrived.Dataset.ID} {
		storetest.Exec(t, db, u.ID, `UPDATE datasets SET upload_expires_at = now() - interval '1 second' WHERE id = $1`, id)
	}
	rep, err := e.SweepStorage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ExpiredUploads != 1 || rep.Confirmed != 1 {
		t.Fatalf("sweep: %+v, want one expired and one confirmed", rep)
	}
	get := func(id uuid.UUID) model.Dataset {
		d, err := s.Dataset(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if d := get(never.Dataset.ID); d.Status != model.DatasetError || !strings.Contains(d.ErrorMessage, "no file was PUT to the upload URL") {
		t.Fatalf("expired upload URL: %s %q", d.Status, d.ErrorMessage)
	}
	if d := get(arrived.Dataset.ID); d.Status != model.DatasetValidating || d.FileSize != size {
		t.Fatalf("arrived file: %s size %d", d.Status, d.FileSize)
	}
	if d := get(waiting.Dataset.ID); d.Status != model.DatasetUploading || d.UploadVia != model.UploadViaURL || d.UploadExpiresAt == nil {
		t.Fatalf("waiting upload URL: %+v", d)
	}
}

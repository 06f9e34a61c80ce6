package engine_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
)

// uploader is operator ada's session on an engine whose worker validates
// what she uploads.
func uploader(t *testing.T) *engine.Session {
	t.Helper()
	e, _, _, s := enginetest.Operator(t, "ada")
	enginetest.StartWorker(t, e, engine.WorkerOptions{Concurrency: 2})
	return s
}

func TestUploadValidatesInTheBackground(t *testing.T) {
	s := uploader(t)
	ctx := context.Background()

	var last engine.UploadProgress
	d, err := s.UploadDataset(ctx, enginetest.ChatFile(t, 12), engine.UploadOptions{Name: "coach", Progress: func(p engine.UploadProgress) { last = p }})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != model.DatasetValidating || d.FileSize == 0 {
		t.Fatalf("after upload: status %s size %d", d.Status, d.FileSize)
	}
	if last.Sent != last.Total || last.Total != d.FileSize {
		t.Fatalf("progress ended at %d/%d, file %d", last.Sent, last.Total, d.FileSize)
	}
	d = enginetest.WaitDataset(t, s, d)
	if d.Status != model.DatasetReady || !d.TrainingReady || d.TotalTrainingPairs != 12 || d.TotalTokens == 0 || d.Format != "chat" {
		t.Fatalf("validated dataset: %+v", d)
	}
	if !strings.Contains(string(d.SampleData), "emergency fund") || !strings.Contains(string(d.ValidationReport), `"valid": 12`) && !strings.Contains(string(d.ValidationReport), `"valid":12`) {
		t.Fatalf("samples/report not stored: %s / %s", d.SampleData, d.ValidationReport)
	}
	list, _ := s.Notifications(ctx, 10)
	if len(list) == 0 || list[0].Type != "dataset_ready" {
		t.Fatalf("notifications: %+v", list)
	}
}

func TestBadDatasetEndsInErrorWithReport(t *testing.T) {
	s := uploader(t)
	ctx := context.Background()
	d, err := s.UploadDataset(ctx, enginetest.ChatFile(t, 12, `{"messages":[{"role":"robot","content":"x"}]}`, `not json`), engine.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d = enginetest.WaitDataset(t, s, d)
	if d.Status != model.DatasetError || d.TrainingReady {
		t.Fatalf("bad dataset: status %s ready %v", d.Status, d.TrainingReady)
	}
	for _, want := range []string{"unknown_role", "invalid_json"} {
		if !strings.Contains(string(d.ValidationErrors), want) || !strings.Contains(d.ErrorMessage, want) {
			t.Fatalf("errors %s / message %q lack %s", d.ValidationErrors, d.ErrorMessage, want)
		}
	}
	if !strings.Contains(string(d.ValidationErrors), `"line":13`) && !strings.Contains(string(d.ValidationErrors), `"line": 13`) {
		t.Fatalf("error lines: %s", d.ValidationErrors)
	}
}

func TestUploadRefusesOversizeAndCancelLeavesNothing(t *testing.T) {
	_, _, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()

	big := filepath.Join(t.TempDir(), "big.jsonl")
	f, _ := os.Create(big)
	f.Truncate(model.MaxDatasetBytes + 1) // sparse: no disk used
	f.Close()
	if _, err := s.UploadDataset(ctx, big, engine.UploadOptions{}); err == nil || !strings.Contains(err.Error(), "500 MiB") {
		t.Fatalf("oversize upload: %v", err)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.UploadDataset(cctx, enginetest.ChatFile(t, 20), engine.UploadOptions{}); err == nil {
		t.Fatal("cancelled upload succeeded")
	}
	page, err := s.Datasets(ctx, "", 1, 10)
	if err != nil || page.Total != 0 {
		t.Fatalf("rows left after refused/cancelled uploads: %+v %v", page, err)
	}
}

func TestUploadURLThenConfirm(t *testing.T) {
	s := uploader(t)
	ctx := context.Background()
	ticket, err := s.DatasetUploadURL(ctx, "from laptop", "")
	if err != nil {
		t.Fatal(err)
	}
	if ticket.Dataset.Status != model.DatasetUploading || !strings.Contains(ticket.Curl, ticket.URL) {
		t.Fatalf("ticket: %+v", ticket)
	}
	if _, err := s.ConfirmDataset(ctx, ticket.Dataset.ID); err == nil || !strings.Contains(err.Error(), "no file") {
		t.Fatalf("confirm before upload: %v", err)
	}
	size := enginetest.PutFile(t, ticket.URL, enginetest.ChatFile(t, 11))
	d, err := s.ConfirmDataset(ctx, ticket.Dataset.ID)
	if err != nil {
		t.Fatal(err)
	}
	d = enginetest.WaitDataset(t, s, d)
	if !d.TrainingReady || d.TotalTrainingPairs != 11 || d.FileSize != size {
		t.Fatalf("confirmed dataset: %+v", d)
	}
	if err := s.DeleteDataset(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Dataset(ctx, d.ID); err == nil {
		t.Fatal("deleted dataset still readable")
	}
}

// BenchmarkUploadDataset measures a 256 MiB dataset's multipart upload to the
// local versitygw endpoint, row bookkeeping and enqueueing included.
func BenchmarkUploadDataset(b *testing.B) {
	e, _ := enginetest.NewJobEngine(b)
	ctx := context.Background()
	u, err := e.EnsureUser(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	s := e.Session(u)
	line := []byte(`{"messages":[{"role":"user","content":"How large should an emergency fund be?"},{"role":"assistant","content":"Three to six months of essential expenses is the usual range."}]}` + "\n")
	path := filepath.Join(b.TempDir(), "big.jsonl")
	data := bytes.Repeat(line, (256<<20)/len(line))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.UploadDataset(ctx, path, engine.UploadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

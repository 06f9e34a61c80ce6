package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
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

// A dataset whose validation ran ends ready; its line errors make it not
// training-ready, with the report and the reason kept.
func TestBadDatasetEndsReadyNotTrainingReadyWithReport(t *testing.T) {
	s := uploader(t)
	ctx := context.Background()
	d, err := s.UploadDataset(ctx, enginetest.ChatFile(t, 12, `{"messages":[{"role":"robot","content":"x"}]}`, `not json`), engine.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d = enginetest.WaitDataset(t, s, d)
	if d.Status != model.DatasetReady || d.TrainingReady || d.ErrorCount != 2 || d.NotTrainingReadyWhy() != "2 errors" {
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

// TestCleanDatasetMakesATrainingReadyCopy: a dataset with 3 bad lines in 20
// is ready, not training-ready; its cleaned copy holds the 17 valid lines,
// validates training-ready, and records its source and the dropped lines
// with their reasons. The source is untouched.
func TestCleanDatasetMakesATrainingReadyCopy(t *testing.T) {
	s := uploader(t)
	ctx := context.Background()
	src, err := s.UploadDataset(ctx, enginetest.ChatFile(t, 17,
		`{"messages":[{"role":"robot","content":"x"}]}`, `not json`,
		`{"messages":[{"role":"user","content":"hi","weight":1},{"role":"assistant","content":"yo"}]}`), engine.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	src = enginetest.WaitDataset(t, s, src)
	if src.Status != model.DatasetReady || src.TrainingReady || src.ErrorCount != 3 {
		t.Fatalf("source: status %s training_ready %v errors %d", src.Status, src.TrainingReady, src.ErrorCount)
	}
	d, err := s.CleanDataset(ctx, src.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	d = enginetest.WaitDataset(t, s, d)
	if d.Status != model.DatasetReady || !d.TrainingReady || d.TotalTrainingPairs != 17 || d.Name != src.Name+" (clean)" ||
		d.SourceDatasetID == nil || *d.SourceDatasetID != src.ID {
		t.Fatalf("copy: %+v", d)
	}
	var rep model.DatasetCleanReport
	if err := json.Unmarshal(d.CleanReport, &rep); err != nil {
		t.Fatalf("clean report %s: %v", d.CleanReport, err)
	}
	var lines []string
	for _, is := range rep.DroppedLines {
		lines = append(lines, is.Code)
	}
	if rep.Kept != 17 || rep.Dropped != 3 || rep.SourceLines != 20 || strings.Join(lines, " ") != "unknown_role invalid_json bad_weight" ||
		rep.DroppedLines[0].Line != 18 || rep.DroppedLines[0].Message == "" {
		t.Fatalf("clean report: %+v", rep)
	}
	again, err := s.Dataset(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Status != src.Status || again.TrainingReady || again.FileSize != src.FileSize || again.StoragePath != src.StoragePath {
		t.Fatalf("source changed: %+v", again)
	}
	if _, err := s.CleanDataset(ctx, d.ID, "x"); err != nil {
		t.Fatalf("cleaning a clean dataset: %v", err)
	}
}

// TestTokenLimitFromTheModelAndRevalidate: an upload is checked against the
// default model's context length; revalidating with another limit
// recomputes the report under it, and a plain revalidation keeps it.
func TestTokenLimitFromTheModelAndRevalidate(t *testing.T) {
	s := uploader(t)
	ctx := context.Background()
	d, err := s.UploadDataset(ctx, enginetest.ChatFile(t, 12), engine.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d = enginetest.WaitDataset(t, s, d)
	if want := s.Models().Default().ContextLength; d.MaxTokens != want || want == 0 {
		t.Fatalf("upload's limit %d, want the default model's context length %d", d.MaxTokens, want)
	}
	tooMany := func(d model.Dataset) int {
		var rep struct {
			WarningCounts map[string]int `json:"warning_counts"`
		}
		if err := json.Unmarshal(d.ValidationReport, &rep); err != nil {
			t.Fatal(err)
		}
		return rep.WarningCounts["too_many_tokens"]
	}
	if n := tooMany(d); n != 0 {
		t.Fatalf("%d examples over the model's context", n)
	}
	for _, limit := range []int{5, 0} {
		if _, err := s.RevalidateDatasetLimit(ctx, d.ID, limit); err != nil {
			t.Fatal(err)
		}
		got := enginetest.WaitDataset(t, s, d)
		if got.MaxTokens != 5 || tooMany(got) != 12 || !got.TrainingReady {
			t.Fatalf("revalidated with %d: limit %d, %d over it, training_ready %v", limit, got.MaxTokens, tooMany(got), got.TrainingReady)
		}
	}
	if _, err := s.RevalidateDatasetLimit(ctx, d.ID, -1); err == nil {
		t.Fatal("a negative limit was taken")
	}
}

// TestBinaryFileEndsInError: validation cannot read a file that is not text
// as JSONL, so the dataset ends in error with the reason, not ready.
func TestBinaryFileEndsInError(t *testing.T) {
	s := uploader(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "weights.bin")
	data := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\n\xc3\x28\x00\x01\n")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := s.UploadDataset(ctx, path, engine.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d = enginetest.WaitDataset(t, s, d)
	if d.Status != model.DatasetError || d.TrainingReady || !strings.Contains(d.ErrorMessage, "the file is not text: 3 of its 4 lines are not valid UTF-8") {
		t.Fatalf("binary dataset: status %s message %q", d.Status, d.ErrorMessage)
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

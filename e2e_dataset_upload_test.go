package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeChat(t testing.TB, n int, extra ...string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"messages":[{"role":"user","content":"How much should I keep in cash, case %d?"},{"role":"assistant","content":"Three to six months of essential costs (%d)."}]}`+"\n", i, i)
	}
	for _, l := range extra {
		b.WriteString(l + "\n")
	}
	p := filepath.Join(t.TempDir(), "chat.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

type datasetRow struct {
	ID               string           `json:"id"`
	Status           string           `json:"status"`
	TrainingReady    bool             `json:"training_ready"`
	TotalPairs       int              `json:"total_training_pairs"`
	TotalTokens      int64            `json:"total_tokens"`
	ValidationErrors []map[string]any `json:"validation_errors"`
	ErrorMessage     string           `json:"error_message"`
}

// uploadDataset uploads file as a dataset called name, waits for it to be
// validated and returns its row.
func uploadDataset(t testing.TB, env []string, d, file, name string) datasetRow {
	t.Helper()
	r := run(t, env, "dataset", "upload", file, "--name", name, "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("upload: exit %d %s", r.code, r.stderr)
	}
	var ds datasetRow
	decode(t, r, &ds)
	return ds
}

// The services process runs the worker: an upload waits through
// validating to ready, and a file with a bad line ends ready but not
// training-ready, with its report.
func TestE2EDatasetUploadValidatesInServices(t *testing.T) {
	d := dataDir(t)
	ds := uploadDataset(t, nil, d, writeChat(t, 15), "cash")
	if ds.Status != "ready" || !ds.TrainingReady || ds.TotalPairs != 15 || ds.TotalTokens == 0 {
		t.Fatalf("uploaded dataset: %+v", ds)
	}

	r := run(t, nil, "dataset", "upload", writeChat(t, 15, `{"messages":[{"role":"user","content":"hi"}]}`), "--json", "--data-dir", d)
	if r.code != 1 {
		t.Fatalf("bad upload: exit %d, want 1: %s", r.code, r.stderr)
	}
	var bad datasetRow
	decode(t, r, &bad)
	if bad.Status != "ready" || bad.TrainingReady || len(bad.ValidationErrors) != 1 || bad.ValidationErrors[0]["code"] != "no_assistant_message" ||
		bad.ValidationErrors[0]["line"] != float64(16) {
		t.Fatalf("bad dataset: %+v", bad)
	}

	r = run(t, nil, "dataset", "list", "--json", "--data-dir", d)
	var page struct {
		Datasets []datasetRow `json:"datasets"`
		Total    int          `json:"total"`
	}
	decode(t, r, &page)
	if page.Total != 2 {
		t.Fatalf("list: %+v", page)
	}
	r = run(t, nil, "dataset", "delete", ds.ID, "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("delete: %d %s", r.code, r.stderr)
	}
	r = run(t, nil, "dataset", "show", ds.ID, "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stderr, "not found") {
		t.Fatalf("show deleted: %d %q", r.code, r.stderr)
	}
	r = run(t, nil, "dataset", "upload", filepath.Join(t.TempDir(), "missing.jsonl"), "--data-dir", d)
	if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Fatalf("missing file: %d %q", r.code, r.stderr)
	}
}

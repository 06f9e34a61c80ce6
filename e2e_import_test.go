package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyTree copies the fixture files under src to dst (small files only).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestE2EImportBuildExport walks the pipeline from files to a training
// file as an operator would: import a directory with good and bad files,
// browse, build a training file, export its JSONL and check every line.
func TestE2EImportBuildExport(t *testing.T) {
	d := dataDir(t)
	in := t.TempDir()
	copyTree(t, "engine/testdata/import", in)
	env := []string{"BRIGHTRUN_USER=importer"}

	// The first command of a new data dir seeds the demo data, says so on
	// stderr, and keeps stdout one JSON document.
	r := run(t, env, "import", filepath.Join(in, "good"), filepath.Join(in, "bad"), "--json", "--data-dir", d)
	if r.code != 1 {
		t.Fatalf("import with bad files: exit %d, want 1; stderr %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "seeded demo data: ") {
		t.Fatalf("no demo seeding line on stderr: %q", r.stderr)
	}
	var res struct {
		Imported    int `json:"imported"`
		Updated     int `json:"updated"`
		NewPersonas []string
		Rejected    []struct {
			File   string `json:"file"`
			Path   string `json:"path"`
			Reason string `json:"reason"`
		} `json:"rejected"`
	}
	decode(t, r, &res)
	if res.Imported != 4 || res.Updated != 1 || len(res.Rejected) != 7 {
		t.Fatalf("import summary: %+v", res)
	}
	wantPaths := map[string]string{
		"empty-turns.json": "$.turns", "missing-persona.json": "$.persona", "not-json.json": "$",
		"pair-no-target.json": "$.training_pairs[1].target_response", "roles.json": "$.turns[2].role",
		"unknown-tier.json": "$.tier", "wrong-type.json": "$.turns",
	}
	for _, rej := range res.Rejected {
		if want, ok := wantPaths[filepath.Base(rej.File)]; !ok || rej.Path != want || rej.Reason == "" {
			t.Errorf("rejection %+v, want path %q", rej, want)
		}
	}

	// The human summary, on the same files again: all updates now.
	r = run(t, env, "import", filepath.Join(in, "good"), filepath.Join(in, "bad", "roles.json"), "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stdout, "imported 0, updated 5, rejected 1") ||
		!strings.Contains(r.stdout, `roles.json: $.turns[2].role: roles must alternate user/assistant, got "assistant" after "assistant"`) {
		t.Fatalf("second import: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr, "seeded demo data") {
		t.Fatal("demo data seeded twice")
	}

	r = run(t, env, "conversations", "list", "--persona", "night_shift_nurse", "--json", "--data-dir", d)
	var list struct {
		Conversations []struct {
			ConversationID string `json:"conversation_id"`
			PairCount      int    `json:"pair_count"`
		} `json:"conversations"`
		Page  int `json:"page"`
		Total int `json:"total"`
	}
	decode(t, r, &list)
	if r.code != 0 || list.Total != 1 || list.Page != 1 || list.Conversations[0].ConversationID != "demo-nurse-002" {
		t.Fatalf("list by persona: %+v", list)
	}

	// A raw conversation cannot go into a training file.
	r = run(t, env, "trainingfile", "create", "--name", "nope", "--conversations", "demo-rawonly-004", "--data-dir", d)
	if r.code != 2 || !strings.Contains(r.stderr, "demo-rawonly-004 is raw") {
		t.Fatalf("raw conversation: exit %d %q", r.code, r.stderr)
	}

	r = run(t, env, "trainingfile", "create", "--name", "coach", "--description", "e2e",
		"--conversations", "demo-nurse-002,demo-layoff-001,demo-retiree-003", "--json", "--data-dir", d)
	var tf struct {
		ID                 string `json:"id"`
		ConversationCount  int    `json:"conversation_count"`
		TotalTrainingPairs int    `json:"total_training_pairs"`
		Stats              struct {
			TotalTrainingPairs int            `json:"total_training_pairs"`
			Tiers              map[string]int `json:"tiers"`
		} `json:"stats"`
	}
	decode(t, r, &tf)
	if r.code != 0 || tf.ID == "" || tf.ConversationCount != 3 || tf.TotalTrainingPairs != 9 || tf.Stats.Tiers["edge_case"] != 1 {
		t.Fatalf("create: exit %d %+v %s", r.code, tf, r.stderr)
	}

	out := filepath.Join(t.TempDir(), "training.jsonl")
	r = run(t, env, "trainingfile", "export", tf.ID, "--format", "jsonl", "--out", out, "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("export: exit %d %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines++
		var line struct {
			Messages []struct {
				Role    string `json:"role"`
				Content string `json:"content"`
			} `json:"messages"`
			Metadata map[string]any `json:"metadata"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %d is not JSON: %v", lines, err)
		}
		last := line.Messages[len(line.Messages)-1]
		if last.Role != "assistant" || last.Content == "" || line.Metadata["format"] != "brightrun-lora-v4" ||
			line.Metadata["training_file_id"] != tf.ID || line.Metadata["pair_id"] == "" {
			t.Fatalf("line %d: %s", lines, sc.Bytes())
		}
	}
	if lines != tf.Stats.TotalTrainingPairs {
		t.Fatalf("%d lines, stats say %d pairs", lines, tf.Stats.TotalTrainingPairs)
	}

	// Show and export one conversation as it was imported.
	r = run(t, env, "conversations", "show", "demo-nurse-002", "--json", "--data-dir", d)
	var shown struct {
		ConversationID string `json:"conversation_id"`
		File           struct {
			TrainingPairs []any `json:"training_pairs"`
		} `json:"file"`
	}
	decode(t, r, &shown)
	if shown.ConversationID != "demo-nurse-002" || len(shown.File.TrainingPairs) != 3 {
		t.Fatalf("show: %+v", shown)
	}
	rawOut := filepath.Join(t.TempDir(), "raw.json")
	r = run(t, env, "conversations", "export", "demo-layoff-001", "--flavour", "raw", "--out", rawOut, "--data-dir", d)
	got, _ := os.ReadFile(rawOut)
	want, _ := os.ReadFile(filepath.Join(in, "good", "01-layoff.raw.json"))
	if r.code != 0 || !bytes.Equal(got, want) {
		t.Fatalf("raw export: exit %d, %d bytes vs %d", r.code, len(got), len(want))
	}

	// The demo data can be walked too: a training file of everything.
	r = run(t, env, "trainingfile", "create", "--name", "everything", "--all", "--json", "--data-dir", d)
	var all struct {
		ConversationCount int `json:"conversation_count"`
	}
	decode(t, r, &all)
	if r.code != 0 || all.ConversationCount < 60 {
		t.Fatalf("create --all: exit %d %+v %s", r.code, all, r.stderr)
	}
	r = run(t, env, "trainingfile", "list", "--json", "--data-dir", d)
	var files struct {
		TrainingFiles []map[string]any `json:"training_files"`
		Total         int              `json:"total"`
	}
	decode(t, r, &files)
	if files.Total != 2 {
		t.Fatalf("trainingfile list: %+v", files)
	}
}

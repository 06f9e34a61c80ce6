package main_test

import (
	"strings"
	"testing"
)

// TestE2EDatasetCleanMakesATrainingReadyCopy: a file with 3 bad lines in 20
// is ready but not training-ready, and job create refuses it naming the
// errors by line; dataset clean makes a training-ready copy of the 17 valid
// lines that records its source and the dropped lines, the original
// untouched. Revalidating the copy with --max-tokens recomputes its report
// under that limit.
func TestE2EDatasetCleanMakesATrainingReadyCopy(t *testing.T) {
	d := dataDir(t)
	file := writeChat(t, 17,
		`{"messages":[{"role":"user","content":"hi"}]}`,
		`{"messages":[{"role":"user","content":"hi","weight":1},{"role":"assistant","content":"yo"}]}`,
		`not json`)
	r := run(t, nil, "dataset", "upload", file, "--name", "mixed", "--json", "--data-dir", d)
	var src datasetRow
	decode(t, r, &src)
	if r.code != 1 || src.Status != "ready" || src.TrainingReady || len(src.ValidationErrors) != 3 {
		t.Fatalf("upload: exit %d %+v", r.code, src)
	}
	r = run(t, nil, "dataset", "show", src.ID, "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "status    ready · not training-ready: 3 errors") ||
		!strings.Contains(r.stdout, "error     line 19: bad_weight: messages[0] has a weight") {
		t.Fatalf("show: exit %d\n%s", r.code, r.stdout)
	}
	r = run(t, nil, "job", "create", "--dataset", src.ID, "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stderr, "not training-ready: 3 errors (line 18: no_assistant_message: ") ||
		!strings.Contains(r.stderr, "line 19: bad_weight: ") || !strings.Contains(r.stderr, "line 20: invalid_json: ") {
		t.Fatalf("job create: exit %d %s", r.code, r.stderr)
	}

	r = run(t, nil, "dataset", "clean", src.ID, "--json", "--data-dir", d)
	var clean struct {
		datasetRow
		Name        string `json:"name"`
		Source      string `json:"source_dataset_id"`
		CleanReport struct {
			Kept         int              `json:"kept"`
			Dropped      int              `json:"dropped"`
			DroppedLines []map[string]any `json:"dropped_lines"`
		} `json:"clean_report"`
	}
	decode(t, r, &clean)
	if r.code != 0 || clean.Status != "ready" || !clean.TrainingReady || clean.TotalPairs != 17 || clean.Source != src.ID ||
		clean.Name != "mixed (clean)" || clean.CleanReport.Kept != 17 || clean.CleanReport.Dropped != 3 ||
		len(clean.CleanReport.DroppedLines) != 3 || clean.CleanReport.DroppedLines[2]["line"] != float64(20) {
		t.Fatalf("clean: exit %d %s %+v", r.code, r.stderr, clean)
	}
	r = run(t, nil, "dataset", "show", clean.ID, "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "cleaned   from dataset "+src.ID+": kept 17 of 20 lines, dropped 3 with errors") ||
		!strings.Contains(r.stdout, "dropped   line 20: invalid_json: ") {
		t.Fatalf("show the copy: exit %d\n%s", r.code, r.stdout)
	}
	r = run(t, nil, "dataset", "show", src.ID, "--json", "--data-dir", d)
	var again datasetRow
	decode(t, r, &again)
	if again.Status != "ready" || again.TrainingReady || len(again.ValidationErrors) != 3 {
		t.Fatalf("the source changed: %+v", again)
	}

	// The copy was checked against the default model's context; revalidated
	// for another limit, its report is recomputed under it.
	r = run(t, nil, "dataset", "revalidate", clean.ID, "--max-tokens", "5", "--wait", "--json", "--data-dir", d)
	var limited struct {
		datasetRow
		MaxTokens int `json:"max_tokens"`
		Report    struct {
			WarningCounts map[string]int `json:"warning_counts"`
		} `json:"validation_report"`
	}
	decode(t, r, &limited)
	if r.code != 0 || limited.MaxTokens != 5 || limited.Report.WarningCounts["too_many_tokens"] != 17 || !limited.TrainingReady {
		t.Fatalf("revalidate --max-tokens 5: exit %d %s %+v", r.code, r.stderr, limited)
	}
	if r = run(t, nil, "dataset", "show", clean.ID, "--max-tokens", "5", "--data-dir", d); r.code != 2 {
		t.Fatalf("show --max-tokens: exit %d %s", r.code, r.stderr)
	}
	if r = run(t, nil, "dataset", "clean", "--data-dir", d); r.code != 2 || !strings.Contains(r.stderr, "want exactly one dataset ID") {
		t.Fatalf("clean without an ID: exit %d %s", r.code, r.stderr)
	}
}

package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

type trainerCheckJSON struct {
	OK     bool `json:"ok"`
	Checks []struct {
		Name    string `json:"name"`
		OK      bool   `json:"ok"`
		Skipped bool   `json:"skipped"`
		Detail  string `json:"detail"`
	} `json:"checks"`
	Dataset   string   `json:"dataset"`
	BaseModel string   `json:"base_model"`
	Log       []string `json:"trainer_log"`
}

// TestE2ETrainerCheck runs `brightrun trainer check --json` through the
// binary, with no database, on a conforming fake trainer and on trainers
// that break one rule each: the check that fails is named, and the exit code
// is 1.
func TestE2ETrainerCheck(t *testing.T) {
	trainer, _ := filepath.Abs("engine/worker/testdata/check_trainer.sh")
	all := []string{"protocol", "monotonic", "finite", "adapter", "exit", "resume"}
	tests := []struct {
		mode    string
		code    int
		failed  []string // the checks that fail
		skipped string   // the check skipped, if any
		detail  string   // in the first failed (or skipped) check's detail
	}{
		{mode: "ok", code: 0},
		{mode: "garbage", code: 1, failed: []string{"protocol", "adapter", "exit"}, skipped: "resume", detail: `line 6: not a JSON object: "Loading checkpoint shards: 100%"`},
		{mode: "noadapter", code: 1, failed: []string{"adapter"}, detail: "no adapter in BRIGHTRUN_OUTPUT_DIR"},
		{mode: "nan", code: 1, failed: []string{"protocol", "finite", "adapter", "exit"}, skipped: "resume", detail: "line 6: bad JSON"},
		{mode: "restart", code: 1, failed: []string{"resume"}, detail: "restarted: with BRIGHTRUN_RESUME_STEP=11 it reported step 0"},
		{mode: "hang", code: 1, failed: []string{"monotonic", "adapter", "exit"}, skipped: "resume", detail: "no metrics with a train_loss"},
		{mode: "nockpt", code: 0, skipped: "resume", detail: "skipped: the trainer reported no checkpoint before its last step (22)"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			r := run(t, nil, "trainer", "check", "--exec-trainer", "sh "+trainer+" "+tt.mode, "--json", "--timeout", "1m", "--idle-timeout", "2s")
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.code, r.stdout, r.stderr)
			}
			var rep trainerCheckJSON
			decode(t, r, &rep)
			if rep.OK != (tt.code == 0) {
				t.Errorf("ok = %v with exit %d", rep.OK, r.code)
			}
			var names []string
			failed := map[string]bool{}
			for _, f := range tt.failed {
				failed[f] = true
			}
			firstDetail, details := "", []string{}
			for _, c := range rep.Checks {
				names = append(names, c.Name)
				details = append(details, c.Detail)
				if c.OK == failed[c.Name] {
					t.Errorf("check %s: ok = %v (%s)", c.Name, c.OK, c.Detail)
				}
				if c.Skipped != (c.Name == tt.skipped) {
					t.Errorf("check %s: skipped = %v (%s)", c.Name, c.Skipped, c.Detail)
				}
				if firstDetail == "" && (!c.OK || c.Skipped) {
					firstDetail = c.Detail
				}
			}
			if strings.Join(names, ",") != strings.Join(all, ",") {
				t.Errorf("checks %v, want %v", names, all)
			}
			if tt.mode == "hang" && !strings.Contains(strings.Join(details, "\n"), "the run was stopped: it printed nothing for 2s (the idle timeout)") {
				t.Errorf("a silent trainer is not stopped by the idle timeout: %q", details)
			}
			if !strings.Contains(firstDetail, tt.detail) {
				t.Errorf("detail %q does not say %q", firstDetail, tt.detail)
			}
			if rep.BaseModel != "Qwen/Qwen2.5-0.5B-Instruct" || rep.Dataset != "built-in chat dataset (43 examples)" {
				t.Errorf("base model %q, dataset %q", rep.BaseModel, rep.Dataset)
			}
			// The trainer fetched the whole built-in dataset from a loopback URL.
			if len(rep.Log) == 0 || !regexp.MustCompile(`^info: 43 dataset lines from http://127\.0\.0\.1:\d+/dataset\.jsonl$`).MatchString(rep.Log[0]) {
				t.Errorf("trainer log %q: want the 43 lines fetched from 127.0.0.1", rep.Log)
			}
		})
	}
}

// TestE2ETrainerCheckHuman: the human report names each check and its
// verdict, the resume run gets the step, and the given dataset and base
// model reach the trainer; a dataset that is not training ready is refused
// before the trainer runs (exit 2).
func TestE2ETrainerCheckHuman(t *testing.T) {
	trainer, _ := filepath.Abs("engine/worker/testdata/check_trainer.sh")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.jsonl")
	var lines []string
	for i := range 12 {
		lines = append(lines, `{"messages":[{"role":"user","content":"question `+strings.Repeat("x", i+1)+`"},{"role":"assistant","content":"answer"}]}`)
	}
	if err := os.WriteFile(good, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, nil, "trainer", "check", "--exec-trainer", "sh "+trainer+" ok", "--dataset", good, "--base-model", "tiny/llama")
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"dataset   " + good + " (12 examples)", "model     tiny/llama", "info: 12 dataset lines from http://127.0.0.1:",
		"  ok    protocol ", "  ok    resume     stopped after its checkpoint at step 3, it resumed: first training step 4, last 6", "the trainer conforms"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "| check trainer: mode ok, attempt 2, resume step 3, model tiny/llama") {
		t.Errorf("stderr does not show the resumed attempt:\n%s", r.stderr)
	}

	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte("{\"messages\":[]}\nnot json\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, nil, "trainer", "check", "--exec-trainer", "sh "+trainer+" ok", "--dataset", bad)
	if r.code != 2 || !strings.Contains(r.stderr, "is not training ready") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("a bad dataset: exit %d, stderr %q", r.code, r.stderr)
	}
	r = run(t, nil, "trainer", "check")
	if r.code != 2 || !strings.Contains(r.stderr, "--exec-trainer CMD is required") {
		t.Errorf("no command: exit %d, stderr %q", r.code, r.stderr)
	}
}

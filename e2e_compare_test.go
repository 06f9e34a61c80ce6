package main_test

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// comparedJob is a job of `job compare --json`: its summary and curves.
type comparedJob struct {
	ID              string             `json:"id"`
	Name            string             `json:"name"`
	Status          string             `json:"status"`
	Preset          string             `json:"preset"`
	DatasetName     string             `json:"dataset_name"`
	Hyperparameters map[string]float64 `json:"hyperparameters"`
	FinalTrainLoss  *float64           `json:"final_train_loss"`
	BestTrainLoss   *float64           `json:"best_train_loss"`
	FinalValLoss    *float64           `json:"final_val_loss"`
	Step            int                `json:"step"`
	TotalSteps      int                `json:"total_steps"`
	DurationSeconds float64            `json:"duration_seconds"`
	EstimatedCost   float64            `json:"estimated_cost"`
	FinalCost       *float64           `json:"final_cost"`
	Series          struct {
		Train []struct {
			Step  int     `json:"step"`
			Epoch float64 `json:"epoch"`
			Value float64 `json:"value"`
		} `json:"train_loss"`
		Val []struct {
			Step  int     `json:"step"`
			Value float64 `json:"value"`
		} `json:"val_loss"`
		LR []struct {
			Value float64 `json:"value"`
		} `json:"learning_rate"`
	} `json:"series"`
}

// An operator runs two simulated jobs with different presets, compares
// them, clones one with another learning rate, follows the clone's log to
// its end and checks what it ran with; bad comparisons are refused with
// one line.
func TestE2ECompareAndClone(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SIM_SPEED=300"}
	ds := uploadDataset(t, env, d, writeChat(t, 200), "coach")
	fast := createJob(t, env, d, "--dataset", ds.ID, "--preset", "fast", "--gpu", "H100")
	balanced := createJob(t, env, d, "--dataset", ds.ID, "--preset", "balanced", "--gpu", "H100")
	for _, j := range []jobRow{fast, balanced} {
		if r := run(t, env, "job", "watch", j.ID, "--json", "--data-dir", d); r.code != 0 {
			t.Fatalf("job watch %s: exit %d %s", j.ID, r.code, r.stderr)
		}
	}

	r := run(t, env, "job", "compare", fast.ID, balanced.ID, "--json", "--points", "20", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("job compare --json: exit %d %s", r.code, r.stderr)
	}
	var cmp struct {
		Jobs []comparedJob `json:"jobs"`
		Rows []struct {
			Key     string   `json:"key"`
			Values  []string `json:"values"`
			Differs bool     `json:"differs"`
			Best    int      `json:"best"`
		} `json:"rows"`
		Points int `json:"points"`
	}
	decode(t, r, &cmp)
	if len(cmp.Jobs) != 2 || cmp.Jobs[0].ID != fast.ID || cmp.Jobs[1].ID != balanced.ID || cmp.Points != 20 {
		t.Fatalf("compared %+v", cmp)
	}
	for _, j := range cmp.Jobs {
		s := j.Series
		if j.Status != "completed" || j.FinalTrainLoss == nil || j.BestTrainLoss == nil || *j.BestTrainLoss > *j.FinalTrainLoss ||
			j.FinalValLoss == nil || j.Step != j.TotalSteps || j.DurationSeconds <= 0 || j.FinalCost == nil || j.EstimatedCost <= 0 ||
			len(s.Train) == 0 || len(s.Train) > 20 || s.Train[len(s.Train)-1].Step != j.TotalSteps || len(s.Val) == 0 || len(s.LR) == 0 {
			t.Fatalf("job %s (%s): %+v", j.Name, j.Preset, j)
		}
	}
	if cmp.Jobs[0].Preset != "fast" || cmp.Jobs[1].Preset != "balanced" || cmp.Jobs[0].DatasetName != "coach" {
		t.Fatalf("presets %s %s", cmp.Jobs[0].Preset, cmp.Jobs[1].Preset)
	}
	// Balanced trains 3 epochs at batch 4 against fast's 1 at batch 8.
	if len(cmp.Jobs[1].Series.Val) != 3 || len(cmp.Jobs[0].Series.Val) != 1 || cmp.Jobs[1].TotalSteps != 6*cmp.Jobs[0].TotalSteps {
		t.Fatalf("val points %d/%d, steps %d/%d", len(cmp.Jobs[0].Series.Val), len(cmp.Jobs[1].Series.Val), cmp.Jobs[0].TotalSteps, cmp.Jobs[1].TotalSteps)
	}
	rows := map[string]bool{}
	for _, row := range cmp.Rows {
		rows[row.Key] = row.Differs
	}
	if !rows["learning_rate"] || !rows["epochs"] || !rows["preset"] || rows["dataset"] || rows["gpu"] {
		t.Fatalf("differences %v", rows)
	}

	r = run(t, env, "job", "compare", fast.ID, balanced.ID, "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "≠ learning rate") || !strings.Contains(r.stdout, "0.0001 *") ||
		!strings.Contains(r.stdout, "  dataset") || !strings.Contains(r.stdout, "train final/best") {
		t.Fatalf("job compare: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Clone the fast run with another learning rate: everything else as it ran.
	r = run(t, env, "job", "create", "--from", fast.ID, "--lr", "0.0002", "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("job create --from: exit %d %s", r.code, r.stderr)
	}
	var clone struct {
		jobRow
		Name       string `json:"name"`
		ClonedFrom string `json:"cloned_from"`
		Trainer    string `json:"trainer"`
	}
	decode(t, r, &clone)
	h := clone.Hyperparameters
	if h["learning_rate"] != 0.0002 || h["batch_size"] != 8 || h["epochs"] != 1 || h["rank"] != 8 || h["alpha"] != 16 || h["dropout"] != 0.05 ||
		clone.DatasetID != ds.ID || clone.GPUConfig["type"] != "H100" || clone.GPUConfig["count"] != float64(1) || clone.Preset != "fast" ||
		clone.ClonedFrom != fast.ID || clone.Trainer != "simulated" || !strings.HasSuffix(clone.Name, " · clone") || clone.ID == fast.ID {
		t.Fatalf("clone %+v", clone)
	}

	// Its log, followed to the end: the stages as they happen.
	r = run(t, env, "job", "logs", clone.ID, "--follow", "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("job logs --follow: exit %d %s", r.code, r.stderr)
	}
	stages := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		var e struct {
			Source string `json:"source"`
			Stage  string `json:"stage"`
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		stages[e.Stage] = true
	}
	if !stages["training"] || !stages["completed"] {
		t.Fatalf("followed stages %v\n%s", stages, r.stdout)
	}
	r = run(t, env, "job", "logs", clone.ID, "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "stage") || !strings.Contains(r.stdout, "completed") {
		t.Fatalf("job logs: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The clone's curve compares with its source's: only the rate differs.
	r = run(t, env, "job", "compare", fast.ID, clone.ID, "--json", "--data-dir", d)
	decode(t, r, &cmp)
	for _, row := range cmp.Rows {
		if row.Differs != (row.Key == "learning_rate" || row.Key == "preset") {
			t.Errorf("row %s differs %v: %v", row.Key, row.Differs, row.Values)
		}
	}
	if cmp.Jobs[1].Preset != "custom" {
		t.Errorf("the clone's preset reads %q, want custom", cmp.Jobs[1].Preset)
	}

	seven := []string{"job", "compare"}
	for range 7 {
		seven = append(seven, uuid.NewString())
	}
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		code int // 1: not found is a negative answer; 2: a usage error
		want string
	}{
		{"another operator's job", []string{"BRIGHTRUN_USER=mallory"}, []string{"job", "compare", fast.ID, balanced.ID}, 1, fast.ID + ": not found"},
		{"another operator's clone", []string{"BRIGHTRUN_USER=mallory"}, []string{"job", "create", "--from", fast.ID}, 1, "not found"},
		{"another operator's logs", []string{"BRIGHTRUN_USER=mallory"}, []string{"job", "logs", fast.ID}, 1, "not found"},
		{"more than six", nil, seven, 2, "at most 6 jobs can be compared at once, got 7"},
		{"a missing job", nil, []string{"job", "compare", fast.ID, uuid.NewString()}, 1, "not found"},
		{"out of range clone", nil, []string{"job", "create", "--from", fast.ID, "--lr", "0.5"}, 2, "learning_rate 0.5 is out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, append(env, tc.env...), append(tc.args, "--data-dir", d)...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || r.stdout != "" {
				t.Fatalf("exit %d, want %d with %q\nstderr: %s\nstdout: %s", r.code, tc.code, tc.want, r.stderr, r.stdout)
			}
		})
	}
}

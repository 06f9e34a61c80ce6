package main_test

import (
	"strings"
	"testing"
)

// sweepShown is `sweep show --json`.
type sweepShown struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Runs []struct {
		ID              string             `json:"id"`
		Status          string             `json:"status"`
		Hyperparameters map[string]float64 `json:"hyperparameters"`
		BestValLoss     *float64           `json:"best_val_loss"`
		FinalValLoss    *float64           `json:"final_val_loss"`
		FinalCost       *float64           `json:"final_cost"`
	} `json:"runs"`
	EstimatedCostTotal float64 `json:"estimated_cost_total"`
	BestJob            *string `json:"best_job"`
}

// sweepCreated is `sweep create --json`.
type sweepCreated struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Jobs               []string `json:"jobs"`
	EstimatedCostTotal float64  `json:"estimated_cost_total"`
}

// runJSON runs a command that must succeed and decodes its JSON.
func runJSON[T any](t *testing.T, env []string, args ...string) T {
	t.Helper()
	r := run(t, env, args...)
	if r.code != 0 {
		t.Fatalf("%s: exit %d %s", strings.Join(args[:2], " "), r.code, r.stderr)
	}
	var v T
	decode(t, r, &v)
	return v
}

func showSweep(t *testing.T, env []string, d, id string) sweepShown {
	t.Helper()
	return runJSON[sweepShown](t, env, "sweep", "show", id, "--json", "--data-dir", d)
}

// runWatch follows a job to its end (exit 0 completed, 1 otherwise).
func runWatch(t *testing.T, env []string, d, id string) result {
	return run(t, env, "job", "watch", id, "--json", "--data-dir", d)
}

// A 2 × 2 grid creates four jobs at once, each named after the sweep and
// carrying its values and cap; they race to the end and the sweep's
// best_job is the completed run with the lowest best validation loss.
// A grid with one invalid run, or over --max-total, creates nothing.
func TestE2ESweepCreateRaceAndRefusals(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SIM_SPEED=600"}
	ds := uploadDataset(t, env, d, writeChat(t, 120), "coach")

	refusals := []struct {
		name string
		args []string
		want string
	}{
		{"an invalid run", []string{"--rank", "8,200", "--learning-rate", "1e-4,2e-4"}, "run 2 (lr 0.0001 · rank 200): rank 200 is out of range"},
		{"over max-total", []string{"--rank", "8,16", "--learning-rate", "1e-4,2e-4", "--max-total", "0.01"}, "is over --max-total $0.01; nothing was created"},
	}
	for _, tc := range refusals {
		r := run(t, env, append([]string{"sweep", "create", "--dataset", ds.ID, "--preset", "fast", "--data-dir", d}, tc.args...)...)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Fatalf("%s: exit %d, stderr %q, want exit 1 and %q", tc.name, r.code, r.stderr, tc.want)
		}
		if n := jobTotal(t, env, d); n != 0 {
			t.Fatalf("%s left %d job(s)", tc.name, n)
		}
	}
	// Over the operator's monthly budget: the run that would pass it is
	// named (each is counted after the ones before it) and none is kept.
	if r := run(t, env, "budget", "set", "--monthly", "1", "--data-dir", d); r.code != 0 {
		t.Fatalf("budget set: exit %d %s", r.code, r.stderr)
	}
	r := run(t, env, "sweep", "create", "--dataset", ds.ID, "--preset", "fast", "--rank", "8,16", "--learning-rate", "1e-4,2e-4", "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stderr, "budget") || !strings.Contains(r.stderr, "nothing was created") || jobTotal(t, env, d) != 0 {
		t.Fatalf("over the budget: exit %d %s", r.code, r.stderr)
	}
	if r := run(t, env, "budget", "set", "--monthly", "100000", "--data-dir", d); r.code != 0 {
		t.Fatalf("budget set: exit %d %s", r.code, r.stderr)
	}
	r = run(t, env, "sweep", "create", "--dataset", ds.ID, "--rank", "4,5,6,7,8", "--batch-size", "1,2,3,4,5", "--data-dir", d)
	if r.code != 2 || !strings.Contains(r.stderr, "the grid has 25 runs (5 rank × 5 batch_size); a sweep launches at most 24") {
		t.Fatalf("25 runs: exit %d %s", r.code, r.stderr)
	}
	if r := run(t, env, "sweep", "list", "--json", "--data-dir", d); r.code != 0 || !strings.Contains(r.stdout, `"sweeps": []`) {
		t.Fatalf("sweeps after refusals: exit %d %s", r.code, r.stdout)
	}

	created := runJSON[sweepCreated](t, env, "sweep", "create", "--dataset", ds.ID, "--name", "lr×rank", "--preset", "fast",
		"--learning-rate", "1e-4, 2e-4", "--rank", "8,16", "--max-cost", "50", "--early-stopping-patience", "2", "--json", "--data-dir", d)
	if len(created.Jobs) != 4 || created.Name != "lr×rank" || created.EstimatedCostTotal <= 0 {
		t.Fatalf("created %+v", created)
	}
	var sum float64
	for i, id := range created.Jobs {
		row := runJSON[struct {
			jobRow
			Name      string   `json:"name"`
			SweepID   string   `json:"sweep_id"`
			SweepName string   `json:"sweep_name"`
			MaxCost   *float64 `json:"max_cost"`
			Patience  int      `json:"early_stopping_patience"`
		}](t, env, "job", "show", id, "--json", "--data-dir", d)
		wantLR, wantRank := []float64{1e-4, 1e-4, 2e-4, 2e-4}[i], []float64{8, 16, 8, 16}[i]
		if row.SweepID != created.ID || row.SweepName != "lr×rank" || row.MaxCost == nil || *row.MaxCost != 50 || row.Patience != 2 ||
			row.Hyperparameters["learning_rate"] != wantLR || row.Hyperparameters["rank"] != wantRank || !strings.HasPrefix(row.Name, "lr×rank · lr ") {
			t.Fatalf("run %d: %+v", i, row)
		}
		sum += row.EstimatedTotalCost
	}
	if n := jobTotal(t, env, d); n != 4 || sum-created.EstimatedCostTotal > 0.005 || created.EstimatedCostTotal-sum > 0.005 {
		t.Fatalf("%d jobs, estimates sum to %.2f, sweep says %.2f", n, sum, created.EstimatedCostTotal)
	}
	if r := run(t, env, "job", "show", created.Jobs[0], "--data-dir", d); !strings.Contains(r.stdout, "sweep     lr×rank ("+created.ID+")") {
		t.Fatalf("job show of a run:\n%s", r.stdout)
	}

	for _, id := range created.Jobs {
		if r := runWatch(t, env, d, id); r.code != 0 {
			t.Fatalf("job watch %s: exit %d %s", id, r.code, r.stderr)
		}
	}
	s := showSweep(t, env, d, created.ID)
	best := -1
	for i, run := range s.Runs {
		if run.Status != "completed" || run.BestValLoss == nil || run.FinalValLoss == nil || run.FinalCost == nil {
			t.Fatalf("run %d: %+v", i, run)
		}
		if best < 0 || *run.BestValLoss < *s.Runs[best].BestValLoss {
			best = i
		}
	}
	if len(s.Runs) != 4 || s.BestJob == nil || *s.BestJob != s.Runs[best].ID {
		t.Fatalf("best_job %v, want %s (runs %+v)", s.BestJob, s.Runs[best].ID, s.Runs)
	}
	if r := run(t, env, "sweep", "show", created.ID, "--data-dir", d); r.code != 0 || strings.Count(r.stdout, "← best") != 1 {
		t.Fatalf("sweep show:\n%s%s", r.stdout, r.stderr)
	}
}

// Cancelling a sweep cancels every run still queued or running; a run
// that ended is left as it ended.
func TestE2ESweepCancel(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SIM_SPEED=1"}
	ds := uploadDataset(t, env, d, writeChat(t, 120), "coach")
	// Without --json the grid is printed before it is written; stdin is no
	// terminal, so nothing is asked.
	r := run(t, env, "sweep", "create", "--dataset", ds.ID, "--preset", "quality", "--rank", "8,16,32", "--data-dir", d)
	fields := strings.Fields(r.stdout[strings.Index(r.stdout, "queued sweep ")+len("queued sweep "):])
	if r.code != 0 || strings.Count(r.stdout, "1 × ") != 3 || !strings.Contains(r.stdout, "total estimated cost $") || len(fields) == 0 {
		t.Fatalf("sweep create: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	id := fields[0]
	if r := run(t, env, "sweep", "cancel", id, "--data-dir", d); r.code != 0 || !strings.Contains(r.stdout, "3 run(s) of sweep") {
		t.Fatalf("sweep cancel: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	for _, run := range showSweep(t, env, d, id).Runs {
		// watch exits 1 for a run that ended cancelled.
		if r := runWatch(t, env, d, run.ID); r.code != 1 {
			t.Fatalf("job watch %s after the cancel: exit %d %s", run.ID, r.code, r.stdout)
		}
	}
	for _, run := range showSweep(t, env, d, id).Runs {
		if run.Status != "cancelled" {
			t.Fatalf("run %s is %s after the sweep's cancel", run.ID, run.Status)
		}
	}
	if r := run(t, env, "sweep", "cancel", id, "--data-dir", d); r.code != 0 || !strings.Contains(r.stdout, "0 run(s) of sweep") {
		t.Fatalf("second sweep cancel: exit %d %s", r.code, r.stdout)
	}
}

// On a terminal, sweep create shows the grid and asks; "n" writes nothing,
// "y" creates every run.
func TestE2ESweepAsksOnATerminal(t *testing.T) {
	d := dataDir(t)
	ds := demoDataset(t, nil, d)
	create := []string{"sweep", "create", "--dataset", ds, "--gpu", "A100-80GB", "--rank", "8,16", "--data-dir", d}

	r := onTerminal(t, nil, "n", create...)
	if !strings.Contains(r.stdout, "total estimated cost $") || !strings.Contains(r.stderr, "Create 2 jobs for $") {
		t.Fatalf("the grid or the question is missing:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	if r.code != 1 || jobTotal(t, nil, d) != 0 {
		t.Fatalf("n: exit %d, %d jobs; want exit 1 and nothing written\n%s", r.code, jobTotal(t, nil, d), r.stderr)
	}
	if r := onTerminal(t, nil, "y", create...); r.code != 0 || jobTotal(t, nil, d) != 2 {
		t.Fatalf("y: exit %d, %d jobs; want 2\n%s", r.code, jobTotal(t, nil, d), r.stderr)
	}
}

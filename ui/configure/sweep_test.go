package configure

import (
	"strings"
	"testing"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
)

// A list in a hyperparameter field makes the launch a sweep: the panel
// says the grid's size and total, the launch asks for the sweep, creates
// it with the lists as its axes (alpha left to follow each rank) and
// lands on its view.
func TestListFieldsLaunchASweep(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	typeInto(m, fLR, "1e-4, 2e-4")
	typeInto(m, fRank, "8,16")
	if m.sweepRuns != 4 || !m.valid {
		t.Fatalf("%d runs, valid %v: %s", m.sweepRuns, m.valid, plain(m))
	}
	// Each run is priced as the engine would price it alone.
	var want float64
	for _, lr := range []float64{1e-4, 2e-4} {
		for _, rank := range []int{8, 16} {
			h := m.hyper
			h.LearningRate, h.Rank, h.Alpha = lr, rank, 2*rank
			est, err := b.Estimate(model.EstimateInput{Pairs: m.chosen.TotalTrainingPairs, Tokens: m.chosen.TotalTokens, GPU: m.result.GPUConfig, Hyperparameters: h})
			if err != nil {
				t.Fatal(err)
			}
			want += est.EstimatedCost
		}
	}
	if m.sweepTotal < want-0.001 || m.sweepTotal > want+0.001 {
		t.Fatalf("sweep total %.2f, want %.2f", m.sweepTotal, want)
	}
	v := plain(m)
	golden.Assert(t, "sweep_form_120x40", m.View())
	for _, s := range []string{"Sweep: 4 runs", "enter ▸ launch a sweep of 4 runs on support-2024-q4"} {
		if !strings.Contains(flat(m), s) {
			t.Errorf("form lacks %q:\n%s", s, v)
		}
	}
	press(m, "enter")
	if !strings.Contains(plain(m), "Launch a sweep of 4 runs on “support-2024-q4”?") {
		t.Fatalf("no sweep question:\n%s", plain(m))
	}
	rest := press(m, "y")
	f := b.JobFixture()
	if len(f.SweepRequests) != 1 || len(f.Created) != 4 {
		t.Fatalf("%d sweep requests, %d jobs", len(f.SweepRequests), len(f.Created))
	}
	req := f.SweepRequests[0]
	if len(req.Axes.LearningRate) != 2 || len(req.Axes.Rank) != 2 || req.Job.Overrides.Alpha != nil || *req.Job.Overrides.BatchSize != 4 {
		t.Fatalf("sweep request %+v", req)
	}
	created, ok := uitest.Find[common.SweepCreatedMsg](rest)
	if !ok || len(created.Sweep.Jobs) != 4 {
		t.Fatalf("no SweepCreatedMsg: %v", rest)
	}
	for _, j := range f.Created {
		if j.Hyperparameters.Alpha != 2*j.Hyperparameters.Rank {
			t.Errorf("run %s: alpha %d for rank %d", j.Name, j.Hyperparameters.Alpha, j.Hyperparameters.Rank)
		}
	}
}

// A list with a bad value, or a grid over 24 runs, blocks the launch and
// says where.
func TestListFieldProblems(t *testing.T) {
	for _, tc := range []struct {
		name   string
		f      field
		value  string
		expect string
	}{
		{"a run out of range", fRank, "8, 200", "run 2 (rank 200): must be between 4 and 128"},
		{"an item not a number", fLR, "1e-4, x", ""},
		{"an empty item", fEpochs, "1,,2", "item 2 is required"},
		{"too many runs", fRank, "4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := newScreen(t, 120, 40)
			if tc.name == "too many runs" {
				typeInto(m, fBatch, "1,2")
			}
			typeInto(m, tc.f, tc.value)
			if m.valid {
				t.Fatalf("%q left the form valid", tc.value)
			}
			if tc.expect != "" && !strings.Contains(flat(m), tc.expect) {
				t.Errorf("form lacks %q:\n%s", tc.expect, plain(m))
			}
		})
	}
}

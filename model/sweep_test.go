package model

import (
	"strings"
	"testing"
)

func TestSweepAxesExpand(t *testing.T) {
	alpha := 32
	tests := []struct {
		name   string
		axes   SweepAxes
		labels []string
		err    string
	}{
		{name: "no axis is one run", labels: []string{""}},
		{name: "2 x 2", axes: SweepAxes{LearningRate: []float64{1e-4, 2e-4}, Rank: []int{8, 16}},
			labels: []string{"lr 0.0001 · rank 8", "lr 0.0001 · rank 16", "lr 0.0002 · rank 8", "lr 0.0002 · rank 16"}},
		{name: "preset outermost", axes: SweepAxes{Preset: []string{"fast", "quality"}, Epochs: []int{1}},
			labels: []string{"preset fast", "preset quality"}},
		{name: "too many", axes: SweepAxes{Rank: []int{4, 8, 16, 32, 64}, BatchSize: []int{1, 2, 4, 8, 16}},
			err: "the grid has 25 runs (5 rank × 5 batch_size); a sweep launches at most 24"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			points, err := tc.axes.Expand(HyperOverrides{Alpha: &alpha})
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, p := range points {
				labels = append(labels, p.Label)
				if p.Overrides.Alpha == nil || *p.Overrides.Alpha != 32 {
					t.Errorf("%q lost the base's alpha", p.Label)
				}
			}
			if strings.Join(labels, "|") != strings.Join(tc.labels, "|") {
				t.Fatalf("labels = %q, want %q", labels, tc.labels)
			}
			if tc.axes.Size() != len(points) {
				t.Fatalf("Size() = %d, %d points", tc.axes.Size(), len(points))
			}
		})
	}
	points, _ := SweepAxes{LearningRate: []float64{1e-4, 2e-4}, Rank: []int{8, 16}}.Expand(HyperOverrides{})
	if *points[3].Overrides.LearningRate != 2e-4 || *points[3].Overrides.Rank != 16 || points[3].Overrides.BatchSize != nil {
		t.Fatalf("last point overrides %+v", points[3].Overrides)
	}
}

func TestBestSweepRun(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	runs := []JobSummary{
		{Status: JobRunning, BestValLoss: f(0.1)},   // lowest, but still running
		{Status: JobCompleted, BestValLoss: f(0.9)}, // completed
		{Status: JobCompleted},                      // no validation loss
		{Status: JobCompleted, BestValLoss: f(0.5)}, // the best completed
		{Status: JobCompleted, BestValLoss: f(0.5)}, // a tie goes to the earlier
	}
	if got := BestSweepRun(runs); got != 3 {
		t.Fatalf("BestSweepRun = %d, want 3", got)
	}
	if got := BestSweepRun(runs[:1]); got != -1 {
		t.Fatalf("BestSweepRun of running runs = %d, want -1", got)
	}
}

func TestCheckSweepTotal(t *testing.T) {
	cap := 10.0
	if err := CheckSweepTotal(12.5, &cap); err == nil || err.Error() != "the sweep's estimated total $12.50 is over --max-total $10.00" {
		t.Fatalf("over the cap: %v", err)
	}
	if err := CheckSweepTotal(10, &cap); err != nil {
		t.Fatalf("at the cap: %v", err)
	}
	if err := CheckSweepTotal(1e6, nil); err != nil {
		t.Fatalf("no cap: %v", err)
	}
}

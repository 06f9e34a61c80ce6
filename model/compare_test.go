package model

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func f64(v float64) *float64 { return &v }

func TestCheckCompareIDs(t *testing.T) {
	ids := func(n int) []uuid.UUID {
		out := make([]uuid.UUID, n)
		for i := range out {
			out[i] = uuid.New()
		}
		return out
	}
	twice := ids(3)
	twice[2] = twice[0]
	for _, tc := range []struct {
		name string
		ids  []uuid.UUID
		want string
	}{
		{"none", nil, "at least 2 jobs, got 0"},
		{"one", ids(1), "at least 2 jobs, got 1"},
		{"two", ids(2), ""},
		{"six", ids(6), ""},
		{"seven", ids(7), "at most 6 jobs can be compared at once, got 7: leave 1 out"},
		{"twice", twice, "is given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckCompareIDs(tc.ids)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestPresetLabel(t *testing.T) {
	balanced, _ := PresetByKey("balanced")
	fast, _ := PresetByKey("fast")
	changed := balanced.Hyperparameters
	changed.LearningRate = 2e-4
	for _, tc := range []struct {
		base string
		h    Hyperparameters
		want string
	}{
		{"balanced", balanced.Hyperparameters, "balanced"},
		{"balanced", fast.Hyperparameters, "fast"}, // equal to another preset: that one
		{"balanced", changed, CustomPreset},
		{"", changed, CustomPreset},
		{"nonsense", fast.Hyperparameters, "fast"},
	} {
		if got := PresetLabel(tc.base, tc.h); got != tc.want {
			t.Errorf("PresetLabel(%q, %+v) = %q, want %q", tc.base, tc.h, got, tc.want)
		}
	}
	if _, ok := MatchPreset(changed); ok {
		t.Error("a changed learning rate matched a preset")
	}
}

// points makes a training point a step from 1 to n (loss falling from 2 by
// 0.01 a step, the last one up again) and a validation point at every
// tenth step.
func points(n int) []MetricPoint {
	var out []MetricPoint
	for s := 1; s <= n; s++ {
		loss := 2 - 0.01*float64(s)
		if s == n {
			loss += 0.5
		}
		out = append(out, MetricPoint{ID: int64(2 * s), Step: s, Epoch: float64(s) / 10, TrainLoss: f64(loss), LearningRate: f64(1e-4)})
		if s%10 == 0 {
			out = append(out, MetricPoint{ID: int64(2*s + 1), Step: s, Epoch: float64(s) / 10, ValLoss: f64(3 - 0.1*float64(s/10))})
		}
	}
	return out
}

func TestCurveAddIsIncrementalAndStatsExact(t *testing.T) {
	all := points(100)
	var c Curve
	if !c.Empty() || c.Since() != 0 {
		t.Fatal("a new curve is not empty")
	}
	// Read in three pieces, each from the last step held (inclusive), as
	// a screen that follows a running job does.
	c.Add(all[:40], 16)
	since := c.Since()
	var rest []MetricPoint
	for _, p := range all {
		if p.Step >= since {
			rest = append(rest, p)
		}
	}
	c.Add(rest[:30], 16)
	since = c.Since()
	rest = rest[:0]
	for _, p := range all {
		if p.Step >= since {
			rest = append(rest, p)
		}
	}
	c.Add(rest, 16)
	c.Add(all[len(all)-3:], 16) // a repeated read adds nothing

	if c.Stats.Points != len(all) {
		t.Errorf("%d points counted, %d added", c.Stats.Points, len(all))
	}
	if len(c.Train) > 16 || len(c.LR) > 16 || len(c.Val) != 10 {
		t.Errorf("series not compact: %d train, %d lr, %d val", len(c.Train), len(c.LR), len(c.Val))
	}
	if last := c.Train[len(c.Train)-1]; last.Step != 100 {
		t.Errorf("the last training point is at step %d", last.Step)
	}
	s := c.Stats
	if *s.FinalTrain != 2-1+0.5 || math.Abs(*s.BestTrain-(2-0.99)) > 1e-12 || *s.FinalVal != 2 || *s.BestVal != 2 ||
		s.LastStep != 100 || s.LastEpoch != 10 {
		t.Errorf("stats %+v: final %v best %v val %v/%v", s, *s.FinalTrain, *s.BestTrain, *s.FinalVal, *s.BestVal)
	}
}

func TestCurveSkipsMissingAndNonFinite(t *testing.T) {
	var c Curve
	c.Add([]MetricPoint{
		{ID: 1, Step: 1, TrainLoss: f64(math.NaN())},
		{ID: 2, Step: 2, TrainLoss: f64(math.Inf(1)), LearningRate: f64(1e-4)},
		{ID: 3, Step: 3, GradNorm: f64(1)},
	}, 0)
	if !c.Empty() || len(c.LR) != 1 || c.Stats.FinalTrain != nil || c.Stats.Points != 3 {
		t.Errorf("curve %+v", c)
	}
}

func TestDownsample(t *testing.T) {
	ps := make([]CurvePoint, 10)
	for i := range ps {
		ps[i] = CurvePoint{Step: i + 1, Epoch: float64(i+1) / 10, Value: float64(i)}
	}
	for _, tc := range []struct {
		n     int
		steps []int
		vals  []float64
	}{
		{0, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, nil},
		{20, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, nil},
		{5, []int{2, 4, 6, 8, 10}, []float64{0.5, 2.5, 4.5, 6.5, 8.5}},
		{3, []int{3, 6, 10}, []float64{1, 4, 7.5}},
		{1, []int{10}, []float64{4.5}},
	} {
		got := Downsample(ps, tc.n)
		if len(got) != len(tc.steps) {
			t.Fatalf("n %d: %d points", tc.n, len(got))
		}
		for i := range got {
			if got[i].Step != tc.steps[i] || (tc.vals != nil && got[i].Value != tc.vals[i]) {
				t.Errorf("n %d: point %d is %+v", tc.n, i, got[i])
			}
		}
	}
	if got := Downsample(ps, 5); &got[0] == &ps[0] {
		t.Error("Downsample shares its input")
	}
}

func TestResample(t *testing.T) {
	nan := math.NaN()
	type pt struct{ x, y float64 }
	at := func(ps []pt) func(int) (float64, float64, bool) {
		return func(i int) (float64, float64, bool) { return ps[i].x, ps[i].y, !math.IsNaN(ps[i].y) }
	}
	for _, tc := range []struct {
		name   string
		ps     []pt
		n      int
		lo, hi float64
		want   []float64
	}{
		{"one per column", []pt{{0, 1}, {1, 2}, {2, 3}}, 3, 0, 2, []float64{1, 2, 3}},
		{"mean of a column", []pt{{0, 1}, {0.4, 3}, {2, 5}}, 3, 0, 2, []float64{2, 3.5, 5}},
		{"interpolated gap", []pt{{0, 0}, {4, 4}}, 5, 0, 4, []float64{0, 1, 2, 3, 4}},
		{"nothing before or after", []pt{{1, 1}, {2, 2}}, 5, 0, 4, []float64{nan, 1, 2, nan, nan}},
		{"missing values skipped", []pt{{0, 1}, {1, nan}, {2, 3}}, 3, 0, 2, []float64{1, 2, 3}},
		{"fractional epochs", []pt{{0.25, 1}, {0.5, 2}, {1.0, 3}}, 4, 0, 1, []float64{1, 2, 2.5, 3}},
		{"one x", []pt{{5, 7}}, 3, 5, 5, []float64{7, nan, nan}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Resample(tc.n, tc.lo, tc.hi, len(tc.ps), at(tc.ps))
			if len(got) != len(tc.want) {
				t.Fatalf("got %v", got)
			}
			for i := range got {
				if !(got[i] == tc.want[i] || (math.IsNaN(got[i]) && math.IsNaN(tc.want[i]))) {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestSummarizeAndTable(t *testing.T) {
	now := time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)
	started := now.Add(-48 * time.Minute)
	ended := started.Add(100 * time.Minute)
	final := 25.61
	balanced, _ := PresetByKey("balanced")
	fast, _ := PresetByKey("fast")
	custom := balanced.Hyperparameters
	custom.LearningRate = 2e-4
	jobs := []Job{
		{ID: uuid.New(), Name: "a", Status: JobRunning, Progress: 42, DatasetName: "support", Preset: "balanced",
			GPUConfig: GPUConfig{Type: "A100-80GB", Count: 2}, Hyperparameters: balanced.Hyperparameters,
			EstimatedTotalCost: 2.57, CurrentCost: 1.08, StartedAt: &started, TotalSteps: 750, TotalEpochs: 3,
			BaseModel: "Qwen/Qwen2.5-7B-Instruct"},
		{ID: uuid.New(), Name: "b", Status: JobCompleted, Progress: 100, DatasetName: "support", Preset: "balanced",
			GPUConfig: GPUConfig{Type: "A100-80GB", Count: 2}, Hyperparameters: custom,
			EstimatedTotalCost: 25.5, FinalCost: &final, StartedAt: &started, CompletedAt: &ended,
			BaseModel: "Qwen/Qwen2.5-7B-Instruct"},
		{ID: uuid.New(), Name: "c", Status: JobQueued, Preset: "fast",
			GPUConfig: GPUConfig{Type: "H100", Count: 1}, Hyperparameters: fast.Hyperparameters, EstimatedTotalCost: 1234.5,
			BaseModel: "meta-llama/Llama-3.1-8B-Instruct"},
	}
	var ca, cb Curve
	ca.Add(points(100), 0)
	cb.Add(points(50), 0)
	sums := []JobSummary{Summarize(jobs[0], ca.Stats, now), Summarize(jobs[1], cb.Stats, now), Summarize(jobs[2], CurveStats{}, now)}
	if sums[0].DurationSeconds != 48*60 || sums[1].DurationSeconds != 100*60 || sums[2].DurationSeconds != 0 {
		t.Errorf("durations %v %v %v", sums[0].DurationSeconds, sums[1].DurationSeconds, sums[2].DurationSeconds)
	}
	if sums[1].Preset != CustomPreset || sums[0].Preset != "balanced" || sums[2].Preset != "fast" {
		t.Errorf("presets %q %q %q", sums[0].Preset, sums[1].Preset, sums[2].Preset)
	}
	rows := CompareTable(sums)
	byKey := map[string]CompareRow{}
	for _, r := range rows {
		byKey[r.Key] = r
	}
	for _, tc := range []struct {
		key     string
		values  []string
		differs bool
		best    int
	}{
		{"dataset", []string{"support", "support", "(deleted)"}, true, -1},
		{"base_model", []string{"Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"}, true, -1},
		{"preset", []string{"balanced", "custom", "fast"}, true, -1},
		{"gpu", []string{"2 × A100-80GB", "2 × A100-80GB", "1 × H100"}, true, -1},
		{"learning_rate", []string{"0.00005", "0.0002", "0.0001"}, true, -1},
		{"dropout", []string{"0.05", "0.05", "0.05"}, false, -1},
		{"status", []string{"running 42%", "completed", "queued"}, false, -1},
		{"train_loss", []string{"1.5000 / 1.0100", "2.0000 / 1.5100", "—"}, false, 0},
		{"val_loss", []string{"2.0000 / 2.0000", "2.5000 / 2.5000", "—"}, false, 0},
		{"duration", []string{"48m", "1h 40m", "—"}, false, -1},
		{"estimated_cost", []string{"$2.57", "$25.50", "$1,234.50"}, false, -1},
		{"cost", []string{"$1.08 so far", "$25.61 final", "—"}, false, -1},
	} {
		r, ok := byKey[tc.key]
		if !ok {
			t.Errorf("no row %s", tc.key)
			continue
		}
		if strings.Join(r.Values, "|") != strings.Join(tc.values, "|") || r.Differs != tc.differs || r.Best != tc.best {
			t.Errorf("row %s: %q differs %v best %d; want %q %v %d", tc.key, r.Values, r.Differs, r.Best, tc.values, tc.differs, tc.best)
		}
	}
	if len(rows) != 16 {
		t.Errorf("%d rows", len(rows))
	}
}

func TestBuildComparisonCompacts(t *testing.T) {
	jobs := []Job{{ID: uuid.New(), Name: "a"}, {ID: uuid.New(), Name: "b"}}
	c := BuildComparison(jobs, [][]MetricPoint{points(1000), nil}, 50, time.Now())
	if len(c.Jobs) != 2 || c.Points != 50 || len(c.Rows) == 0 {
		t.Fatalf("comparison %+v", c)
	}
	a, b := c.Jobs[0], c.Jobs[1]
	if len(a.Series.Train) != 50 || a.Series.Train[49].Step != 1000 || a.Series.Since() != 1000 || *a.FinalTrainLoss != 2-10+0.5 {
		t.Errorf("a: %d points to step %d, since %d, final %v", len(a.Series.Train), a.Series.Train[49].Step, a.Series.Since(), *a.FinalTrainLoss)
	}
	if !b.Series.Empty() || b.FinalTrainLoss != nil || b.Job.Name != "b" {
		t.Errorf("b: %+v", b)
	}
}

func TestDollarsAndClock(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Dollars(0), "$0.00"}, {Dollars(2.567), "$2.57"}, {Dollars(1234567.891), "$1,234,567.89"}, {Dollars(-3), "-$3.00"},
		{Clock(45 * time.Second), "45s"}, {Clock(12 * time.Minute), "12m"}, {Clock(64 * time.Minute), "1h 04m"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestCompareRowUnlike: in a row that differs, the values other than the
// one most jobs share stand out; with no shared value, all do.
func TestCompareRowUnlike(t *testing.T) {
	for _, tc := range []struct {
		row  CompareRow
		want []bool
	}{
		{CompareRow{Values: []string{"a", "a", "a"}}, []bool{false, false, false}},
		{CompareRow{Values: []string{"a", "b", "a"}, Differs: true}, []bool{false, true, false}},
		{CompareRow{Values: []string{"a", "b", "c"}, Differs: true}, []bool{true, true, true}},
		{CompareRow{Values: []string{"b", "a", "a", "b", "b"}, Differs: true}, []bool{false, true, true, false, false}},
	} {
		for i, want := range tc.want {
			if got := tc.row.Unlike(i); got != want {
				t.Errorf("%v.Unlike(%d) = %v, want %v", tc.row.Values, i, got, want)
			}
		}
	}
}

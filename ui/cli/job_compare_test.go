package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
)

// The compare, logs and clone commands refuse bad input before they need a
// database: one line on stderr, exit 2, nothing on stdout.
func TestCompareLogsCloneUsage(t *testing.T) {
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = uuid.NewString()
		}
		return out
	}
	one := ids(1)[0]
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no ids", []string{"job", "compare"}, "at least 2 jobs, got 0"},
		{"one id", []string{"job", "compare", one}, "at least 2 jobs, got 1"},
		{"seven ids", append([]string{"job", "compare"}, ids(7)...), "at most 6 jobs can be compared at once, got 7"},
		{"twice", []string{"job", "compare", one, one}, "given twice"},
		{"not a uuid", []string{"job", "compare", one, "nope"}, `job ID "nope" is not a UUID`},
		{"negative points", append([]string{"job", "compare", "--points", "-1"}, ids(2)...), "--points -1 is out of range"},
		{"logs without id", []string{"job", "logs"}, "want exactly one job ID"},
		{"logs bad flag", []string{"job", "logs", one, "--tail"}, "flag provided but not defined"},
		{"create from not a uuid", []string{"job", "create", "--from", "x"}, `job ID "x" is not a UUID`},
		{"create from zero gpus", []string{"job", "create", "--from", one, "--gpus", "0"}, "gpu_count 0 is out of range"},
		{"create without dataset or from", []string{"job", "create", "--lr", "0.0002"}, "--dataset ID is required (or --from JOB_ID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runIn(tc.args...)
			if code != ExitUsage || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 with %q", code, out, errOut, tc.want)
			}
		})
	}
}

func TestLrIsLearningRate(t *testing.T) {
	var c common
	fs := newFlagSet(Env{}, "job create", &c, true)
	cf := addConfigFlags(fs)
	if _, err := parse(fs, []string{"--lr", "0.0002"}); err != nil {
		t.Fatal(err)
	}
	if o := cf.overrides(); o.LearningRate == nil || *o.LearningRate != 2e-4 {
		t.Fatalf("--lr: %+v", o)
	}
	o := cloneOptions(cf, uuid.Nil, "", "")
	if o.Preset != "" || o.GPUCount != 0 || o.GPUType != "" || o.Trainer != "" || *o.Overrides.LearningRate != 2e-4 || o.Overrides.Rank != nil {
		t.Fatalf("clone options change what was not given: %+v", o)
	}
}

func TestPrintComparisonMarksDifferences(t *testing.T) {
	now := time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)
	fast, _ := model.PresetByKey("fast")
	balanced, _ := model.PresetByKey("balanced")
	loss := func(v float64) *float64 { return &v }
	jobs := []model.Job{
		{ID: uuid.New(), Name: "a", Status: model.JobCompleted, DatasetName: "cash", Preset: "fast", Hyperparameters: fast.Hyperparameters,
			GPUConfig: model.GPUConfig{Type: "H100", Count: 1}},
		{ID: uuid.New(), Name: "b", Status: model.JobCompleted, DatasetName: "cash", Preset: "balanced", Hyperparameters: balanced.Hyperparameters,
			GPUConfig: model.GPUConfig{Type: "H100", Count: 1}},
	}
	points := [][]model.MetricPoint{
		{{ID: 1, Step: 1, TrainLoss: loss(1.2)}, {ID: 2, Step: 2, TrainLoss: loss(0.9)}},
		{{ID: 3, Step: 1, TrainLoss: loss(1.0)}, {ID: 4, Step: 2, TrainLoss: loss(0.7)}},
	}
	var b bytes.Buffer
	printComparison(&b, model.BuildComparison(jobs, points, 0, now))
	out := b.String()
	for _, want := range []string{"1 a", "2 b", "≠ learning rate", "0.0001 *", "0.00005 *", "  dataset", "cash   ", "0.7000 / 0.7000 (best)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "cash *") {
		t.Errorf("a shared value is marked:\n%s", out)
	}
}

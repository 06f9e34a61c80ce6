package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store/storetest"
)

// curvePoints is a run of n training steps (loss falling, lr constant) and
// a validation point every perEpoch steps.
func curvePoints(n, perEpoch int, start float64) []model.MetricPoint {
	var out []model.MetricPoint
	for s := 1; s <= n; s++ {
		loss, lr := start-0.001*float64(s), 5e-5
		out = append(out, model.MetricPoint{Step: s, Epoch: float64(s) / float64(perEpoch), TrainLoss: &loss, LearningRate: &lr})
		if s%perEpoch == 0 {
			val := start - 0.0005*float64(s)
			out = append(out, model.MetricPoint{Step: s, Epoch: float64(s) / float64(perEpoch), ValLoss: &val})
		}
	}
	return out
}

func TestCompareJobs(t *testing.T) {
	e, db, ada, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	bob, _ := e.EnsureUser(ctx, "bob")
	d := storetest.DatasetRow(t, db, ada.ID, "cash", model.DatasetReady, true, 40)
	gpu := model.GPUConfig{Type: "H100", Count: 1}
	fast, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Preset: "fast", GPU: gpu})
	if err != nil {
		t.Fatal(err)
	}
	balanced, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Preset: "balanced", GPU: gpu,
		Overrides: model.HyperOverrides{LearningRate: ptr(2e-4)}})
	if err != nil {
		t.Fatal(err)
	}
	queued, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Preset: "quality", GPU: gpu})
	if err != nil {
		t.Fatal(err)
	}
	storetest.WritePoints(t, db, ada.ID, fast.ID, curvePoints(500, 100, 2))
	storetest.WritePoints(t, db, ada.ID, balanced.ID, curvePoints(300, 100, 1.5))

	c, err := s.CompareJobs(ctx, []uuid.UUID{balanced.ID, fast.ID, queued.ID}, 40)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Jobs) != 3 || c.Jobs[0].ID != balanced.ID || c.Jobs[1].ID != fast.ID || c.Points != 40 {
		t.Fatalf("comparison of %d jobs, points %d", len(c.Jobs), c.Points)
	}
	b, f, q := c.Jobs[0], c.Jobs[1], c.Jobs[2]
	if len(f.Series.Train) != 40 || f.Series.Train[39].Step != 500 || len(f.Series.Val) != 5 || len(f.Series.LR) != 40 ||
		*f.FinalTrainLoss != 2-0.5 || *f.BestTrainLoss != 2-0.5 || *f.BestValLoss != 2-0.25 || f.Step != 500 || f.Preset != "fast" {
		t.Errorf("fast: %d train points to step %d, %d val, final %v", len(f.Series.Train), f.Series.Train[39].Step, len(f.Series.Val), *f.FinalTrainLoss)
	}
	if b.Preset != model.CustomPreset || b.Hyperparameters.LearningRate != 2e-4 || b.Step != 300 {
		t.Errorf("balanced with another lr: preset %q lr %v step %d", b.Preset, b.Hyperparameters.LearningRate, b.Step)
	}
	if !q.Series.Empty() || q.FinalTrainLoss != nil || q.DurationSeconds != 0 || q.Status != model.JobQueued {
		t.Errorf("queued: %+v", q.JobSummary)
	}
	rows := map[string]model.CompareRow{}
	for _, r := range c.Rows {
		rows[r.Key] = r
	}
	if r := rows["learning_rate"]; !r.Differs || strings.Join(r.Values, ",") != "0.0002,0.0001,0.00003" {
		t.Errorf("learning rate row %+v", r)
	}
	if r := rows["gpu"]; r.Differs {
		t.Errorf("gpu row %+v", r)
	}
	if r := rows["train_loss"]; r.Best != 0 {
		t.Errorf("train loss row %+v", r)
	}

	// Every point when asked for all.
	all, err := s.CompareJobs(ctx, []uuid.UUID{fast.ID, balanced.ID}, 0)
	if err != nil || len(all.Jobs[0].Series.Train) != 500 {
		t.Fatalf("all points: %v", err)
	}

	bobJob, err := e.Session(bob).CreateJob(ctx, engine.JobRequest{DatasetID: storetest.DatasetRow(t, db, bob.ID, "bobs", model.DatasetReady, true, 40).ID, GPU: gpu})
	if err != nil {
		t.Fatal(err)
	}
	seven := []uuid.UUID{fast.ID, balanced.ID, queued.ID, uuid.New(), uuid.New(), uuid.New(), uuid.New()}
	for _, tc := range []struct {
		name string
		ids  []uuid.UUID
		is   error
		want string
	}{
		{"another operator's job", []uuid.UUID{fast.ID, bobJob.ID}, engine.ErrNotFound, bobJob.ID.String() + ": not found"},
		{"a missing job", []uuid.UUID{uuid.New(), fast.ID}, engine.ErrNotFound, "not found"},
		{"more than six", seven, nil, "at most 6 jobs can be compared at once, got 7"},
		{"one", []uuid.UUID{fast.ID}, nil, "at least 2 jobs, got 1"},
		{"twice", []uuid.UUID{fast.ID, fast.ID}, nil, "given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CompareJobs(ctx, tc.ids, 10)
			if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestCloneJob(t *testing.T) {
	e, db, ada, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	bob, _ := e.EnsureUser(ctx, "bob")
	d := storetest.DatasetRow(t, db, ada.ID, "cash", model.DatasetReady, true, 40)
	other := storetest.DatasetRow(t, db, ada.ID, "other", model.DatasetReady, true, 80)
	src, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Preset: "fast", GPU: model.GPUConfig{Type: "H100", Count: 2},
		Overrides: model.HyperOverrides{Dropout: ptr(0.1)}, Name: "first", Trainer: model.TrainerExec})
	if err != nil {
		t.Fatal(err)
	}

	clone, err := s.CloneJob(ctx, src.ID, engine.CloneOptions{Overrides: model.HyperOverrides{LearningRate: ptr(2e-4)}})
	if err != nil {
		t.Fatal(err)
	}
	want := src.Hyperparameters
	want.LearningRate = 2e-4
	if clone.Hyperparameters != want || clone.DatasetID != d.ID || clone.GPUConfig != src.GPUConfig || clone.Preset != "fast" ||
		clone.Trainer != model.TrainerExec || clone.Name != "first · clone" || clone.ClonedFrom == nil || *clone.ClonedFrom != src.ID ||
		clone.Status != model.JobQueued {
		t.Fatalf("clone %+v", clone)
	}
	if got, err := s.Job(ctx, clone.ID); err != nil || got.ClonedFrom == nil || *got.ClonedFrom != src.ID {
		t.Fatalf("cloned_from not stored: %+v %v", got.ClonedFrom, err)
	}

	// A new rank takes alpha along (the source's alpha was 2 × rank), the
	// source's dropout stays, and another dataset, GPU and name apply.
	again, err := s.CloneJob(ctx, clone.ID, engine.CloneOptions{DatasetID: other.ID, GPUCount: 4, Name: "wide",
		Overrides: model.HyperOverrides{Rank: ptr(32)}})
	if err != nil {
		t.Fatal(err)
	}
	if h := again.Hyperparameters; h.Rank != 32 || h.Alpha != 64 || h.Dropout != 0.1 || h.LearningRate != 2e-4 ||
		again.DatasetID != other.ID || again.GPUConfig != (model.GPUConfig{Type: "H100", Count: 4}) || again.Name != "wide" {
		t.Fatalf("second clone %+v", again)
	}
	// A preset starts from its own values instead.
	q, err := s.CloneJob(ctx, src.ID, engine.CloneOptions{Preset: "quality"})
	if err != nil {
		t.Fatal(err)
	}
	quality, _ := model.PresetByKey("quality")
	if q.Hyperparameters != quality.Hyperparameters || q.Preset != "quality" || q.Name != "first · clone" {
		t.Fatalf("clone onto quality %+v", q)
	}
	// Out of range is refused like any new job, and nothing is written.
	var ve *model.ValidationError
	if _, err := s.CloneJob(ctx, src.ID, engine.CloneOptions{Overrides: model.HyperOverrides{LearningRate: ptr(0.5)}}); !errors.As(err, &ve) {
		t.Fatalf("out of range: %v", err)
	}
	if _, err := e.Session(bob).CloneJob(ctx, src.ID, engine.CloneOptions{}); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("bob cloning ada's job: %v", err)
	}
	if page, _ := s.Jobs(ctx, "", 1, 10); page.Total != 4 {
		t.Fatalf("%d jobs after three clones", page.Total)
	}
}

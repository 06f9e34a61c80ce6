package worker_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
)

func TestSimulatedJobRunsToCompletion(t *testing.T) {
	e, db, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	job := enginetest.ReadyJob(t, db, s, 40, engine.JobRequest{GPU: model.GPUConfig{Type: "H100", Count: 2}})
	est, _, err := s.EstimateForDataset(ctx, job.DatasetID, "", model.GPUConfig{Type: "H100", Count: 2}, model.HyperOverrides{})
	if err != nil {
		t.Fatal(err)
	}
	enginetest.StartWorker(t, e, engine.WorkerOptions{SimSpeed: enginetest.FastSim, RescueAfter: 2 * time.Second})
	j, _ := enginetest.WaitJob(t, s, job.ID, 30*time.Second)
	if j.Status != model.JobCompleted || j.CurrentStage != model.StageCompleted || j.Progress != 100 || j.CurrentStep != j.TotalSteps ||
		j.CurrentEpoch != 3 || j.StartedAt == nil || j.CompletedAt == nil || j.FinalCost == nil || j.ArtifactID == nil ||
		j.CurrentMetrics["train_loss"] <= 0 || j.CurrentMetrics["val_loss"] <= 0 || j.EstimatedCompletionAt != nil {
		t.Fatalf("completed job %+v", j)
	}

	// The cost is the estimate's: the simulated run lasts what it says.
	cost, err := s.JobCost(ctx, j.ID)
	if err != nil || cost == nil {
		t.Fatalf("cost %v %v", cost, err)
	}
	if cost.Kind != model.CostFinal || cost.TotalCost != *j.FinalCost || cost.TotalCost != est.EstimatedCost ||
		cost.ComputeCost != est.CostBreakdown.Compute || cost.StorageCost != 0.5 || cost.HourlyRate != 4.2 || cost.GPUCount != 2 {
		t.Fatalf("cost %+v, estimate %+v", cost, est)
	}

	points, err := s.JobMetrics(ctx, j.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var train, val int
	last := 0
	for _, p := range points {
		if p.Step < last {
			t.Fatalf("points out of order at step %d", p.Step)
		}
		last = p.Step
		if p.TrainLoss != nil {
			train++
		}
		if p.ValLoss != nil {
			val++
		}
	}
	if train != j.TotalSteps || val != 3 || points[len(points)-1].ValLoss == nil {
		t.Fatalf("%d training and %d validation points of %d steps", train, val, j.TotalSteps)
	}
	if later, _ := s.JobMetrics(ctx, j.ID, j.TotalSteps); len(later) != 2 {
		t.Fatalf("points from the last step: %d, want its training and validation points", len(later))
	}

	events, err := s.JobEvents(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	var stages []string
	for _, ev := range events {
		if ev.Kind == model.EventStage {
			stages = append(stages, ev.Stage)
		}
	}
	if got := strings.Join(stages, " "); got != "provisioning loading_dataset training validating training validating training validating saving saving completed" {
		t.Fatalf("stage events: %s", got)
	}

	arts, err := s.JobArtifacts(ctx, j.ID)
	if err != nil || len(arts) != 1 {
		t.Fatalf("artifacts %+v %v", arts, err)
	}
	a := arts[0]
	if a.ID != *j.ArtifactID || a.Format != model.ArtifactFormatPEFTSimulated || !a.Metadata.Simulated || len(a.Metadata.Files) != 4 ||
		!strings.Contains(a.Name, "SIMULATED") || a.Metadata.FinalMetrics["train_loss"] != j.CurrentMetrics["train_loss"] {
		t.Fatalf("artifact %+v", a)
	}
	dir := filepath.Join(t.TempDir(), "adapter")
	paths, err := s.DownloadArtifact(ctx, j.ID, dir)
	if err != nil || len(paths) != 4 {
		t.Fatalf("download: %v %v", paths, err)
	}
	var total int64
	for i, f := range a.Metadata.Files {
		b, err := os.ReadFile(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		if !enginetest.MatchesRecord(f, b) {
			t.Fatalf("%s: downloaded file does not match its record", f.Name)
		}
		total += f.Size
	}
	if total != a.FileSize || model.ArtifactSHA256(a.Metadata.Files) != a.SHA256 {
		t.Fatalf("artifact size %d / sha %s do not add up", a.FileSize, a.SHA256)
	}

	notes, _ := s.Notifications(ctx, 0)
	var types []string
	for _, n := range notes {
		types = append(types, n.Type)
	}
	if got := strings.Join(types, ","); got != "job_completed,job_started,job_queued" {
		t.Fatalf("notifications %s", got)
	}
	// Another operator sees none of it.
	bob, _ := e.EnsureUser(ctx, "bob")
	b := e.Session(bob)
	if _, err := b.JobMetrics(ctx, j.ID, 0); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("bob reads ada's metrics: %v", err)
	}
	if _, err := b.DownloadArtifact(ctx, j.ID, t.TempDir()); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("bob downloads ada's adapter: %v", err)
	}
	if _, err := b.CancelJob(ctx, j.ID); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("bob cancels ada's job: %v", err)
	}
}

// A running job cancelled from another session stops within 3 seconds
// and keeps its cost so far.
func TestCancelRunningJob(t *testing.T) {
	e, db, u, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	job := enginetest.ReadyJob(t, db, s, 400, engine.JobRequest{GPU: model.GPUConfig{Type: "A100-80GB", Count: 1}})
	enginetest.StartWorker(t, e, engine.WorkerOptions{SimSpeed: 120, RescueAfter: 2 * time.Second}) // ~20 s of overhead alone
	running := enginetest.WaitStatus(t, s, job.ID, model.JobInitializing, model.JobRunning)
	time.Sleep(500 * time.Millisecond)

	began := time.Now()
	j, err := e.Session(u).CancelJob(ctx, job.ID)
	if err != nil || j.CancelRequestedAt == nil || j.Status.Final() {
		t.Fatalf("cancel: %+v %v (was %s)", j, err, running.Status)
	}
	j, _ = enginetest.WaitJob(t, s, job.ID, 10*time.Second)
	if took := time.Since(began); took > 3*time.Second {
		t.Fatalf("the trainer took %s to stop", took)
	}
	cost, err := s.JobCost(ctx, job.ID)
	if j.Status != model.JobCancelled || j.CancelledAt == nil || j.FinalCost == nil || *j.FinalCost <= 0 || err != nil ||
		cost.Kind != model.CostPartial || cost.TotalCost != *j.FinalCost || cost.StorageCost != 0 || cost.Hours <= 0 {
		t.Fatalf("cancelled job %+v\ncost %+v %v", j, cost, err)
	}
	if arts, _ := s.JobArtifacts(ctx, job.ID); len(arts) != 0 {
		t.Fatalf("a cancelled job stored an adapter: %+v", arts)
	}
	notes, _ := s.Notifications(ctx, 1)
	if len(notes) != 1 || notes[0].Type != model.NotificationJobCancelled {
		t.Fatalf("notification %+v", notes)
	}
	if _, err := s.CancelJob(ctx, job.ID); !errors.Is(err, engine.ErrJobFinished) {
		t.Fatalf("cancelling again: %v", err)
	}
}

// A queued job is cancelled at once, with a cost of nothing, and no worker
// ever runs it.
func TestCancelQueuedJob(t *testing.T) {
	e, db, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	job := enginetest.ReadyJob(t, db, s, 40, engine.JobRequest{GPU: model.GPUConfig{Type: "H100", Count: 1}})
	j, err := s.CancelJob(ctx, job.ID)
	if err != nil || j.Status != model.JobCancelled || j.FinalCost == nil || *j.FinalCost != 0 || j.StartedAt != nil {
		t.Fatalf("cancel queued: %+v %v", j, err)
	}
	var state string
	if err := db.Pool().QueryRow(ctx, `SELECT state::text FROM river_job WHERE args->>'job_id' = $1`, job.ID.String()).Scan(&state); err != nil || state != "cancelled" {
		t.Fatalf("queue job %q %v", state, err)
	}
	enginetest.StartWorker(t, e, engine.WorkerOptions{SimSpeed: enginetest.FastSim, RescueAfter: time.Second})
	time.Sleep(1500 * time.Millisecond)
	if j, _ := s.Job(ctx, job.ID); j.Status != model.JobCancelled || j.StartedAt != nil {
		t.Fatalf("a cancelled job ran: %+v", j)
	}
	if cost, err := s.JobCost(ctx, job.ID); err != nil || cost.TotalCost != 0 || cost.Kind != model.CostPartial {
		t.Fatalf("cost %+v %v", cost, err)
	}
}

package engine_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"brightrun/engine"
	"brightrun/model"
)

// TestWorkerClaimLatency measures how long a waiting exec job waits once
// a capable worker starts: from StartWorker being called to the job's
// started_at, over 10 workers started one after another. It logs p50 and
// p95 and asserts only that every job was claimed (no wall-clock bound).
func TestWorkerClaimLatency(t *testing.T) {
	e, _ := newJobEngine(t)
	ctx := context.Background()
	u, _ := e.EnsureUser(ctx, "ada")
	s := e.Session(u)
	script, _ := filepath.Abs("testdata/fake_trainer.sh")
	d, err := s.UploadDataset(ctx, chatFile(t, 12), engine.UploadOptions{Name: "coach"})
	if err != nil {
		t.Fatal(err)
	}
	startWorker(t, e, engine.WorkerOptions{}) // validates the dataset; runs no exec job
	d = waitDataset(t, s, d)
	var took []time.Duration
	for range 10 {
		job, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Name: "ok", Trainer: model.TrainerExec, GPU: model.GPUConfig{Type: "H100", Count: 1}})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond) // the job is settled in its queue
		began := time.Now()
		w, err := e.StartWorker(ctx, engine.WorkerOptions{Trainers: []string{model.TrainerExec}, ExecTrainer: "sh " + script,
			RescueAfter: 5 * time.Second, GPUType: "H100", GPUIDs: []int{0}})
		if err != nil {
			t.Fatal(err)
		}
		j, _ := waitJob(t, s, job.ID, 30*time.Second)
		w.Stop(10 * time.Second)
		if j.Status != model.JobCompleted || j.StartedAt == nil {
			t.Fatalf("job %s: %s", j.Status, j.ErrorMessage)
		}
		took = append(took, j.StartedAt.Sub(began))
	}
	slices.Sort(took)
	t.Logf("claim latency from worker start, %d runs: p50 %s, p95 %s (all: %v)", len(took),
		took[len(took)/2].Round(time.Millisecond), took[len(took)*95/100].Round(time.Millisecond), took)
}

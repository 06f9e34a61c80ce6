package worker_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
)

// TestWorkerClaimLatency measures how long a waiting exec job waits once
// a capable worker starts: from StartWorker being called to the job's
// started_at, over 10 workers started one after another. It logs p50 and
// p95 and asserts only that every job was claimed (no wall-clock bound).
func TestWorkerClaimLatency(t *testing.T) {
	e, _, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	script, _ := filepath.Abs("testdata/fake_trainer.sh")
	d, err := s.UploadDataset(ctx, enginetest.ChatFile(t, 12), engine.UploadOptions{Name: "coach"})
	if err != nil {
		t.Fatal(err)
	}
	enginetest.StartWorker(t, e, engine.WorkerOptions{}) // validates the dataset; runs no exec job
	d = enginetest.WaitDataset(t, s, d)
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
		j, _ := enginetest.WaitJob(t, s, job.ID, 30*time.Second)
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

// A job queued before routing, in River's default queue, still runs: the
// first worker that fetches it moves it to its trainer's queue.
func TestJobQueuedBeforeRoutingStillRuns(t *testing.T) {
	e, db, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	d, err := s.UploadDataset(ctx, enginetest.ChatFile(t, 12), engine.UploadOptions{Name: "coach"})
	if err != nil {
		t.Fatal(err)
	}
	w := enginetest.StartWorker(t, e, engine.WorkerOptions{SimSpeed: enginetest.FastSim, RescueAfter: 2 * time.Second})
	d = enginetest.WaitDataset(t, s, d)
	w.Stop(10 * time.Second)
	job, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Name: "old", GPU: model.GPUConfig{Type: "H100", Count: 1}})
	if err != nil {
		t.Fatal(err)
	}
	// As an older build queued it.
	tag, err := db.Pool().Exec(ctx, `UPDATE river_job SET queue = 'default' WHERE args->>'job_id' = $1 AND state = 'available'`, job.ID.String())
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("move the job to the default queue: %v, %d rows", err, tag.RowsAffected())
	}
	enginetest.StartWorker(t, e, engine.WorkerOptions{SimSpeed: enginetest.FastSim, RescueAfter: 2 * time.Second})
	if j, _ := enginetest.WaitJob(t, s, job.ID, 60*time.Second); j.Status != model.JobCompleted {
		t.Fatalf("job queued in the default queue: %s: %s", j.Status, j.ErrorMessage)
	}
	var queue string
	if err := db.Pool().QueryRow(ctx, `SELECT queue FROM river_job WHERE args->>'job_id' = $1`, job.ID.String()).Scan(&queue); err != nil || queue != engine.QueueTrainSim {
		t.Fatalf("queue of the job: %q, %v", queue, err)
	}
}

package worker_test

import (
	"context"
	"testing"
	"time"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/model/simulate"
	"brightrun/store/storetest"
)

// Postgres restarts (every connection cut, three seconds without a
// server) under a running training job and an open screen in another
// process: the job goes on and completes with its whole curve (no point
// lost or written twice), and the screen's subscription says to reload
// everything, then carries the job's events again.
func TestPostgresRestartUnderWorkerAndScreen(t *testing.T) {
	srv, dsn := storetest.Private(t)
	ctx := context.Background()
	worker, db, screen := enginetest.WorkerAndScreen(t, dsn)

	u, err := worker.EnsureUser(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	d := storetest.DatasetRow(t, db, u.ID, "cash", model.DatasetReady, true, 120)
	job, err := worker.Session(u).CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Preset: "balanced", GPU: model.GPUConfig{Type: "A100-80GB", Count: 1}})
	if err != nil {
		t.Fatal(err)
	}
	gpu, _ := worker.Catalog().Lookup(job.GPUConfig.Type)
	sim, err := simulate.NewSimulation(simulate.SimInput{JobID: job.ID, Hyperparameters: job.Hyperparameters, GPU: gpu,
		GPUCount: job.GPUConfig.Count, Pairs: d.TotalTrainingPairs, Tokens: d.TotalTokens})
	if err != nil {
		t.Fatal(err)
	}
	view := screen.Session(u)
	events, stop := view.Subscribe()
	defer stop()
	enginetest.StartWorker(t, worker, engine.WorkerOptions{SimSpeed: sim.Duration() / 12, RescueAfter: 30 * time.Second})

	next := func(within time.Duration, want func(engine.Event) bool) bool {
		deadline := time.After(within)
		for {
			select {
			case ev := <-events:
				if want(ev) {
					return true
				}
			case <-deadline:
				return false
			}
		}
	}
	ofJob := func(ev engine.Event) bool { return ev.OnRow("training_jobs", job.ID) && ev.Op != engine.OpResync }
	for {
		if !next(10*time.Second, ofJob) {
			t.Fatal("no event of the running job")
		}
		j, err := view.Job(ctx, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status == model.JobRunning && j.CurrentStep > 0 {
			break
		}
	}

	if err := srv.RestartPostgres(ctx, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if !next(15*time.Second, func(ev engine.Event) bool { return ev.Op == engine.OpResync }) {
		t.Fatal("the screen was not told to reload after the restart")
	}
	if !next(10*time.Second, ofJob) {
		t.Fatal("no event of the job after the restart")
	}

	j, _ := enginetest.WaitJob(t, view, job.ID, time.Minute)
	if j.Status != model.JobCompleted || j.RetryCount != 0 {
		t.Fatalf("after the restart the job ended %s (attempt %d): %s", j.Status, j.RetryCount+1, j.ErrorMessage)
	}
	points, err := view.JobMetrics(ctx, job.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	vals := 0
	for _, p := range points {
		if p.ValLoss != nil {
			vals++
			continue
		}
		if seen[p.Step] {
			t.Fatalf("step %d recorded twice", p.Step)
		}
		seen[p.Step] = true
	}
	want := 0
	for s := 1; s <= sim.TotalSteps(); s++ {
		if sim.Recorded(s) {
			want++
			if !seen[s] {
				t.Errorf("step %d of %d was lost", s, sim.TotalSteps())
			}
		}
	}
	if len(seen) != want || vals != job.Hyperparameters.Epochs {
		t.Fatalf("%d training points (want %d), %d validation points (want %d)", len(seen), want, vals, job.Hyperparameters.Epochs)
	}
}

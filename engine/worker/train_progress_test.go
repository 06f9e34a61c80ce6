package worker_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/engine/worker"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

// A batch of flushes in which one run's data breaks the transaction (a
// negative step violates a check) is written again run by run: the others
// land, the bad one alone gets the error, and a lost run stays lost.
func TestProgressWriterFallsBackRunByRun(t *testing.T) {
	_, db, u, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	d := storetest.DatasetRow(t, db, u.ID, "cash", model.DatasetReady, true, 40)
	jobs := make([]uuid.UUID, 3)
	for i := range jobs {
		j, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Preset: "fast", GPU: model.GPUConfig{Type: "A100-40GB", Count: 1}})
		if err != nil {
			t.Fatal(err)
		}
		jobs[i] = j.ID
		storetest.ClaimRun(t, db, u.ID, j.ID, 1)
	}
	loss := 1.25
	flush := func(job uuid.UUID, attempt, step int) store.RunFlush {
		return store.RunFlush{UserID: u.ID, JobID: job, Attempt: attempt,
			Points:   []model.MetricPoint{{Step: step, TrainLoss: &loss}},
			Output:   []model.JobOutputLine{{At: time.Now(), Stream: model.StreamStderr, Text: "ok"}},
			Progress: store.JobProgress{Status: model.JobRunning, Stage: model.StageTraining, Step: max(step, 0)}}
	}
	results := worker.New(worker.Config{DB: db}).WriteFlushBatch([]store.RunFlush{flush(jobs[0], 1, 5), flush(jobs[1], 1, -1), flush(jobs[2], 2, 5)})
	if results[0].Err != nil || results[1].Err == nil || errors.Is(results[1].Err, store.ErrRunLost) || !errors.Is(results[2].Err, store.ErrRunLost) {
		t.Fatalf("results %+v", results)
	}
	for i, want := range []int{1, 0, 0} {
		points, err := s.JobMetrics(ctx, jobs[i], 0)
		if err != nil || len(points) != want {
			t.Errorf("job %d: %d points (%v), want %d", i, len(points), err, want)
		}
		out, err := s.JobOutput(ctx, jobs[i], 0, 0)
		if err != nil || len(out) != want {
			t.Errorf("job %d: %d output lines (%v), want %d", i, len(out), err, want)
		}
	}
}

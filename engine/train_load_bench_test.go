package engine_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

// BenchmarkConcurrentSimulatedJobs runs BRIGHTRUN_BENCH_JOBS (default 1,000)
// simulated jobs at once on one worker while a job view follows one of them
// through pushed events, and reports how long the whole load took and the
// p95 of event → metrics read for the watched job. It runs once whatever
// b.N is: the load is the measurement.
func BenchmarkConcurrentSimulatedJobs(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("BRIGHTRUN_BENCH_JOBS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	catalog, _, err := engine.LoadCatalog("")
	if err != nil {
		b.Fatal(err)
	}
	db := storetest.NewDB(b)
	e := engine.New(engine.Config{Mode: engine.ModeLocal, DataDir: b.TempDir()}, db, storetest.NewObjects(b), catalog, nil)
	b.Cleanup(e.Close)
	u, err := e.EnsureUser(ctx, "load")
	if err != nil {
		b.Fatal(err)
	}
	s := e.Session(u)
	dsID := uuid.New()
	err = db.WithUser(ctx, u.ID, func(tx pgx.Tx) error {
		if _, err := store.InsertDataset(ctx, tx, u.ID, store.NewDataset{ID: dsID, Name: "load", Bucket: store.BucketDatasets, StoragePath: "k", FileName: "f.jsonl"}); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE datasets SET status = 'ready', training_ready = true, total_training_pairs = 200, total_tokens = 20000 WHERE id = $1`, dsID)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]uuid.UUID, n)
	for i := range ids {
		j, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: dsID, Preset: "fast", GPU: model.GPUConfig{Type: "H100", Count: 8}})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = j.ID
	}
	watched := ids[n/2]
	events, cancel := s.Subscribe()
	defer cancel()
	time.Sleep(300 * time.Millisecond)

	b.ResetTimer()
	start := time.Now()
	w, err := e.StartWorker(ctx, engine.WorkerOptions{Concurrency: n, SimSpeed: 200})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Stop(time.Minute)
	var lat []time.Duration
	lastStep := 0
	deadline := time.After(10 * time.Minute)
	for done := false; !done; {
		select {
		case ev := <-events:
			if ev.Table != "training_jobs" || ev.ID != watched {
				continue
			}
			got := time.Now()
			points, err := s.JobMetrics(ctx, watched, lastStep)
			if err != nil {
				b.Fatal(err)
			}
			if len(points) > 0 {
				lastStep = points[len(points)-1].Step
			}
			lat = append(lat, time.Since(got))
		case <-time.After(time.Second):
			var open int
			if err := db.WithUser(ctx, u.ID, func(tx pgx.Tx) error {
				return tx.QueryRow(ctx, `SELECT count(*) FROM training_jobs WHERE status NOT IN ('completed','failed','cancelled')`).Scan(&open)
			}); err != nil {
				b.Fatal(err)
			}
			done = open == 0
		case <-deadline:
			b.Fatal("the load did not finish within 10 minutes")
		}
	}
	total := time.Since(start)
	b.StopTimer()
	var completed int
	_ = db.WithUser(ctx, u.ID, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM training_jobs WHERE status = 'completed'`).Scan(&completed)
	})
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "view-read-p95-ms")
	}
	b.ReportMetric(total.Seconds(), "load-s")
	b.ReportMetric(float64(completed), "completed")
	b.ReportMetric(float64(len(lat)), "view-events")
}

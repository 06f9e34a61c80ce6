package worker_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

// BenchmarkConcurrentSimulatedJobs runs BRIGHTRUN_BENCH_JOBS (default 1,000)
// simulated jobs at once on one worker (played BRIGHTRUN_BENCH_SIM_SPEED
// times faster, default 200; 0 plays each for about a minute) while a job view follows one of them
// through pushed events, and reports how long the whole load took and the
// p95 of event → metrics read for the watched job. It runs once whatever
// b.N is: the load is the measurement.
func BenchmarkConcurrentSimulatedJobs(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("BRIGHTRUN_BENCH_JOBS")); err == nil && v > 0 {
		n = v
	}
	speed := 200.0 // each job in a fraction of a second of training
	if v, err := strconv.ParseFloat(os.Getenv("BRIGHTRUN_BENCH_SIM_SPEED"), 64); err == nil && v >= 0 {
		speed = v // 0: the default playback, about a minute a job
	}
	ctx := context.Background()
	e, db, screen := enginetest.WorkerAndScreen(b, storetest.NewDatabase(b))
	u, err := e.EnsureUser(ctx, "load")
	if err != nil {
		b.Fatal(err)
	}
	s := e.Session(u)
	view := screen.Session(u)
	dsID := storetest.DatasetRow(b, db, u.ID, "load", model.DatasetReady, true, 200).ID
	ids := make([]uuid.UUID, n)
	for i := range ids {
		j, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: dsID, Preset: "fast", GPU: model.GPUConfig{Type: "H100", Count: 8}})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = j.ID
	}
	watched := ids[n/2]
	events, cancel := view.Subscribe()
	defer cancel()

	b.ResetTimer()
	start := time.Now()
	w, err := e.StartWorker(ctx, engine.WorkerOptions{Concurrency: n, SimSpeed: speed})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Stop(time.Minute)
	var lat, fresh []time.Duration
	lastStep := 0
	deadline := time.After(10 * time.Minute)
	for done := false; !done; {
		select {
		case ev := <-events:
			if ev.Table != "training_jobs" || ev.ID != watched {
				continue
			}
			// What the job view does on its job's event: the row, then
			// the points after the last one it has.
			got := time.Now()
			if _, err := view.Job(ctx, watched); err != nil {
				b.Fatal(err)
			}
			points, err := view.JobMetrics(ctx, watched, lastStep+1)
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(got))
			if len(points) > 0 {
				last := points[len(points)-1]
				lastStep = last.Step
				// recorded_at is when the worker's write began: this is
				// how old the newest point is once the screen has it.
				fresh = append(fresh, time.Since(last.RecordedAt))
			}
		case <-time.After(time.Second):
			var open int
			if err := db.WithUser(ctx, u.ID, func(tx store.Tx) error {
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
	_ = db.WithUser(ctx, u.ID, func(tx store.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM training_jobs WHERE status = 'completed'`).Scan(&completed)
	})
	p95 := func(d []time.Duration) float64 {
		if len(d) == 0 {
			return 0
		}
		slices.Sort(d)
		return float64(d[len(d)*95/100].Microseconds()) / 1000
	}
	b.ReportMetric(p95(lat), "view-read-p95-ms")
	b.ReportMetric(p95(fresh), "write-to-view-p95-ms")
	b.ReportMetric(total.Seconds(), "load-s")
	b.ReportMetric(float64(completed), "completed")
	b.ReportMetric(float64(len(lat)), "view-events")
}

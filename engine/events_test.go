package engine_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

func TestEventsReachOnlyTheirOperator(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	ada, _ := e.EnsureUser(ctx, "ada")
	bob, _ := e.EnsureUser(ctx, "bob")
	adaEvents, cancelA := e.Session(ada).Subscribe()
	defer cancelA()
	bobEvents, cancelB := e.Session(bob).Subscribe()
	defer cancelB()

	n, err := e.Session(ada).Notify(ctx, model.Notification{Type: "job_queued", Title: "t", Message: "m"})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-adaEvents:
		if ev.Table != "notifications" || ev.ID != n.ID || ev.Op != "INSERT" {
			t.Fatalf("event %+v, want the notification insert", ev)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	select {
	case ev := <-bobEvents:
		t.Fatalf("bob got ada's event %+v", ev)
	case <-time.After(300 * time.Millisecond):
	}
	var _ engine.Event
}

// TestSubscribeReturnsListening fires a change the moment Subscribe returns
// on a fresh engine, whose listener is not yet connected when Subscribe is
// called: Subscribe must not return before LISTEN is in force, or this
// change is never delivered.
func TestSubscribeReturnsListening(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	ada, err := e.EnsureUser(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}
	events, cancel := e.Session(ada).Subscribe()
	defer cancel()
	if !e.Listening() {
		t.Fatal("Subscribe returned before LISTEN was in force")
	}
	n, err := e.Session(ada).Notify(ctx, model.Notification{Type: "job_queued", Title: "t", Message: "m"})
	if err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case ev := <-events:
			if ev.Table == "notifications" && ev.ID == n.ID {
				return
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the change made right after Subscribe returned never arrived")
		}
	}
}

// BenchmarkMetricWriteToScreen measures what a job view waits for: a
// worker's engine writes a metric point and the job's progress (one
// transaction, as the trainer does), and a second engine, with its own pool
// and LISTEN connection as another process would have, receives the pushed
// event and reads the new point. It reports the p50 and p95 of that latency.
func BenchmarkMetricWriteToScreen(b *testing.B) {
	ctx := context.Background()
	worker, workerDB, screen := enginetest.WorkerAndScreen(b, storetest.NewDatabase(b))
	u, err := worker.EnsureUser(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	d := storetest.DatasetRow(b, workerDB, u.ID, "bench", model.DatasetReady, true, 1000)
	job, err := worker.Session(u).CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, GPU: model.GPUConfig{Type: "A100-80GB", Count: 1}})
	if err != nil {
		b.Fatal(err)
	}
	viewer := screen.Session(u)
	events, cancel := viewer.Subscribe()
	defer cancel()

	latencies := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step := i + 1
		start := time.Now()
		err := workerDB.WithUser(ctx, u.ID, func(tx store.Tx) error {
			_, err := store.WriteRunFlush(ctx, tx, storetest.PointFlush(u.ID, job.ID, step))
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		for ev := range events {
			if ev.Table == "training_jobs" && ev.ID == job.ID {
				break
			}
		}
		points, err := viewer.JobMetrics(ctx, job.ID, step)
		if err != nil || len(points) == 0 || points[len(points)-1].Step != step {
			b.Fatalf("step %d not read back: %v %v", step, points, err)
		}
		latencies = append(latencies, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

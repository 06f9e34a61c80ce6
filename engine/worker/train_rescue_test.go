package worker_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store/storetest"
)

// A worker that died mid-run (kill -9) leaves its job running with a stale
// heartbeat. Another worker's sweep notices: the job resumes from its last
// checkpoint, or ends failed (attempts spent) or cancelled (an operator
// asked) with the GPU time billed so far; it never stays running.
func TestDeadWorkersJobIsRescued(t *testing.T) {
	const billed = 1800.0 // GPU seconds the dead worker had billed
	tests := []struct {
		name      string
		attempt   int
		cancelled bool
		want      model.JobStatus
		event     string
		queue     string
	}{
		{"resumes from the checkpoint", 1, false, model.JobCompleted, "attempt 2 of 3 will resume from the last checkpoint", "completed"},
		{"attempts spent", engine.TrainAttempts, false, model.JobFailed, "all 3 attempts are spent", "discarded"},
		{"cancel requested", 1, true, model.JobCancelled, "cancelled at step 5", "cancelled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, db, u, s := enginetest.Operator(t, "ada")
			ctx := context.Background()
			job := enginetest.ReadyJob(t, db, s, 40, engine.JobRequest{GPU: model.GPUConfig{Type: "H100", Count: 2}}) // 10 steps an epoch
			// What the dead worker left: attempt tt.attempt running since a
			// minute, its heartbeat as old, five points recorded.
			if _, err := db.Pool().Exec(ctx, `UPDATE river_job SET state = 'running', attempt = $2,
				attempted_at = now() - interval '1 minute', attempted_by = ARRAY['dead-worker']
				WHERE args->>'job_id' = $1`, job.ID.String(), tt.attempt); err != nil {
				t.Fatal(err)
			}
			storetest.Exec(t, db, u.ID, `UPDATE training_jobs SET status = 'running', current_stage = 'training',
				started_at = now() - interval '1 minute', heartbeat_at = now() - interval '1 minute', retry_count = $2 - 1,
				current_step = 5, current_epoch = 1, billed_seconds = $3,
				cancel_requested_at = CASE WHEN $4 THEN now() END WHERE id = $1`, job.ID, tt.attempt, billed, tt.cancelled)
			var recorded []model.MetricPoint
			for step := 1; step <= 5; step++ {
				loss := 2.0
				recorded = append(recorded, model.MetricPoint{Step: step, Epoch: float64(step) / 10, TrainLoss: &loss})
			}
			storetest.WritePoints(t, db, u.ID, job.ID, recorded)

			enginetest.StartWorker(t, e, engine.WorkerOptions{SimSpeed: enginetest.FastSim, RescueAfter: time.Second})
			j, _ := enginetest.WaitJob(t, s, job.ID, 30*time.Second)
			if j.Status != tt.want {
				t.Fatalf("status %s, want %s (%s)", j.Status, tt.want, j.ErrorMessage)
			}
			events, _ := s.JobEvents(ctx, job.ID)
			found := false
			for _, ev := range events {
				found = found || strings.Contains(ev.Message, tt.event)
			}
			if !found {
				t.Fatalf("no event saying %q: %+v", tt.event, events)
			}
			var state string
			for i := 0; i < 50 && state != tt.queue; i++ { // River records a worker's result a moment later
				if i > 0 {
					time.Sleep(100 * time.Millisecond)
				}
				if err := db.Pool().QueryRow(ctx, `SELECT state::text FROM river_job WHERE args->>'job_id' = $1`, job.ID.String()).Scan(&state); err != nil {
					t.Fatal(err)
				}
			}
			if state != tt.queue {
				t.Errorf("queue job %s, want %s", state, tt.queue)
			}
			cost, err := s.JobCost(ctx, job.ID)
			if err != nil || cost == nil {
				t.Fatalf("cost %v %v", cost, err)
			}
			if tt.want != model.JobCompleted {
				if want := model.ComputeCost(billed, 4.2, 2); cost.TotalCost != want || *j.FinalCost != want || cost.Kind != model.CostPartial {
					t.Fatalf("cost %+v, want %.2f for the time billed", cost, want)
				}
				return
			}
			// Resumed after step 5: steps 1–5 are not recorded twice, the
			// rest are recorded once, and the bill continues the dead one's.
			points, _ := s.JobMetrics(ctx, job.ID, 0)
			perStep := map[int]int{}
			for _, p := range points {
				if p.TrainLoss != nil {
					perStep[p.Step]++
				}
			}
			for step := 1; step <= j.TotalSteps; step++ {
				if perStep[step] != 1 {
					t.Fatalf("step %d has %d training points", step, perStep[step])
				}
			}
			if cost.Hours*3600 <= billed || cost.Kind != model.CostFinal || j.RetryCount != 1 {
				t.Fatalf("cost %+v after %v billed seconds; retry count %d", cost, billed, j.RetryCount)
			}
		})
	}
}

// A worker that stops (ctrl+c, a deploy) hands its running job back: the
// next worker resumes it and it completes.
func TestStoppedWorkerHandsTheJobOn(t *testing.T) {
	e, db, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	job := enginetest.ReadyJob(t, db, s, 400, engine.JobRequest{GPU: model.GPUConfig{Type: "H100", Count: 1}})
	w, err := e.StartWorker(ctx, engine.WorkerOptions{SimSpeed: 200, RescueAfter: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	enginetest.WaitStatus(t, s, job.ID, model.JobInitializing, model.JobRunning)
	if err := w.Stop(100 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if j, _ := s.Job(ctx, job.ID); j.Status.Final() {
		t.Fatalf("the job ended when its worker stopped: %s", j.Status)
	}
	enginetest.StartWorker(t, e, engine.WorkerOptions{SimSpeed: enginetest.FastSim, RescueAfter: 2 * time.Second})
	j, _ := enginetest.WaitJob(t, s, job.ID, 30*time.Second)
	events, _ := s.JobEvents(ctx, job.ID)
	found := false
	for _, ev := range events {
		found = found || strings.Contains(ev.Message, "worker stopped at step")
	}
	if j.Status != model.JobCompleted || !found {
		t.Fatalf("job %s after its worker stopped; events %+v", j.Status, events)
	}
}

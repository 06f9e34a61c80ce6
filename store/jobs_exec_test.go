package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

// A run's writes are fenced by its attempt and by the job not being final,
// so a worker that lost its job cannot overwrite what came after it.
func TestJobRunFencing(t *testing.T) {
	db, ada := storetest.NewDBWithUser(t, "ada")
	ctx := context.Background()
	in := insertQueuedJob(t, db, ada.ID, "cash")
	tx := func(fn func(tx store.Tx) error) error { return db.WithUser(ctx, ada.ID, fn) }

	run := storetest.ClaimRun(t, db, ada.ID, in.ID, 1)
	if !run.FirstStart || run.Job.Status != model.JobInitializing || run.Job.CurrentStage != model.StageProvisioning ||
		run.Job.StartedAt == nil || run.Dataset.ID != in.DatasetID || run.DatasetDeleted || run.CancelRequested {
		t.Fatalf("claimed %+v", run)
	}
	progress := store.JobProgress{Status: model.JobRunning, Stage: model.StageTraining, Progress: 40, Epoch: 1, Step: 3,
		BilledSeconds: 90, Cost: 0.21, Metrics: map[string]float64{"train_loss": 1.5},
		Events: []model.JobEvent{{At: time.Now(), Kind: model.EventStage, Stage: model.StageTraining, Message: "epoch 1"}}}
	save := func(attempt int) (bool, error) {
		var cancel bool
		err := tx(func(tx store.Tx) (err error) {
			cancel, err = store.SaveJobProgress(ctx, tx, in.ID, attempt, progress)
			return err
		})
		return cancel, err
	}
	if cancel, err := save(1); err != nil || cancel {
		t.Fatalf("save: %v %v", cancel, err)
	}
	if _, err := save(2); !errors.Is(err, store.ErrRunLost) {
		t.Fatalf("another attempt's write: %v", err)
	}
	if err := tx(func(tx store.Tx) error { _, err := store.RequestJobCancel(ctx, tx, in.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if cancel, err := save(1); err != nil || !cancel {
		t.Fatalf("save after a cancel request: %v %v", cancel, err)
	}

	// A second claim (a rescued job) keeps the state and takes the fence.
	run = storetest.ClaimRun(t, db, ada.ID, in.ID, 2)
	if run.FirstStart || run.Job.Status != model.JobRunning || run.Job.CurrentStep != 3 || run.BilledSeconds != 90 ||
		!run.CancelRequested || run.Job.RetryCount != 1 {
		t.Fatalf("second claim %+v", run)
	}
	if _, err := save(1); !errors.Is(err, store.ErrRunLost) {
		t.Fatalf("the first attempt still writes: %v", err)
	}

	end := store.JobEnd{Status: model.JobCancelled, BilledSeconds: 120, FinalCost: 0.28}
	var done model.Job
	if err := tx(func(tx store.Tx) (err error) { done, err = store.FinishJob(ctx, tx, in.ID, 2, end); return err }); err != nil {
		t.Fatal(err)
	}
	if done.Status != model.JobCancelled || done.CurrentStage != model.StageCancelled || done.CancelledAt == nil || done.CompletedAt == nil ||
		done.FinalCost == nil || *done.FinalCost != 0.28 || done.CurrentCost != 0.28 {
		t.Fatalf("finished %+v", done)
	}
	if err := tx(func(tx store.Tx) error { _, err := store.FinishJob(ctx, tx, in.ID, 0, end); return err }); !errors.Is(err, store.ErrRunLost) {
		t.Fatalf("finishing twice: %v", err)
	}
	var events []model.JobEvent
	if err := tx(func(tx store.Tx) (err error) { events, err = store.JobEvents(ctx, tx, in.ID); return err }); err != nil || len(events) != 2 {
		t.Fatalf("events %+v %v", events, err)
	}
}

func TestMetricPointsArtifactsAndCosts(t *testing.T) {
	db, ada, bob := storetest.NewDBWithUsers(t, "ada", "bob")
	ctx := context.Background()
	in := insertQueuedJob(t, db, ada.ID, "cash")
	f := func(v float64) *float64 { return &v }
	err := db.WithUser(ctx, ada.ID, func(tx store.Tx) error {
		if err := store.InsertMetricPoints(ctx, tx, ada.ID, in.ID, []model.MetricPoint{
			{Step: 1, Epoch: 0.33, TrainLoss: f(2.1), LearningRate: f(5e-5), GradNorm: f(1.2), GPUUtilization: f(91), TokensPerSec: f(4000)},
			{Step: 3, Epoch: 1, TrainLoss: f(1.7)},
		}); err != nil {
			return err
		}
		if err := store.InsertMetricPoints(ctx, tx, ada.ID, in.ID, []model.MetricPoint{{Step: 3, Epoch: 1, ValLoss: f(1.8)}}); err != nil {
			return err
		}
		if c, err := store.LastCheckpoint(ctx, tx, in.ID); err != nil || c != (store.Checkpoint{Step: 3, Validated: true}) {
			t.Errorf("checkpoint %+v %v", c, err)
		}
		points, err := store.MetricPoints(ctx, tx, in.ID, 3)
		if err != nil || len(points) != 2 || points[0].TrainLoss == nil || points[1].ValLoss == nil || points[0].ID >= points[1].ID {
			t.Errorf("points from step 3: %+v %v", points, err)
		}
		all, _ := store.MetricPoints(ctx, tx, in.ID, 0)
		if len(all) != 3 || *all[0].GradNorm != 1.2 || all[0].Epoch != 0.33 || all[0].RecordedAt.IsZero() {
			t.Errorf("all points %+v", all)
		}
		a := model.Artifact{ID: uuid.New(), UserID: ada.ID, JobID: in.ID, Name: "adapter", StorageBucket: store.BucketModelArtifacts,
			StoragePath: "p/", FileSize: 7, SHA256: "abc", Format: model.ArtifactFormatPEFT,
			Metadata: model.ArtifactMetadata{Trainer: "exec", Files: []model.ArtifactFile{{Name: "a.bin", Size: 7, SHA256: "def"}}}}
		if _, err := store.InsertArtifact(ctx, tx, a); err != nil {
			return err
		}
		arts, err := store.JobArtifacts(ctx, tx, in.ID)
		if err != nil || len(arts) != 1 || arts[0].Metadata.Files[0] != a.Metadata.Files[0] || arts[0].CreatedAt.IsZero() {
			t.Errorf("artifacts %+v %v", arts, err)
		}
		if _, err := store.JobCost(ctx, tx, in.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("cost before the end: %v", err)
		}
		c := model.NewCostRecord(in.GPUConfig, 4.2, 3600, true)
		c.UserID, c.JobID = ada.ID, in.ID
		if _, err := store.InsertCostRecord(ctx, tx, c); err != nil {
			return err
		}
		got, err := store.JobCost(ctx, tx, in.ID)
		if err != nil || got.TotalCost != 8.9 || got.Hours != 1 || got.Kind != model.CostFinal {
			t.Errorf("cost %+v %v", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Bob sees none of it.
	err = db.WithUser(ctx, bob.ID, func(tx store.Tx) error {
		points, _ := store.MetricPoints(ctx, tx, in.ID, 0)
		arts, _ := store.JobArtifacts(ctx, tx, in.ID)
		_, costErr := store.JobCost(ctx, tx, in.ID)
		_, evErr := store.JobEvents(ctx, tx, in.ID)
		if len(points)+len(arts) != 0 || !errors.Is(costErr, store.ErrNotFound) || !errors.Is(evErr, store.ErrNotFound) {
			t.Errorf("bob sees %d points, %d artifacts, cost %v, events %v", len(points), len(arts), costErr, evErr)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Many runs of several users flush in one transaction: each lands under its
// own user, a lost run gets ErrRunLost without failing the others, a cancel
// request reaches its run, and a run that writes another user's job through
// the batch writes nothing.
func TestSaveRunFlushes(t *testing.T) {
	db, ada, bob := storetest.NewDBWithUsers(t, "ada", "bob")
	ctx := context.Background()
	claimed := func(u model.User, name string) uuid.UUID {
		return storetest.ClaimRun(t, db, u.ID, insertQueuedJob(t, db, u.ID, name).ID, 1).Job.ID
	}
	adaJob, adaCancelled, bobJob := claimed(ada, "a1"), claimed(ada, "a2"), claimed(bob, "b1")
	if err := db.WithUser(ctx, ada.ID, func(tx store.Tx) error { _, err := store.RequestJobCancel(ctx, tx, adaCancelled); return err }); err != nil {
		t.Fatal(err)
	}
	loss := func(v float64) *float64 { return &v }
	flush := func(u model.User, job uuid.UUID, attempt, step int) store.RunFlush {
		return store.RunFlush{UserID: u.ID, JobID: job, Attempt: attempt,
			Points: []model.MetricPoint{{Step: step, Epoch: 1, TrainLoss: loss(1.5)}},
			Output: []model.JobOutputLine{{At: time.Now(), Stream: model.StreamStderr, Text: "step " + u.Name}},
			Progress: store.JobProgress{Status: model.JobRunning, Stage: model.StageTraining, Progress: 50, Step: step,
				Events: []model.JobEvent{{At: time.Now(), Kind: model.EventInfo, Message: "tick"}}}}
	}
	var results []store.RunFlushResult
	err := db.Tx(ctx, func(tx store.Tx) (err error) {
		results, err = store.SaveRunFlushes(ctx, tx, []store.RunFlush{
			flush(ada, adaJob, 1, 7),
			flush(bob, bobJob, 2, 9), // attempt 2 does not own the job: lost
			flush(ada, adaCancelled, 1, 3),
			flush(bob, adaJob, 1, 8), // bob cannot reach ada's job: lost, and nothing of his lands on it
			flush(bob, bobJob, 1, 4),
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		cancel bool
		lost   bool
	}{{false, false}, {false, true}, {true, false}, {false, true}, {false, false}}
	for i, w := range want {
		if results[i].CancelRequested != w.cancel || errors.Is(results[i].Err, store.ErrRunLost) != w.lost ||
			(!w.lost && results[i].Err != nil) {
			t.Errorf("flush %d: %+v, want cancel %v lost %v", i, results[i], w.cancel, w.lost)
		}
	}
	check := func(u model.User, job uuid.UUID, step, points, lines int) {
		t.Helper()
		err := db.WithUser(ctx, u.ID, func(tx store.Tx) error {
			j, err := store.GetJob(ctx, tx, job)
			if err != nil {
				return err
			}
			ps, err := store.MetricPoints(ctx, tx, job, 0)
			if err != nil {
				return err
			}
			out, err := store.JobOutput(ctx, tx, job, 0, 0)
			if err != nil {
				return err
			}
			if j.CurrentStep != step || len(ps) != points || len(out) != lines {
				t.Errorf("%s's job %s: step %d, %d points, %d lines; want %d, %d, %d", u.Name, job, j.CurrentStep, len(ps), len(out), step, points, lines)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check(ada, adaJob, 7, 1, 1)
	check(ada, adaCancelled, 3, 1, 1)
	check(bob, bobJob, 4, 1, 1)
	// The lost runs wrote nothing: not on bob's job (owned by attempt 1),
	// and nothing of bob's on ada's job (checked above: one point each).
}

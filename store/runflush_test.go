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

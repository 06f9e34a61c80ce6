package engine_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store/storetest"
)

// A change made right after WatchJob's first read is seen by its event,
// not by the safety read seconds later: `job cancel` watches a job its
// worker ends a moment after the request, and waited 5 s when the end came
// before the listener was in force. Repeated, each time on a fresh engine
// (whose listener starts with the watch), since it was a race.
func TestWatchJobSeesAChangeRightAfterItsFirstRead(t *testing.T) {
	engine.SetWatchSafety(t, time.Hour) // only an event can wake the watch
	_, db, u, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	job := enginetest.ReadyJob(t, db, s, 40, engine.JobRequest{GPU: model.GPUConfig{Type: "H100", Count: 1}})
	errSeen := errors.New("seen")
	for i := range 10 {
		fresh := enginetest.Over(t, db)
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		calls := 0
		_, err := fresh.Session(u).WatchJob(wctx, job.ID, func(model.Job) error {
			calls++
			if calls > 1 {
				return errSeen
			}
			// Changed at once, by another connection, right after the read.
			storetest.Exec(t, db, u.ID, `UPDATE training_jobs SET current_stage = $2, updated_at = clock_timestamp() WHERE id = $1`,
				job.ID, fmt.Sprint("stage ", i))
			return nil
		})
		cancel()
		if !errors.Is(err, errSeen) {
			t.Fatalf("round %d: the watch missed the change: %v", i, err)
		}
	}
}

package engine

import (
	"context"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
)

// watchSafety is how long WatchJob waits without a change event before it
// reads the job anyway: events are the signal, this only covers one that
// was missed (the listener reconnecting, or starting just after a change).
var watchSafety = 5 * time.Second

// WatchJob calls fn with the job as it is now and again after every change
// of its row, until the job reaches a final state (which it returns) or ctx
// ends. It wakes on the change events of Subscribe, not by polling. An
// error from fn stops the watch and is returned.
func (s *Session) WatchJob(ctx context.Context, id uuid.UUID, fn func(model.Job) error) (model.Job, error) {
	// Subscribe returns once LISTEN is in force, so the first read below
	// cannot miss a change made between the two.
	events, stop := s.Subscribe()
	defer stop()
	j, err := s.Job(ctx, id)
	if err != nil {
		return j, err
	}
	if err := fn(j); err != nil {
		return j, err
	}
	timer := time.NewTimer(watchSafety)
	defer timer.Stop()
	for !j.Status.Final() {
		select {
		case <-ctx.Done():
			return j, ctx.Err()
		case ev := <-events:
			if !ev.OnRow("training_jobs", id) {
				continue
			}
		case <-timer.C:
		}
		timer.Reset(watchSafety)
		next, err := s.Job(ctx, id)
		if err != nil {
			return j, err
		}
		if next.UpdatedAt.Equal(j.UpdatedAt) {
			continue
		}
		j = next
		if err := fn(j); err != nil {
			return j, err
		}
	}
	return j, nil
}

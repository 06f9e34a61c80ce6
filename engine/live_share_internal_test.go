package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
)

// sharedRead is a read that blocks until released and counts its runs.
type sharedRead struct {
	runs    atomic.Int32
	release chan struct{}
}

func (r *sharedRead) read(ctx context.Context) (JobLive, error) {
	r.runs.Add(1)
	select {
	case <-r.release:
	case <-ctx.Done():
		return JobLive{}, ctx.Err()
	}
	return JobLive{
		Job:    model.Job{Name: "j", CurrentMetrics: map[string]float64{"train_loss": 1}},
		Points: []model.MetricPoint{{Step: 1}},
		Events: []model.JobEvent{{Message: "e"}},
	}, nil
}

// waitRuns waits until n reads have begun.
func (r *sharedRead) waitRuns(t *testing.T, n int32) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for r.runs.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d reads began, want %d", r.runs.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestLiveReadsShareOnlyWhatIsSafe(t *testing.T) {
	ada, bob, job := uuid.New(), uuid.New(), uuid.New()
	ctx := context.Background()

	t.Run("sessions of one operator share a read in flight", func(t *testing.T) {
		var lr liveReads
		r := &sharedRead{release: make(chan struct{})}
		key := liveKey{user: ada, job: job, since: 10}
		var wg sync.WaitGroup
		answers := make([]JobLive, 5)
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l, err := lr.share(ctx, key, 7, r.read)
				if err != nil {
					t.Error(err)
				}
				answers[i] = l
			}()
		}
		r.waitRuns(t, 1)
		time.Sleep(20 * time.Millisecond) // let the others join
		close(r.release)
		wg.Wait()
		if n := r.runs.Load(); n != 1 {
			t.Errorf("%d reads for 5 sessions, want 1", n)
		}
		// Each has its own copy: one screen changing its answer changes
		// no other's.
		answers[0].Points[0].Step = 99
		answers[0].Events[0].Message = "changed"
		answers[0].Job.CurrentMetrics["train_loss"] = 5
		if answers[1].Points[0].Step != 1 || answers[1].Events[0].Message != "e" || answers[1].Job.CurrentMetrics["train_loss"] != 1 {
			t.Errorf("answers share their slices or maps: %+v", answers[1])
		}
	})

	t.Run("no read is shared across an event, a user, a job or a step", func(t *testing.T) {
		var lr liveReads
		r := &sharedRead{release: make(chan struct{})}
		calls := []struct {
			key    liveKey
			events uint64
		}{
			{liveKey{user: ada, job: job, since: 10}, 7},
			{liveKey{user: ada, job: job, since: 10}, 8}, // an event came since the first began
			{liveKey{user: bob, job: job, since: 10}, 8}, // another operator
			{liveKey{user: ada, job: uuid.New(), since: 10}, 8},
			{liveKey{user: ada, job: job, since: 11}, 8},
		}
		var wg sync.WaitGroup
		for i, c := range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := lr.share(ctx, c.key, c.events, r.read); err != nil {
					t.Error(err)
				}
			}()
			r.waitRuns(t, int32(i+1))
		}
		close(r.release)
		wg.Wait()
		if n := r.runs.Load(); n != int32(len(calls)) {
			t.Errorf("%d reads for %d different calls", n, len(calls))
		}
		if len(lr.inflight) != 0 {
			t.Errorf("%d reads left in flight", len(lr.inflight))
		}
	})

	t.Run("the session that began a read leaving does not fail the others", func(t *testing.T) {
		var lr liveReads
		r := &sharedRead{release: make(chan struct{})}
		key := liveKey{user: ada, job: job}
		first, cancel := context.WithCancel(ctx)
		firstErr := make(chan error, 1)
		go func() {
			_, err := lr.share(first, key, 1, r.read)
			firstErr <- err
		}()
		r.waitRuns(t, 1)
		second := make(chan error, 1)
		go func() {
			_, err := lr.share(ctx, key, 1, r.read)
			second <- err
		}()
		time.Sleep(20 * time.Millisecond)
		cancel()
		if err := <-firstErr; err == nil {
			t.Error("the cancelled caller got an answer")
		}
		close(r.release)
		if err := <-second; err != nil {
			t.Errorf("the other session failed with the first: %v", err)
		}
		if n := r.runs.Load(); n != 1 {
			t.Errorf("%d reads, want 1", n)
		}
	})
}

package engine

import (
	"context"
	"maps"
	"slices"
	"sync"

	"github.com/google/uuid"
)

// liveReads lets the sessions of one operator that follow the same job
// share its reads: when a metric point lands, every session showing the job
// asks for the same row, points and events at the same moment, and one
// read answers them all.
//
// A session may only join a read that began after every change it has been
// told of, or it would miss that change: a read is joined only while no
// event has reached this engine since it began (events are counted as the
// hub receives them, after their commit), so the read's snapshot holds
// whatever the joining session was told.
type liveReads struct {
	mu       sync.Mutex
	inflight map[liveKey]*liveRead
}

type liveKey struct {
	user, job uuid.UUID
	since     int
}

type liveRead struct {
	events uint64 // the engine's event count when the read began
	done   chan struct{}
	live   JobLive
	err    error
}

// share answers with a read of key in flight if it may, or starts one
// with read. The answer is the caller's own copy.
func (r *liveReads) share(ctx context.Context, key liveKey, events uint64, read func(context.Context) (JobLive, error)) (JobLive, error) {
	r.mu.Lock()
	if r.inflight == nil {
		r.inflight = map[liveKey]*liveRead{}
	}
	lr, ok := r.inflight[key]
	if !ok || lr.events != events {
		lr = &liveRead{events: events, done: make(chan struct{})}
		r.inflight[key] = lr
		go r.run(ctx, key, lr, read)
	}
	r.mu.Unlock()
	select {
	case <-lr.done:
		if lr.err != nil {
			return JobLive{}, lr.err
		}
		return lr.live.clone(), nil
	case <-ctx.Done():
		return JobLive{}, ctx.Err()
	}
}

// run reads for every session that joins: it is not cancelled with the
// session that started it, only bounded by that call's deadline.
func (r *liveReads) run(ctx context.Context, key liveKey, lr *liveRead, read func(context.Context) (JobLive, error)) {
	rctx := context.WithoutCancel(ctx)
	if deadline, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		rctx, cancel = context.WithDeadline(rctx, deadline)
		defer cancel()
	}
	lr.live, lr.err = read(rctx)
	r.mu.Lock()
	if r.inflight[key] == lr {
		delete(r.inflight, key)
	}
	r.mu.Unlock()
	close(lr.done)
}

// clone copies what a screen might keep or change.
func (l JobLive) clone() JobLive {
	l.Job.CurrentMetrics = maps.Clone(l.Job.CurrentMetrics)
	l.Points = slices.Clone(l.Points)
	l.Events = slices.Clone(l.Events)
	return l
}

package worker

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"brightrun/store"
)

// progressWriter writes the flushes of all the training runs of one worker.
// A run's flush waits its turn; whatever has queued up meanwhile goes out
// together in one transaction (store.SaveRunFlushes). With a handful of
// jobs every flush is written at once, alone; with a thousand jobs ticking
// four times a second they share a few commits a second instead of each
// taking its own, and the database stays free for the screens' reads.
type progressWriter struct {
	db   *store.DB
	log  *slog.Logger
	reqs chan *flushRequest
	stop chan struct{}
	done chan struct{}
}

type flushRequest struct {
	flush store.RunFlush
	res   chan store.RunFlushResult
}

// maxFlushBatch bounds one transaction: a very long batch would hold its
// row locks (and the runs waiting on it) too long.
const maxFlushBatch = 500

// errWriterStopped is a flush after its worker stopped.
var errWriterStopped = errors.New("the worker's progress writer has stopped")

func newProgressWriter(db *store.DB, log *slog.Logger) *progressWriter {
	w := &progressWriter{db: db, log: log, reqs: make(chan *flushRequest, maxFlushBatch),
		stop: make(chan struct{}), done: make(chan struct{})}
	go w.run()
	return w
}

// save writes one run's flush, together with whatever other runs flush at
// the same time.
func (w *progressWriter) save(ctx context.Context, f store.RunFlush) (cancelRequested bool, err error) {
	req := &flushRequest{flush: f, res: make(chan store.RunFlushResult, 1)}
	select {
	case w.reqs <- req:
	case <-w.stop:
		return false, errWriterStopped
	case <-ctx.Done():
		return false, context.Cause(ctx)
	}
	select {
	case r := <-req.res:
		return r.CancelRequested, r.Err
	case <-ctx.Done():
		// The write may still happen; the run keeps nothing it sent, and a
		// run whose context ended is over anyway.
		return false, context.Cause(ctx)
	}
}

// close stops the writer once the runs have stopped; a flush still queued
// is written first.
func (w *progressWriter) close() {
	close(w.stop)
	<-w.done
}

func (w *progressWriter) run() {
	defer close(w.done)
	batch := make([]*flushRequest, 0, maxFlushBatch)
	for {
		select {
		case req := <-w.reqs:
			batch = append(batch[:0], req)
		case <-w.stop:
			for {
				select {
				case req := <-w.reqs:
					w.write([]*flushRequest{req})
				default:
					return
				}
			}
		}
	drain:
		for len(batch) < maxFlushBatch {
			select {
			case req := <-w.reqs:
				batch = append(batch, req)
			default:
				break drain
			}
		}
		w.write(batch)
	}
}

// write saves a batch in one transaction. When the transaction fails, the
// runs are written one by one, so one run's bad data fails that run alone.
func (w *progressWriter) write(batch []*flushRequest) {
	// The writes are the runs' own: a run that gave up waiting does not
	// cancel the others' transaction.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var results []store.RunFlushResult
	flushes := make([]store.RunFlush, len(batch))
	for i, req := range batch {
		flushes[i] = req.flush
	}
	err := w.db.Tx(ctx, func(tx store.Tx) error {
		var err error
		results, err = store.SaveRunFlushes(ctx, tx, flushes)
		return err
	})
	if err == nil {
		for i, req := range batch {
			req.res <- results[i]
		}
		return
	}
	if len(batch) == 1 || store.IsTransient(err) {
		for _, req := range batch {
			req.res <- store.RunFlushResult{Err: err}
		}
		return
	}
	w.log.Warn("batched progress write failed; writing the runs one by one", "runs", len(batch), "err", err)
	for _, req := range batch {
		var r store.RunFlushResult
		r.Err = w.db.WithUser(ctx, req.flush.UserID, func(tx store.Tx) error {
			var err error
			r.CancelRequested, err = store.WriteRunFlush(ctx, tx, req.flush)
			return err
		})
		req.res <- r
	}
}

// WriteFlushBatch writes flushes as the progress writer writes one batch,
// now, and returns each one's result: a batch that one run's data breaks
// falls back to writing run by run.
func (e *Runtime) WriteFlushBatch(flushes []store.RunFlush) []store.RunFlushResult {
	w := &progressWriter{db: e.db, log: e.log}
	batch := make([]*flushRequest, len(flushes))
	for i, f := range flushes {
		batch[i] = &flushRequest{flush: f, res: make(chan store.RunFlushResult, 1)}
	}
	w.write(batch)
	results := make([]store.RunFlushResult, len(batch))
	for i, req := range batch {
		results[i] = <-req.res
	}
	return results
}

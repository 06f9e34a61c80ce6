package engine

import (
	"context"
	"io/fs"
	"time"

	"brightrun/store"
)

// SeedDemoFrom seeds from other files than the embedded ones, so tests can
// seed small fixtures.
func (s *Session) SeedDemoFrom(ctx context.Context, refFS fs.FS, refDir string, convFS fs.FS, convDir string) (DemoResult, error) {
	return s.seedDemo(ctx, refFS, refDir, convFS, convDir)
}

// ReadReferenceData reads and checks reference data as seeding does.
var ReadReferenceData = readReferenceData

// WriteFlushBatch writes flushes as the progress writer writes one batch.
func (e *Engine) WriteFlushBatch(flushes []store.RunFlush) []store.RunFlushResult {
	return e.rt.WriteFlushBatch(flushes)
}

// SetWatchSafety sets how long WatchJob waits without an event before it
// reads the job anyway, until the test ends: a test that sets it past its
// own deadline sees whether WatchJob wakes on events alone.
func SetWatchSafety(t interface{ Cleanup(func()) }, d time.Duration) {
	old := watchSafety
	watchSafety = d
	t.Cleanup(func() { watchSafety = old })
}

// Listening reports whether the engine's event listener has LISTEN in
// force, without waiting.
func (e *Engine) Listening() bool {
	if e.hub == nil {
		return false
	}
	select {
	case <-e.hub.listening:
		return true
	default:
		return false
	}
}

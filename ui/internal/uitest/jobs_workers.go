package uitest

import (
	"context"
	"slices"

	"brightrun/engine"
	"brightrun/model"
)

// workersRecord is the fixture's worker fleet.
type workersRecord struct {
	// Fleet is what Workers answers; WorkersErr, when set, its error.
	Fleet      []model.Worker
	WorkersErr error
	// WorkerLoads counts Workers calls.
	WorkerLoads int
}

// Workers implements common.Backend: the fixture's fleet, in one page.
func (b *Backend) Workers(context.Context) (engine.WorkerPage, error) {
	f := b.JobFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.WorkerLoads++
	if f.WorkersErr != nil {
		return engine.WorkerPage{}, f.WorkersErr
	}
	ws := slices.Clone(f.Fleet)
	if ws == nil {
		ws = []model.Worker{}
	}
	return engine.WorkerPage{Workers: ws, Page: 1, Total: len(ws)}, nil
}

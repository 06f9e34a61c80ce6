package engine

import (
	"context"

	"brightrun/model"
)

// WorkerPage is the live workers (`worker list --json`).
type WorkerPage struct {
	Workers []model.Worker `json:"workers"`
	Page    int            `json:"page"`
	Total   int            `json:"total"`
}

// Workers lists the live workers, oldest first: the registry is global,
// every operator sees the whole fleet.
func (e *Engine) Workers(ctx context.Context) (WorkerPage, error) {
	ws, err := e.db.LiveWorkers(ctx)
	if err != nil {
		return WorkerPage{}, err
	}
	if ws == nil {
		ws = []model.Worker{}
	}
	return WorkerPage{Workers: ws, Page: 1, Total: len(ws)}, nil
}

// Workers lists the live workers (see Engine.Workers).
func (s *Session) Workers(ctx context.Context) (WorkerPage, error) { return s.e.Workers(ctx) }

// withWaitingReasons says why each queued job waits, from the live
// workers; the registry is read only when a job is queued.
func (e *Engine) withWaitingReasons(ctx context.Context, jobs []model.Job) error {
	var workers []model.Worker
	read := false
	for i := range jobs {
		if jobs[i].Status != model.JobQueued {
			continue
		}
		if !read {
			var err error
			if workers, err = e.db.LiveWorkers(ctx); err != nil {
				return err
			}
			read = true
		}
		jobs[i].WaitingReason = model.WaitingReason(jobs[i].Trainer, jobs[i].GPUConfig, workers)
	}
	return nil
}

package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
)

// CompareJobs reads two to six of the operator's jobs side by side, in the
// order given: each one's summary (settings, final and best losses,
// duration, cost against the estimate) and curves (training loss,
// validation loss, learning rate), each series downsampled to at most
// points (points ≤ 0: every point), and the table that marks the settings
// that differ and the lowest losses. A wrong count or an ID given twice is
// refused before anything is read; another operator's job reads as not
// found, like a missing one. Everything is read in one transaction, so
// the jobs and their curves agree.
func (s *Session) CompareJobs(ctx context.Context, ids []uuid.UUID, points int) (model.Comparison, error) {
	if err := model.CheckCompareIDs(ids); err != nil {
		return model.Comparison{}, err
	}
	jobs := make([]model.Job, len(ids))
	series := make([][]model.MetricPoint, len(ids))
	err := s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		for i, id := range ids {
			j, err := store.GetJob(ctx, tx, id)
			if err != nil {
				return err
			}
			if series[i], err = store.MetricPoints(ctx, tx, id, 0); err != nil {
				return err
			}
			jobs[i] = j
		}
		return nil
	})
	if err != nil {
		return model.Comparison{}, fmt.Errorf("compare jobs: %w", err)
	}
	return model.BuildComparison(jobs, series, points, time.Now()), nil
}

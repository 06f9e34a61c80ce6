package uitest

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"brightrun/model"
)

// compareRecord is what the comparison screen asked of the fixture.
type compareRecord struct {
	// Compared is the IDs of every CompareJobs call.
	Compared [][]uuid.UUID
	// CompareErr, when set, is what CompareJobs answers.
	CompareErr error
}

// CompareJobs implements common.Backend as the engine does: the count and
// the IDs are checked first, a job the fixture lacks is not found, and
// each job's curve is its MetricSeries up to its current step.
func (b *Backend) CompareJobs(_ context.Context, ids []uuid.UUID, points int) (model.Comparison, error) {
	f := b.JobFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Compared = append(f.Compared, append([]uuid.UUID(nil), ids...))
	if f.CompareErr != nil {
		return model.Comparison{}, f.CompareErr
	}
	if err := model.CheckCompareIDs(ids); err != nil {
		return model.Comparison{}, err
	}
	jobs := make([]model.Job, len(ids))
	series := make([][]model.MetricPoint, len(ids))
	for i, id := range ids {
		k, ok := f.fixtureJob(id)
		if !ok {
			return model.Comparison{}, fmt.Errorf("compare jobs: job %s: %w", id, ErrNotFound)
		}
		jobs[i] = f.Items[k]
		series[i] = MetricSeries(jobs[i], 0)
	}
	return model.BuildComparison(jobs, series, points, Now), nil
}

package uitest

import (
	"context"
	"fmt"
	"math"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
)

// sweepRecord is what the sweep view and Configure asked of the fixture.
type sweepRecord struct {
	// Sweeps are the sweeps CreateSweep wrote (or a test put there).
	Sweeps []model.Sweep
	// SweepRequests is every CreateSweep call.
	SweepRequests []engine.SweepRequest
}

// CreateSweep implements common.Backend as the engine does: every run is
// checked first (a refused one refuses the sweep, naming it, and nothing
// is written), then each is created through CreateJob with the sweep's ID.
func (b *Backend) CreateSweep(ctx context.Context, req engine.SweepRequest) (engine.SweepLaunch, error) {
	f := b.JobFixture()
	f.mu.Lock()
	f.SweepRequests = append(f.SweepRequests, req)
	n := len(f.Sweeps) + 1
	f.mu.Unlock()
	points, err := req.Axes.Expand(req.Job.Overrides)
	if err != nil {
		return engine.SweepLaunch{}, err
	}
	runs := make([]engine.JobRequest, len(points))
	for i, p := range points {
		run := req.Job
		run.Overrides = p.Overrides
		if p.Preset != "" {
			run.Preset = p.Preset
		}
		if _, err := b.CatalogValue.ResolveJobConfig(run.Preset, run.GPU, run.Overrides); err != nil {
			return engine.SweepLaunch{}, &engine.SweepRefusedError{Run: i + 1, Label: p.Label, Err: err}
		}
		runs[i] = run
	}
	sw := model.Sweep{ID: uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-0000005e%04d", n)),
		Name: req.Name, DatasetID: req.Job.DatasetID, Axes: req.Axes, MaxTotal: req.MaxTotal, CreatedAt: Now}
	out := engine.SweepLaunch{Sweep: sw, ID: sw.ID, Name: sw.Name}
	for i, run := range runs {
		run.SweepID, run.Name = &sw.ID, sw.Name+" · "+points[i].Label
		j, err := b.CreateJob(ctx, run)
		if err != nil {
			return engine.SweepLaunch{}, &engine.SweepRefusedError{Run: i + 1, Label: points[i].Label, Err: err}
		}
		out.Runs, out.Labels, out.Jobs = append(out.Runs, j), append(out.Labels, points[i].Label), append(out.Jobs, j.ID)
		out.EstimatedCostTotal += j.EstimatedTotalCost
	}
	out.EstimatedCostTotal = math.Round(out.EstimatedCostTotal*100) / 100
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range out.Jobs {
		if k, ok := f.fixtureJob(id); ok {
			f.Items[k].SweepID, f.Items[k].SweepName = &sw.ID, sw.Name
		}
	}
	f.Sweeps = append(f.Sweeps, sw)
	return out, nil
}

// Sweep implements common.Backend: the fixture's sweep with its runs
// (the jobs whose SweepID is its ID, oldest first), each curve its
// MetricSeries up to its current step.
func (b *Backend) Sweep(_ context.Context, id uuid.UUID, points int) (engine.SweepDetail, error) {
	f := b.JobFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, sw := range f.Sweeps {
		if sw.ID != id {
			continue
		}
		var jobs []model.Job
		var series [][]model.MetricPoint
		for k := len(f.Items) - 1; k >= 0; k-- {
			if j := f.Items[k]; j.SweepID != nil && *j.SweepID == id {
				jobs, series = append(jobs, j), append(series, MetricSeries(j, 0))
			}
		}
		return engine.SweepDetailOf(sw, model.BuildComparison(jobs, series, points, Now)), nil
	}
	return engine.SweepDetail{}, fmt.Errorf("sweep %s: %w", id, ErrNotFound)
}

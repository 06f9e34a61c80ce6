package uitest

import (
	"context"
	"sync"

	"brightrun/model"
)

// CostFixture is what Costs returns: the month of Now, three days of
// records and the costliest jobs, or LoadErr.
type CostFixture struct {
	mu      sync.Mutex
	Report  model.CostReport
	LoadErr error
	Asked   []string // the month and grouping of every Costs call, "2026-12 day"
}

var costFixtures sync.Map // *Backend → *CostFixture

// CostFixture returns the backend's costs, made on first use.
func (b *Backend) CostFixture() *CostFixture {
	if f, ok := costFixtures.Load(b); ok {
		return f.(*CostFixture)
	}
	f, _ := costFixtures.LoadOrStore(b, &CostFixture{Report: model.CostReport{
		Month: model.MonthOf(Now).String(), By: "day",
		Rows: []model.CostRow{
			{Key: "2026-03-02", Compute: 8.12, Total: 8.12, GPUHours: 2.32, Jobs: 1},
			{Key: "2026-03-09", Compute: 25.00, Storage: 0.50, Total: 25.50, GPUHours: 7.14, Jobs: 1},
			{Key: "2026-03-10", Compute: 2.07, Storage: 0.50, Total: 2.57, GPUHours: 0.59, Jobs: 1},
		},
		Total: model.CostRow{Key: "total", Compute: 35.19, Storage: 1.00, Total: 36.19, GPUHours: 10.05, Jobs: 3},
		TopJobs: []model.JobCost{
			{JobID: "00000000-0000-4000-8000-0000000b0002", Name: "tone-tuner", User: "alice", Total: 25.50},
			{JobID: "00000000-0000-4000-8000-0000000b0001", Name: "support-bot-v3", User: "alice", Total: 8.12},
			{JobID: "00000000-0000-4000-8000-0000000b0003", Name: "demo (balanced)", User: "alice", Total: 2.57},
		},
	}})
	return f.(*CostFixture)
}

// Costs implements common.Backend: the fixture's report for any month,
// empty for any other than Now's.
func (b *Backend) Costs(_ context.Context, month model.Month, by string) (model.CostReport, error) {
	f := b.CostFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Asked = append(f.Asked, month.String()+" "+by)
	if f.LoadErr != nil {
		return model.CostReport{}, f.LoadErr
	}
	if month.String() != f.Report.Month {
		return model.CostReport{Month: month.String(), By: by, Rows: []model.CostRow{}, Total: model.CostRow{Key: "total"}}, nil
	}
	return f.Report, nil
}

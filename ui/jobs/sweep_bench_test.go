package jobs

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// sweepRace is a sweep view at 200×60, in colour, over 24 runs of 2,000
// steps (a 4 × 3 × 2 grid of learning rate, rank and epochs) that one
// worker trains at once, each at step `at`.
func sweepRace(b *testing.B, at int) (*Model, *uitest.Backend, []uuid.UUID) {
	b.Helper()
	back := uitest.NewBackend(b)
	f := back.JobFixture()
	tmpl := f.Items[0]
	sw := model.Sweep{ID: uuid.MustParse("00000000-0000-4000-8000-00000000be70"), Name: "race", CreatedAt: uitest.Now}
	var ids []uuid.UUID
	for i := range model.MaxSweepRuns {
		j := tmpl
		j.ID = uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-00000000b%03d", i))
		j.Name = fmt.Sprintf("race · lr %g · rank %d · epochs %d", []float64{5e-5, 1e-4, 2e-4, 4e-4}[i%4], []int{8, 16, 32}[i/4%3], 2+i/12)
		j.Hyperparameters.LearningRate = []float64{5e-5, 1e-4, 2e-4, 4e-4}[i%4]
		j.Hyperparameters.Rank = []int{8, 16, 32}[i/4%3]
		j.Status, j.TotalSteps, j.CurrentStep, j.TotalEpochs = model.JobRunning, 2000, at, 2+i/12
		j.SweepID, j.SweepName = &sw.ID, sw.Name
		f.Items = append(f.Items, j)
		ids = append(ids, j.ID)
	}
	f.Sweeps = append(f.Sweeps, sw)
	m := New(common.New(b.Context(), back, theme.New(false), nil, uitest.Clock)).(*Model)
	m.SetSize(200, 60)
	send(m, common.ActivatedMsg{})
	send(m, common.SweepCreatedMsg{Sweep: engineLaunch(sw)})
	if m.cmp == nil || len(m.cmp.jobs) != model.MaxSweepRuns {
		b.Fatal("the sweep view did not open on 24 runs")
	}
	return m, back, ids
}

// BenchmarkSweepView24 measures the sweep view while 24 runs race: frame
// is one frame of the chart and ranking at 200×60 with every run 1,000
// steps in; update is a run's change event as one worker's progress
// writer sends them, round robin, 20 steps at a time: the view reads that
// run's row and new points and draws the next frame. Its p95 is reported
// (p95-ms/update). Target: frame ≤ 20 ms, update p95 ≤ 50 ms.
func BenchmarkSweepView24(b *testing.B) {
	b.Run("frame", func(b *testing.B) {
		m, _, _ := sweepRace(b, 1000)
		m.cmp.val = true
		for b.Loop() {
			_ = m.View()
		}
	})
	b.Run("update", func(b *testing.B) {
		m, back, ids := sweepRace(b, 0)
		f := back.JobFixture()
		var took []time.Duration
		n := 0
		for b.Loop() {
			id := ids[n%len(ids)]
			n++
			f.Lock()
			for i := range f.Items {
				if f.Items[i].ID == id {
					f.Items[i].CurrentStep = min(f.Items[i].TotalSteps, f.Items[i].CurrentStep+20)
				}
			}
			f.Unlock()
			start := time.Now()
			jobUpdated(m, id)
			_ = m.View()
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms/update")
	})
}

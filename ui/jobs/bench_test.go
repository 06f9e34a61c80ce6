package jobs

import (
	"testing"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// benchCompare is a comparison screen at 200×60, in colour, and six
// finished jobs of 10,000 steps each (a training, learning-rate and
// grad-norm point a step, a validation point an epoch) with their points.
func benchCompare(b *testing.B) (*Model, []model.Job, [][]model.MetricPoint) {
	b.Helper()
	back := uitest.NewBackend(b)
	c := common.New(b.Context(), back, theme.New(false), nil, uitest.Clock)
	m := New(c).(*Model)
	m.SetSize(200, 60)
	send(m, common.ActivatedMsg{})
	src := back.JobFixture().Items
	jobs := make([]model.Job, 6)
	points := make([][]model.MetricPoint, 6)
	for i := range jobs {
		j := src[i+2]
		j.TotalSteps, j.CurrentStep, j.TotalEpochs = 10_000, 10_000, 1+i%3
		jobs[i] = j
		points[i] = uitest.MetricSeries(j, 0)
	}
	m.marks = jobs
	m.cmp = &comparison{fetching: map[uuid.UUID]bool{}, more: map[uuid.UUID]bool{}}
	for _, j := range jobs {
		m.cmp.ids = append(m.cmp.ids, j.ID)
	}
	return m, jobs, points
}

// benchLoad puts a comparison built from the raw points (every curve
// downsampled to what the chart can show) into the screen.
func (m *Model) benchLoad(jobs []model.Job, points [][]model.MetricPoint) {
	cmp := model.BuildComparison(jobs, points, m.keepPoints(), m.common.Now())
	m.cmpSeq++
	m.cmp.seq = m.cmpSeq
	m.compareUpdate(compareMsg{seq: m.cmp.seq, cmp: cmp})
}

// BenchmarkCompare6x10k draws the comparison of six jobs of 10,000
// metric points each at 200×60 with the validation loss overlaid. Each
// frame builds the curves from the 60,000 raw points first (downsampling
// included, as when the comparison opens); render is the frame alone, as
// drawn while it is open. Target: ≤ 20 ms a frame.
func BenchmarkCompare6x10k(b *testing.B) {
	m, jobs, points := benchCompare(b)
	m.cmp.val = true
	b.Run("downsample+render", func(b *testing.B) {
		for b.Loop() {
			m.benchLoad(jobs, points)
			_ = m.View()
		}
	})
	b.Run("render", func(b *testing.B) {
		m.benchLoad(jobs, points)
		for b.Loop() {
			_ = m.View()
		}
	})
	b.Run("render_by_epoch", func(b *testing.B) {
		m.benchLoad(jobs, points)
		m.cmp.axis = byEpoch
		for b.Loop() {
			_ = m.View()
		}
	})
}

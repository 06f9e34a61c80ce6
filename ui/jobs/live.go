package jobs

import (
	tea "charm.land/bubbletea/v2"
	"context"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/chart"
	"brightrun/ui/components/confirm"
	"brightrun/ui/components/pathprompt"
)

// live is what the job view holds beside the job's row: the curve read so
// far, the event log, the final cost, and the question it is asking. The
// curve is read incrementally (from the last step held, dropping the IDs
// already held there) and kept compact: once it is longer than the chart
// can show it is halved, so a run of a million steps costs what one of a
// thousand does.
type live struct {
	id uuid.UUID
	// train holds the training points, val the validation points, both
	// ordered by step and downsampled to at most keep points.
	train, val []model.MetricPoint
	// lastStep is the highest step read; atLast the IDs read at it, which
	// the next read, from lastStep inclusive, returns again.
	lastStep int
	atLast   map[int64]bool
	// fetching marks a metrics read in flight; more marks a change event
	// that came meanwhile, read again when it lands.
	fetching, more bool

	// checkpoints are the job's, by step, the best marked.
	checkpoints []model.Checkpoint

	log     logPane // the events and the trainer's output
	cost    *model.CostRecord
	chart   int   // index into charts
	axis    xAxis // steps or epochs along the chart
	confirm *confirm.Model
	onYes   func() tea.Cmd // what a yes to confirm does
	prompt  *pathprompt.Model
	// urls are the adapter's download links, shown over SSH.
	urls *urlBox
	// busy says what is under way ("cancelling…", "downloading…").
	busy    string
	plotter chart.Plotter
	// memo holds the view's lines that change far less often than it is
	// drawn (see common.Memo).
	memo liveMemo
}

type liveMemo struct{ head, bar, toggle, title common.Memo }

// Messages of the job view's commands, each naming its job so an answer
// for a view since closed is dropped.
type (
	metricsMsg struct {
		id     uuid.UUID
		points []model.MetricPoint
		err    error
	}
	liveMsg struct {
		id   uuid.UUID
		live engine.JobLive
		err  error
	}
	costMsg struct {
		id   uuid.UUID
		cost *model.CostRecord
		err  error
	}
	cancelMsg struct {
		job model.Job
		err error
	}
	// jobOpenedMsg is a job read to open its view (OpenJobMsg).
	jobOpenedMsg struct {
		job model.Job
		err error
	}
	resumePlanMsg struct {
		id   uuid.UUID
		plan engine.ResumePlan
		err  error
	}
	resumedMsg struct {
		job model.Job
		err error
	}
	exportedMsg struct {
		path string
		n    int64
		err  error
	}
	downloadMsg struct {
		dir   string
		paths []string
		err   error
	}
)

// openLive opens the view on j and reads its curve, its events, its
// trainer's output and, when it has ended, its cost.
func (m *Model) openLive(j model.Job) tea.Cmd {
	m.detail = &j
	m.live = &live{id: j.ID, atLast: map[int64]bool{}, log: newLogPane(m.common.Theme)}
	// The view sizes the log as it draws it; until then, about what it
	// will be, so a search before the first frame scrolls sensibly.
	m.live.log.Viewport().SetWidth(m.common.Width)
	m.live.log.Viewport().SetHeight(max(1, m.common.Height/4))
	return tea.Batch(m.fetchLive(), m.fetchOutput(), m.fetchCost())
}

// closeLive goes back to the list.
func (m *Model) closeLive() {
	m.detail, m.live = nil, nil
}

// fetchOutput reads the trainer's output after the last line held, one
// read at a time; a change event during a read asks for another after it.
func (m *Model) fetchOutput() tea.Cmd {
	l := m.live
	if l == nil {
		return nil
	}
	if l.log.fetching {
		l.log.more = true
		return nil
	}
	l.log.fetching = true
	id, after, c := l.id, l.log.lastSeq, m.common
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		lines, err := c.Backend.JobOutput(ctx, id, after, outputBatch)
		return outputMsg{id: id, lines: lines, err: err}
	}
}

// gotOutput adds a read to the log and reads on when the batch was full
// or a change came meanwhile.
func (m *Model) gotOutput(msg outputMsg) tea.Cmd {
	l := m.live
	if l == nil || msg.id != l.id {
		return nil
	}
	l.log.fetching = false
	if msg.err != nil {
		return common.Err("load trainer output", msg.err)
	}
	l.log.addOutput(msg.lines, m.common.Theme)
	if l.log.more || len(msg.lines) == outputBatch {
		l.log.more = false
		return m.fetchOutput()
	}
	return nil
}

// fetchCost reads the cost record of a job that has ended and has none
// read yet.
func (m *Model) fetchCost() tea.Cmd {
	if m.live == nil || m.live.cost != nil || m.detail == nil || !m.detail.Status.Final() {
		return nil
	}
	id, c := m.live.id, m.common
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		rec, err := c.Backend.JobCost(ctx, id)
		return costMsg{id: id, cost: rec, err: err}
	}
}

// cancelJob asks the engine to cancel the open job.
func (m *Model) cancelJob() tea.Cmd {
	id, c := m.live.id, m.common
	m.live.busy = "cancelling…"
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		j, err := c.Backend.CancelJob(ctx, id)
		return cancelMsg{job: j, err: err}
	}
}

// download writes the open job's adapter into dir. It runs on the
// session's context, not a call's: an adapter can take longer than one
// call may.
func (m *Model) download(dir string) tea.Cmd {
	id, c := m.live.id, m.common
	m.live.busy = "downloading to " + dir + "…"
	return func() tea.Msg {
		paths, err := c.Backend.DownloadArtifact(c.Ctx, id, pathprompt.Expand(dir))
		return downloadMsg{dir: dir, paths: paths, err: err}
	}
}

// gotMetrics merges a read into the curve and reads again when an event
// came while it was under way.
func (m *Model) gotMetrics(msg metricsMsg) tea.Cmd {
	l := m.live
	if l == nil || msg.id != l.id {
		return nil
	}
	l.fetching = false
	if msg.err != nil {
		return common.Err("load metrics", msg.err)
	}
	l.merge(msg.points, m.keepPoints())
	if l.more {
		l.more = false
		return m.fetchLive() // a change came during the read: the row and the log too
	}
	return nil
}

// fetchLive reads the job, its new points and its events at once: what
// the view needs at each change of its job.
func (m *Model) fetchLive() tea.Cmd {
	return m.readOnce(func(ctx context.Context, b common.Backend, id uuid.UUID, since int) tea.Msg {
		live, err := b.JobLive(ctx, id, since)
		return liveMsg{id: id, live: live, err: err}
	})
}

// readOnce runs a read of the open job from the last step held on, one
// read at a time: a change event during a read asks for another after it.
func (m *Model) readOnce(read func(ctx context.Context, b common.Backend, id uuid.UUID, since int) tea.Msg) tea.Cmd {
	l := m.live
	if l == nil {
		return nil
	}
	if l.fetching {
		l.more = true
		return nil
	}
	l.fetching = true
	id, since, c := l.id, l.lastStep, m.common
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		return read(ctx, c.Backend, id, since)
	}
}

// gotLive takes a fetchLive answer in: the row (and the cost once it has
// ended), the event log and the new points.
func (m *Model) gotLive(msg liveMsg) tea.Cmd {
	l := m.live
	if l == nil || msg.id != l.id {
		return nil
	}
	if msg.err != nil {
		l.fetching = false
		return common.Err("load job", msg.err)
	}
	var cost tea.Cmd
	if m.detail != nil && m.detail.ID == msg.id {
		j := msg.live.Job
		m.detail = &j
		cost = m.fetchCost()
	}
	l.log.setEvents(msg.live.Events, m.common.Theme)
	l.checkpoints = msg.live.Checkpoints
	return tea.Batch(cost, m.gotMetrics(metricsMsg{id: msg.id, points: msg.live.Points}))
}

// keepPoints is how many points of a series the view holds: twice the widest
// chart the screen can draw, so halving never shows.
func (m *Model) keepPoints() int { return max(64, 2*m.common.Width) }

// merge adds the points not held yet, in step order, and halves a series
// that grew past keep.
func (l *live) merge(points []model.MetricPoint, keep int) {
	for _, p := range points {
		if p.Step < l.lastStep || (p.Step == l.lastStep && l.atLast[p.ID]) {
			continue
		}
		if p.Step > l.lastStep {
			l.lastStep, l.atLast = p.Step, map[int64]bool{}
		}
		l.atLast[p.ID] = true
		if p.TrainLoss == nil && p.ValLoss != nil {
			l.val = append(l.val, p)
		} else {
			l.train = append(l.train, p)
		}
	}
	for len(l.train) > keep {
		l.train = model.Halve(l.train, mergePoints)
	}
	for len(l.val) > keep {
		l.val = model.Halve(l.val, mergePoints)
	}
}

// mergePoints is two neighbouring points as one (see model.Halve):
// what both reported averaged, at the later step.
func mergePoints(a, b model.MetricPoint) model.MetricPoint {
	b.TrainLoss, b.ValLoss = mean(a.TrainLoss, b.TrainLoss), mean(a.ValLoss, b.ValLoss)
	b.LearningRate, b.GradNorm = mean(a.LearningRate, b.LearningRate), mean(a.GradNorm, b.GradNorm)
	b.GPUUtilization, b.TokensPerSec = mean(a.GPUUtilization, b.GPUUtilization), mean(a.TokensPerSec, b.TokensPerSec)
	return b
}

// mean is the mean of two optional values, either when one is missing.
func mean(a, b *float64) *float64 {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	v := (*a + *b) / 2
	return &v
}

// openByID reads a job to open its view, e.g. from a notification.
func (m *Model) openByID(id uuid.UUID) tea.Cmd {
	return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		j, err := b.Job(ctx, id)
		return jobOpenedMsg{job: j, err: err}
	})
}

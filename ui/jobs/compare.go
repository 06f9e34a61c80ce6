package jobs

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/chart"
)

// The comparison (C on two to six marked jobs): one chart with every
// job's curve in its own colour over a common step or epoch axis, a legend
// naming each job by dataset and preset, and a table of their settings
// (differences marked) and results (the lowest losses marked). Running
// jobs keep moving: a change event on one of their rows reads that row and
// the points after its curve's last step, as the job view does.

// xAxis is what the comparison's x axis counts.
type xAxis int

const (
	byStep xAxis = iota
	// byEpoch puts runs of different batch sizes (so different step
	// counts per epoch) on one scale.
	byEpoch
)

// comparison is the comparison screen's state.
type comparison struct {
	ids    []uuid.UUID // in the order marked: the colour order
	jobs   []model.ComparedJob
	rows   []model.CompareRow
	loaded bool
	err    error
	seq    int // the newest load; older answers are dropped

	// fetching marks a read of a job's points in flight; more an event
	// that came meanwhile, read again when it lands.
	fetching, more map[uuid.UUID]bool

	axis xAxis
	val  bool // overlay each job's validation loss
	lr   bool // draw the learning rate instead of the loss
	// col is the first job column the table shows, row its first row,
	// when the table is wider or taller than the area.
	col, row int

	plotter chart.Plotter
}

// Messages of the comparison's commands.
type (
	compareMsg struct {
		seq int
		cmp model.Comparison
		err error
	}
	compareJobMsg struct {
		job model.Job
		err error
	}
	compareMetricsMsg struct {
		id     uuid.UUID
		points []model.MetricPoint
		err    error
	}
)

// openCompare shows the marked jobs side by side and reads them.
func (m *Model) openCompare() tea.Cmd {
	ids := make([]uuid.UUID, len(m.marks))
	for i, j := range m.marks {
		ids[i] = j.ID
	}
	m.cmp = &comparison{ids: ids, fetching: map[uuid.UUID]bool{}, more: map[uuid.UUID]bool{}}
	return m.loadCompare()
}

// closeCompare goes back to the list; the marks stay.
func (m *Model) closeCompare() { m.cmp = nil }

// loadCompare reads every job of the comparison with its curves at once.
func (m *Model) loadCompare() tea.Cmd {
	c := m.cmp
	m.cmpSeq++ // counted by the screen, so a closed comparison's answer never fits a new one
	c.seq = m.cmpSeq
	seq, ids, keep, cc := c.seq, c.ids, m.keepPoints(), m.common
	return cc.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		res, err := b.CompareJobs(ctx, ids, keep)
		return compareMsg{seq: seq, cmp: res, err: err}
	})
}

// refreshCompare reads what a change event moved on: for each job of the
// comparison the event names, its row and the points after its curve.
func (m *Model) refreshCompare(ev engine.Event) tea.Cmd {
	c := m.cmp
	if c == nil || !c.loaded {
		return nil
	}
	var cmds []tea.Cmd
	for _, cj := range c.jobs {
		if ev.OnRow(jobsTable, cj.ID) {
			cmds = append(cmds, m.fetchCompareJob(cj.ID), m.fetchCompareMetrics(cj.ID))
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) fetchCompareJob(id uuid.UUID) tea.Cmd {
	return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		j, err := b.Job(ctx, id)
		return compareJobMsg{job: j, err: err}
	})
}

// fetchCompareMetrics reads a job's points from its curve's last step on,
// one read per job at a time.
func (m *Model) fetchCompareMetrics(id uuid.UUID) tea.Cmd {
	c := m.cmp
	cj := c.find(id)
	if cj == nil {
		return nil
	}
	if c.fetching[id] {
		c.more[id] = true
		return nil
	}
	c.fetching[id] = true
	since, cc := cj.Series.Since(), m.common
	return cc.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		points, err := b.JobMetrics(ctx, id, since)
		return compareMetricsMsg{id: id, points: points, err: err}
	})
}

// compareUpdate takes the answers of the comparison's commands; it
// reports false for a message that is not one of them.
func (m *Model) compareUpdate(msg tea.Msg) (tea.Cmd, bool) {
	c := m.cmp
	switch msg := msg.(type) {
	case compareMsg:
		if c == nil || msg.seq != c.seq {
			return nil, true
		}
		if msg.err != nil {
			c.err = msg.err
			return common.Err("compare jobs", msg.err), true
		}
		c.err, c.loaded = nil, true
		c.jobs = msg.cmp.Jobs
		for i := range c.jobs {
			if c.jobs[i].Series == nil {
				c.jobs[i].Series = &model.Curve{}
			}
		}
		c.summarize(m.common.Now())
		return nil, true
	case compareJobMsg:
		if c == nil {
			return nil, true
		}
		if msg.err != nil {
			return common.Err("compare jobs", msg.err), true
		}
		if cj := c.find(msg.job.ID); cj != nil {
			cj.Job = msg.job
			c.summarize(m.common.Now())
		}
		return nil, true
	case compareMetricsMsg:
		if c == nil {
			return nil, true
		}
		cj := c.find(msg.id)
		if cj == nil {
			return nil, true
		}
		c.fetching[msg.id] = false
		if msg.err != nil {
			return common.Err("load metrics", msg.err), true
		}
		cj.Series.Add(msg.points, m.keepPoints())
		c.summarize(m.common.Now())
		if c.more[msg.id] {
			c.more[msg.id] = false
			return m.fetchCompareMetrics(msg.id), true
		}
		return nil, true
	}
	return nil, false
}

// find is the compared job with id, nil when it is not one.
func (c *comparison) find(id uuid.UUID) *model.ComparedJob {
	for i := range c.jobs {
		if c.jobs[i].ID == id {
			return &c.jobs[i]
		}
	}
	return nil
}

// summarize derives the columns and the table from the rows and curves
// held, as of now.
func (c *comparison) summarize(now time.Time) {
	sums := make([]model.JobSummary, len(c.jobs))
	for i := range c.jobs {
		c.jobs[i].JobSummary = model.Summarize(c.jobs[i].Job, c.jobs[i].Series.Stats, now)
		sums[i] = c.jobs[i].JobSummary
	}
	c.rows = model.CompareTable(sums)
}

// running reports whether a job of the comparison may still move.
func (c *comparison) running() bool {
	for _, cj := range c.jobs {
		if !cj.Status.Final() {
			return true
		}
	}
	return false
}

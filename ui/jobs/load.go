package jobs

import (
	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
)

// chrome is the lines around the rows: the title line, the header and
// the footer.
const chrome = 3

// Messages of the screen's commands.
type (
	pageMsg struct {
		seq int
		res engine.JobPage
		err error
	}
	// reloadMsg ends the wait after change events.
	reloadMsg struct{}
	// detailMsg is a fresh read of the job whose view is open.
	detailMsg struct {
		job model.Job
		err error
	}
)

// fit is how many rows the area shows.
func (m *Model) fit() int { return max(1, m.common.Height-chrome) }

// load reads the page holding position m.first, sized to what fits now,
// in a command; shown marks a load the operator waits for (the footer
// says so), as opposed to a quiet reload after a change event.
func (m *Model) load(shown bool) tea.Cmd {
	m.limit = m.fit()
	m.first -= m.first % m.limit
	m.seq++
	m.reading = true
	if shown {
		m.loading = true
	}
	seq, status, page, limit, c := m.seq, filters[m.filter], m.page(), m.limit, m.common
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		res, err := c.Backend.Jobs(ctx, status, page, limit)
		return pageMsg{seq: seq, res: res, err: err}
	}
}

// reloadIfStale reads the list again if jobs changed while it was hidden.
func (m *Model) reloadIfStale() tea.Cmd {
	if !m.stale || m.detail != nil || m.cmp != nil {
		return nil
	}
	m.stale = false
	return m.reload(false)
}

// scheduleReload reloads the page ReloadDelay after the first of a burst
// of change events; later events of the burst ride along.
func (m *Model) scheduleReload() tea.Cmd {
	return m.reloading.Schedule(m.common.Ctx, ReloadDelay, reloadMsg{})
}

// gotPage takes the newest page in and puts the cursor back on the job it
// was on, or where it was asked to go.
func (m *Model) gotPage(msg pageMsg) tea.Cmd {
	if msg.seq != m.seq {
		return nil
	}
	m.loading, m.reading = false, false
	if msg.err != nil {
		m.loadErr = msg.err
		return common.Err("load jobs", msg.err)
	}
	m.loadErr = nil
	m.total = msg.res.Total
	if len(msg.res.Jobs) == 0 && m.first > 0 && m.total > 0 {
		// The page emptied under the cursor (jobs deleted or moved on by
		// the filter): go to the last page there is.
		m.first = (m.total - 1) / m.limit * m.limit
		m.atEnd = true
		return m.load(true)
	}
	keep := m.keep
	m.jobs, m.loaded, m.keep = msg.res.Jobs, true, uuid.Nil
	switch {
	case m.atEnd:
		m.cursor, m.atEnd = len(m.jobs)-1, false
	case keep != uuid.Nil:
		for i, j := range m.jobs {
			if j.ID == keep {
				m.cursor = i
			}
		}
	}
	m.cursor = max(0, min(m.cursor, len(m.jobs)-1))
	if m.detail != nil {
		for _, j := range m.jobs {
			if j.ID == m.detail.ID {
				m.detail = &j
			}
		}
	}
	m.scroll()
	return nil
}

// loadDetail reads the open job again in a command (its row changed).
func (m *Model) loadDetail(id uuid.UUID) tea.Cmd {
	c := m.common
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		j, err := c.Backend.Job(ctx, id)
		return detailMsg{job: j, err: err}
	}
}

// reload reads the page again, keeping the cursor on its job.
func (m *Model) reload(shown bool) tea.Cmd {
	if j, ok := m.selected(); ok && m.keep == uuid.Nil {
		m.keep = j.ID
	}
	return m.load(shown)
}

// goPage moves to the page starting at first and loads it.
func (m *Model) goPage(first int) tea.Cmd {
	first = max(0, min(first, (m.pages()-1)*m.limit))
	if first == m.first && m.loaded {
		return nil
	}
	m.first, m.cursor = first, 0
	return m.load(true)
}

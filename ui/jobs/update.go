package jobs

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"brightrun/ui/common"
)

// Update handles keys, the shell's notifications and the answers of the
// screen's commands.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ActivatedMsg:
		return m, m.reload(!m.loaded)
	case common.JobCreatedMsg:
		// Show the new job: every status, the first page, the cursor on it.
		m.fresh, m.keep = msg.Job.ID, msg.Job.ID
		m.filter, m.first, m.cursor = 0, 0, 0
		m.closeLive()
		return m, m.load(true)
	case common.EventMsg:
		if !msg.Event.OnTable(jobsTable) {
			return m, nil
		}
		if m.detail != nil && msg.Event.OnRow(jobsTable, m.detail.ID) {
			// The open job view follows its job at once (its reads are
			// incremental); only the list's reload is debounced.
			return m, tea.Batch(m.refreshLive(), m.scheduleReload())
		}
		return m, m.scheduleReload()
	case reloadMsg:
		m.reloading = false
		return m, m.reload(false)
	case pageMsg:
		return m, m.gotPage(msg)
	case detailMsg:
		if msg.err == nil && m.detail != nil && msg.job.ID == m.detail.ID {
			j := msg.job
			m.detail = &j
			return m, m.fetchCost()
		}
		return m, nil
	case tea.KeyPressMsg:
		if m.detail != nil {
			return m, m.liveKey(msg)
		}
		return m, m.listKey(msg)
	}
	return m, m.liveUpdate(msg)
}

// listKey moves through the list: the cursor within a page and across to
// the next or the previous, whole pages, the filter, the job view.
func (m *Model) listKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Up):
		if m.cursor > 0 {
			m.moveCursor(m.cursor - 1)
			return nil
		}
		if m.first > 0 {
			m.atEnd = true
			return m.goPage(m.first - m.limit)
		}
	case key.Matches(k, m.keys.Down):
		if m.cursor < len(m.jobs)-1 {
			m.moveCursor(m.cursor + 1)
			return nil
		}
		if m.first+len(m.jobs) < m.total {
			return m.goPage(m.first + m.limit)
		}
	case key.Matches(k, m.keys.PrevPage):
		return m.goPage(m.first - m.limit)
	case key.Matches(k, m.keys.NextPage):
		return m.goPage(m.first + m.limit)
	case key.Matches(k, m.keys.First):
		return m.goPage(0)
	case key.Matches(k, m.keys.Last):
		return m.goPage((m.pages() - 1) * m.limit)
	case key.Matches(k, m.keys.Filter), key.Matches(k, m.keys.FilterBack):
		step := 1
		if key.Matches(k, m.keys.FilterBack) {
			step = len(filters) - 1
		}
		m.filter = (m.filter + step) % len(filters)
		m.first, m.cursor = 0, 0
		return m.load(true)
	case key.Matches(k, m.keys.Open):
		if j, ok := m.selected(); ok {
			return m.openLive(j)
		}
	case key.Matches(k, m.keys.Reload):
		return m.reload(true)
	}
	return nil
}

// moveCursor puts the cursor on row i of the page.
func (m *Model) moveCursor(i int) {
	m.cursor = i
	m.scroll()
}

package jobs

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/listscreen"
)

// Update handles keys, the shell's notifications and the answers of the
// screen's commands.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ActivatedMsg:
		return m, m.reload(!m.loaded)
	case common.JobCreatedMsg:
		// Land on the new job's view; behind it the list shows every
		// status, the first page, the cursor on the new job.
		m.fresh, m.keep = msg.Job.ID, msg.Job.ID
		m.filter, m.first, m.cursor = 0, 0, 0
		m.closeLive()
		m.closeCompare()
		return m, tea.Batch(m.load(true), m.openLive(msg.Job))
	case common.SweepCreatedMsg:
		m.stale = true // the list holds none of the runs yet
		return m, m.openSweep(msg.Sweep.ID, msg.Sweep.Name)
	case common.OpenJobMsg:
		return m, m.openByID(msg.ID)
	case jobOpenedMsg:
		if msg.err != nil {
			return m, common.Err("open job", msg.err)
		}
		m.closeLive()
		m.closeCompare()
		return m, m.openLive(msg.job)
	case common.ThemeChangedMsg:
		if m.live != nil {
			m.live.memo = liveMemo{}
			m.live.log.Restyle(m.common.Theme)
			m.live.log.rebuild(m.common.Theme)
			if m.live.urls != nil {
				m.live.urls.width = 0 // drawn again in the new styles
			}
		}
		return m, nil
	case common.EventMsg:
		if msg.Event.Op != engine.OpResync && msg.Event.Table == workersTable {
			// The fleet changed: the pane, and why queued jobs wait.
			cmds := []tea.Cmd{m.loadWorkers()}
			if m.detail != nil && m.detail.Status == model.JobQueued {
				cmds = append(cmds, m.refreshLive())
			}
			if m.detail == nil && m.cmp == nil && m.hasQueued() {
				cmds = append(cmds, m.scheduleReload())
			}
			return m, tea.Batch(cmds...)
		}
		if !msg.Event.OnTable(jobsTable) {
			return m, nil
		}

		// The open job view and the comparison follow their jobs at once
		// (their reads are incremental); only the list's reload is
		// debounced.
		cmds := []tea.Cmd{m.refreshCompare(msg.Event)}
		if msg.Event.Op == engine.OpResync {
			cmds = append(cmds, m.loadWorkers())
		}
		if m.detail != nil || m.cmp != nil {
			// The list is hidden: reading a page at every metric point of
			// a running job, in every open session, is work nobody sees.
			m.stale = true
		} else {
			cmds = append(cmds, m.scheduleReload())
		}
		if m.detail != nil && msg.Event.OnRow(jobsTable, m.detail.ID) {
			cmds = append(cmds, m.refreshLive())
		}
		return m, tea.Batch(cmds...)
	case reloadMsg:
		m.reloading.Fired()
		return m, m.reload(false)
	case pageMsg:
		return m, m.gotPage(msg)
	case workersMsg:
		m.gotWorkers(msg)
		return m, nil
	case detailMsg:
		if msg.err == nil && m.detail != nil && msg.job.ID == m.detail.ID {
			j := msg.job
			m.detail = &j
			return m, m.fetchCost()
		}
		return m, nil
	case tea.KeyPressMsg:
		switch {
		case m.detail != nil:
			return m, m.liveKey(msg)
		case m.cmp != nil:
			return m, m.compareKey(msg)
		case m.fleet != nil:
			return m, m.workersKey(msg)
		}
		return m, m.listKey(msg)
	}
	if cmd, ok := m.compareUpdate(msg); ok {
		return m, cmd
	}
	return m, m.liveUpdate(msg)
}

// listKey moves through the list: the cursor within a page and across to
// the next or the previous, whole pages, the filter, the job view; marks
// jobs and compares them; clones one.
func (m *Model) listKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.PrevPage):
		return m.goPage(m.first - m.limit)
	case key.Matches(k, m.keys.NextPage):
		return m.goPage(m.first + m.limit)
	}
	// Up, down, g and G move over the whole filtered list; a row on
	// another page loads it.
	nav := listscreen.Nav{Cursor: m.first + m.cursor, Total: m.total, Height: m.limit}
	if row, ok := nav.Target(k, m.keys.ListKeys); ok {
		return m.goRow(row)
	}
	switch {
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
	case key.Matches(k, m.keys.Mark):
		cmd := m.toggleMark()
		if cmd == nil && m.cursor < len(m.jobs)-1 {
			m.moveCursor(m.cursor + 1) // mark the next one with the next space
		}
		return cmd
	case key.Matches(k, m.keys.Unmark):
		m.marks = nil
	case key.Matches(k, m.keys.Compare):
		return m.compareMarked()
	case key.Matches(k, m.keys.Clone):
		if j, ok := m.selected(); ok {
			return common.CloneJob(j)
		}
	case key.Matches(k, m.keys.Workers):
		return m.openWorkers()
	}
	return nil
}

// hasQueued reports whether the page shows a queued job, whose waiting
// reason a change of the fleet may change.
func (m *Model) hasQueued() bool {
	for _, j := range m.jobs {
		if j.Status == model.JobQueued {
			return true
		}
	}
	return false
}

// goRow puts the cursor on row i of the whole filtered list (g and G: the
// first and the last row), loading its page when it is another.
func (m *Model) goRow(i int) tea.Cmd {
	i = max(0, min(i, m.total-1))
	first := i - i%m.limit
	if first == m.first && m.loaded {
		m.moveCursor(max(0, min(i-first, len(m.jobs)-1)))
		return nil
	}
	m.first, m.cursor = first, i-first
	m.atEnd = i == m.total-1
	return m.load(true)
}

// moveCursor puts the cursor on row i of the page.
func (m *Model) moveCursor(i int) {
	m.cursor = i
	m.scroll()
}

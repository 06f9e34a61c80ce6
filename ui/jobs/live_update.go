package jobs

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/pathprompt"
	"brightrun/ui/format"
)

// refreshLive reads what a change of the open job's row may have moved
// on: the row, the new points since the last step, the event log and the
// trainer's new output.
func (m *Model) refreshLive() tea.Cmd {
	if m.detail == nil || m.live == nil {
		return nil
	}
	cmds := []tea.Cmd{m.fetchLive()}
	if m.detail.Trainer != model.TrainerSimulated || len(m.live.log.output) > 0 {
		// The simulated trainer prints nothing: its jobs' output was read
		// once, when the view opened.
		cmds = append(cmds, m.fetchOutput())
	}
	return tea.Batch(cmds...)
}

// liveUpdate takes the answers of the job view's commands, and hands the
// directory prompt what its input needs (the cursor's blink).
func (m *Model) liveUpdate(msg tea.Msg) tea.Cmd {
	l := m.live
	switch msg := msg.(type) {
	case liveMsg:
		return m.gotLive(msg)
	case outputMsg:
		return m.gotOutput(msg)
	case urlsMsg:
		return m.gotURLs(msg)
	case costMsg:
		if l == nil || msg.id != l.id {
			return nil
		}
		if msg.err != nil {
			return common.Err("load job cost", msg.err)
		}
		l.cost = msg.cost
	case cancelMsg:
		if l != nil {
			l.busy = ""
		}
		if msg.err != nil {
			return common.Err("cancel job", msg.err)
		}
		if m.detail != nil && msg.job.ID == m.detail.ID {
			j := msg.job
			m.detail = &j
		}
		note := fmt.Sprintf("Cancel requested for %s: it stops within a few seconds", msg.job.Name)
		if msg.job.Status == model.JobCancelled {
			note = fmt.Sprintf("Job %s cancelled", msg.job.Name)
		}
		return tea.Batch(common.Notice(note), m.fetchCost())
	case resumePlanMsg:
		return m.gotResumePlan(msg)
	case resumedMsg:
		return m.gotResumed(msg)
	case exportedMsg:
		return common.Outcome("export metrics", msg.err, fmt.Sprintf("Metrics written to %s (%s)", msg.path, format.Bytes(msg.n)))
	case downloadMsg:
		if l != nil {
			l.busy = ""
		}
		return common.Outcome("download adapter", msg.err, fmt.Sprintf("Adapter downloaded to %s (%d files)", msg.dir, len(msg.paths)))
	default:
		if l != nil && l.prompt != nil {
			p, cmd, _ := l.prompt.Update(msg)
			l.prompt = &p
			return cmd
		}
		if l != nil && l.log.Typing() {
			return l.log.UpdateInput(msg)
		}
	}
	return nil
}

// liveKey is a key in the job view: the open question's first, then
// back, the chart toggle, cancel, download and reload.
func (m *Model) liveKey(k tea.KeyPressMsg) tea.Cmd {
	l, j := m.live, *m.detail
	switch {
	case l.confirm != nil:
		cmd, done := l.confirm.Answer(k, l.onYes, nil)
		if done {
			l.confirm, l.onYes = nil, nil
		}
		return cmd
	case l.prompt != nil:
		p, cmd, res := l.prompt.Update(k)
		l.prompt = &p
		switch res {
		case pathprompt.Submitted:
			l.prompt = nil
			return m.download(p.Value())
		case pathprompt.Cancelled:
			l.prompt = nil
		}
		return cmd
	case l.urls != nil:
		return m.urlKey(k)
	case l.log.Typing():
		return m.searchKey(k)
	case key.Matches(k, m.keys.Back):
		if l.log.Query() != "" {
			l.log.ClearSearch() // the first esc forgets the search, the next one leaves
			return nil
		}
		m.closeLive()
		return m.reloadIfStale()
	case key.Matches(k, m.keys.Clone):
		return common.CloneJob(j)
	case key.Matches(k, m.keys.Search):
		return l.log.Search()
	case key.Matches(k, m.keys.NextMatch):
		l.log.Step(1)
	case key.Matches(k, m.keys.PrevMatch):
		l.log.Step(-1)
	case key.Matches(k, m.keys.LogZoom):
		l.log.zoom = !l.log.zoom
	case key.Matches(k, m.keys.LogUp, m.keys.LogDown, m.keys.LogPgUp, m.keys.LogPgDown, m.keys.LogTop, m.keys.LogBottom,
		m.keys.LogLeft, m.keys.LogRight):
		m.scrollLog(k)
	case key.Matches(k, m.keys.Chart):
		l.chart = (l.chart + 1) % len(charts)
	case key.Matches(k, m.keys.Cancel):
		if j.Status.Final() || l.busy != "" {
			return nil
		}
		m.ask(fmt.Sprintf("Cancel job “%s”?", j.Name),
			"A running job stops within a few seconds and costs what it has run so far; a queued one costs nothing.", m.cancelJob)
	case key.Matches(k, m.keys.LiveAxis):
		l.axis = 1 - l.axis
	case key.Matches(k, m.keys.Resume):
		if !j.Status.Resumable() || l.busy != "" {
			return nil
		}
		return m.planResume()
	case key.Matches(k, m.keys.Export):
		return m.exportMetrics(j)
	case key.Matches(k, m.keys.Download):
		if j.Status != model.JobCompleted || l.busy != "" {
			return nil
		}
		if m.common.Remote {
			// A directory would be on the server: show links instead.
			return m.fetchURLs()
		}
		p := pathprompt.New(m.common.Theme, "Download the adapter to", adapterDir(j.Name))
		p.Hint = "a directory; it is created if missing"
		p.SetWidth(min(64, m.common.Width))
		l.prompt = &p
		return l.prompt.Focus()
	case key.Matches(k, m.keys.Reload):
		return m.refreshLive()
	}
	return nil
}

// adapterDir is the proposed download directory: ./<job name>-adapter,
// the name made safe for a path; the same the links' command creates.
func adapterDir(name string) string {
	return "./" + engine.AdapterDirName(name)
}

// searchKey is a key while a search is typed: enter searches, esc gives
// up, the rest edit the query.
func (m *Model) searchKey(k tea.KeyPressMsg) tea.Cmd {
	l := &m.live.log
	switch {
	case key.Matches(k, m.keys.SearchDone):
		l.Submit()
		if l.Query() != "" && l.Matches() == 0 {
			return common.Notice(fmt.Sprintf("No match for “%s” in the log", l.Query()))
		}
		return nil
	case key.Matches(k, m.keys.SearchQuit):
		l.CancelSearch()
		return nil
	}
	return l.UpdateInput(k)
}

// scrollLog moves the log by a line, a page, to an end or sideways.
func (m *Model) scrollLog(k tea.KeyPressMsg) {
	l := &m.live.log
	vp := l.Viewport()
	switch {
	case key.Matches(k, m.keys.LogUp):
		vp.ScrollUp(1)
	case key.Matches(k, m.keys.LogDown):
		vp.ScrollDown(1)
	case key.Matches(k, m.keys.LogPgUp):
		vp.PageUp()
	case key.Matches(k, m.keys.LogPgDown):
		vp.PageDown()
	case key.Matches(k, m.keys.LogTop):
		vp.GotoTop()
	case key.Matches(k, m.keys.LogBottom):
		vp.GotoBottom()
	case key.Matches(k, m.keys.LogLeft):
		vp.ScrollLeft(8)
	case key.Matches(k, m.keys.LogRight):
		vp.ScrollRight(8)
	}
	l.Scrolled()
}

package datasets

import (
	"reflect"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/listscreen"
)

// Update handles the screen's messages; see common.Screen for the routing.
// Results of commands are taken whatever the mode, so an upload or a load
// that ends while the operator is elsewhere still lands.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	cmd := m.update(msg)
	if m.mode == modeList && !m.foreign(msg) {
		// Panels come and go with uploads, filters and URLs: keep the
		// table in what they leave, and its cells current.
		m.layoutTable()
	}
	return m, cmd
}

// foreign reports a message that cannot change the list: another screen's
// (the shell hands every screen every message), a change to another
// table, another component's tick or blink. Laying the table out redraws
// all its rows, and a job streaming metrics sends the hidden Datasets tab
// several such messages a second in every open session. What can change
// the list is the operator's input, the window, and this screen's own
// messages and the shell's.
func (m *Model) foreign(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case common.EventMsg:
		return !msg.Event.OnTable("datasets")
	case spinner.TickMsg:
		return msg.ID != m.spinner.ID()
	case tea.KeyPressMsg, tea.KeyReleaseMsg, tea.PasteMsg, tea.MouseMsg, tea.WindowSizeMsg:
		return false
	}
	pkg := reflect.TypeOf(msg)
	if pkg == nil {
		return true
	}
	for pkg.Kind() == reflect.Pointer {
		pkg = pkg.Elem()
	}
	return pkg.PkgPath() != "brightrun/ui/datasets" && pkg.PkgPath() != "brightrun/ui/common"
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.ActivatedMsg:
		return m.load(true)
	case common.OpenDatasetMsg:
		// From a notification: the dataset, then its report.
		return tea.Batch(m.load(true), m.readToOpen(msg.ID))
	case openedMsg:
		if msg.err != nil {
			return common.Err("open dataset", msg.err)
		}
		return m.openDetail(msg.ds)
	case common.EventMsg:
		// Pushed by Postgres when any process changed a dataset (a worker
		// finished validating, another operator's CLI uploaded).
		if msg.Event.OnTable("datasets") {
			return m.load(true)
		}
		return nil
	case common.ThemeChangedMsg:
		m.applyTheme()
		m.detail.render(m)
		return nil
	case spinner.TickMsg:
		if msg.ID != m.spinner.ID() {
			return nil
		}
		m.ticking = false
		if !m.spins() {
			return nil
		}
		m.ticking = true
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return cmd
	case loadedMsg:
		return m.handleLoaded(msg)
	case pollMsg:
		m.polling = false
		return m.load(true)
	case confirmTickMsg:
		return m.confirmDue()
	case confirmedMsg:
		return m.handleConfirmed(msg)
	case detailMsg:
		return m.handleDetail(msg)
	case uploadProgressMsg, uploadDoneMsg:
		return m.handleUpload(msg)
	case ticketMsg:
		return m.handleTicket(msg)
	case deletedMsg:
		return m.handleDeleted(msg)
	case revalidatedMsg:
		return m.validating("revalidate “"+msg.name+"”", msg.err, "Validating “"+msg.name+"” again")
	case cleanedMsg:
		return m.validating("clean “"+msg.name+"”", msg.err, "“"+msg.d.Name+"” holds the valid lines of “"+msg.name+"”; validating it")
	case pickDirMsg, statMsg:
		return m.updatePicker(msg)
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.PasteMsg:
		return m.toInput(msg)
	}
	// Cursor blinks and the file picker's directory reads.
	if m.mode == modePick {
		return m.updatePicker(msg)
	}
	return m.toInput(msg)
}

// validating answers an action that set a dataset validating again: its
// error, or the notice and a quiet reload that shows the new status.
func (m *Model) validating(op string, err error, notice string) tea.Cmd {
	if err != nil {
		return common.Err(op, err)
	}
	return tea.Batch(common.Notice(notice), m.load(true))
}

// toInput hands a message to the text input that has the keys, if any.
func (m *Model) toInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch {
	case m.mode == modeList && m.filter.Active():
		return m.filterKey(msg)
	case m.mode == modeName || m.mode == modeURLName:
		m.name, cmd = m.name.Update(msg)
	case m.mode == modePick && m.pick.typing:
		m.pick.path, cmd = m.pick.path.Update(msg)
	}
	return cmd
}

// handleKey sends a key to the mode's handler.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	switch m.mode {
	case modeDetail:
		return m.updateDetail(k)
	case modePick:
		return m.updatePicker(k)
	case modeName:
		return m.updateName(k)
	case modeURLName:
		return m.updateURLName(k)
	case modeTicket:
		return m.updateTicket(k)
	case modeDelete:
		return m.updateDelete(k)
	}
	if m.filter.Active() {
		return m.filterKey(k)
	}
	return m.listKey(k)
}

// listKey handles the list's keys; moving is the table's.
func (m *Model) listKey(k tea.KeyPressMsg) tea.Cmd {
	d, ok := m.selected()
	switch {
	case matches(k, m.keys.Upload) && m.common.Remote:
		// Over SSH a local path would be the server's: the file comes
		// from the operator's machine through a presigned URL.
		return m.openURLPrompt()
	case matches(k, m.keys.Upload):
		if m.up != nil {
			return common.Notice("An upload is running; esc cancels it")
		}
		return m.openPicker()
	case matches(k, m.keys.Remote):
		return m.openURLPrompt()
	case matches(k, m.keys.Reload):
		return m.load(false)
	case matches(k, m.keys.Filter):
		return m.filter.Open()
	case matches(k, m.keys.Cancel) && m.up != nil:
		return m.cancelUpload()
	case matches(k, m.keys.Clear) && m.filter.Value() != "":
		m.filter.SetValue("")
		m.applyFilter()
		return nil
	case !ok:
		return nil
	case matches(k, m.keys.Detail):
		return m.openDetail(d)
	case matches(k, m.keys.Delete):
		return m.askDelete(d)
	case matches(k, m.keys.Revalidate):
		return m.revalidate(d)
	case matches(k, m.keys.Train):
		return m.train(d)
	case matches(k, m.keys.Confirm):
		if d.Status != model.DatasetUploading {
			return nil
		}
		return m.confirm([]model.Dataset{d}, true)
	}
	var cmd tea.Cmd
	m.table, cmd = m.table.Update(k)
	return cmd
}

// filterKey handles a key, a paste or a blink while the filter is typed:
// enter keeps it, esc drops it, the rest edit it and filter as they go.
func (m *Model) filterKey(msg tea.Msg) tea.Cmd {
	cmd, ev := m.filter.Handle(msg, m.keys.Accept, m.keys.Clear)
	if ev != listscreen.FilterUnchanged {
		m.applyFilter()
	}
	return cmd
}

// askDelete puts the question before a delete.
func (m *Model) askDelete(d model.Dataset) tea.Cmd {
	m.deleting = d
	m.back, m.mode = m.mode, modeDelete
	return nil
}

// updateDelete takes the answer.
func (m *Model) updateDelete(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case matches(k, m.keys.Yes):
		m.mode = m.back
		return m.deleteDataset(m.deleting)
	case matches(k, m.keys.No):
		m.mode = m.back
	}
	return nil
}

// handleDeleted leaves the report of a deleted dataset and reloads.
func (m *Model) handleDeleted(msg deletedMsg) tea.Cmd {
	if msg.err != nil {
		return tea.Batch(common.Err("delete “"+msg.d.Name+"”", msg.err), m.load(true))
	}
	delete(m.tickets, msg.d.ID)
	if m.mode == modeDetail && m.detail.id == msg.d.ID {
		m.mode = modeList
	}
	return tea.Batch(common.Notice("Deleted “"+msg.d.Name+"” and its file"), m.load(true))
}

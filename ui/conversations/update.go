package conversations

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"brightrun/ui/common"
	"brightrun/ui/components/listscreen"
)

// Update routes messages: command answers to whoever asked, keys to the
// current mode.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ActivatedMsg:
		return m, m.reload()
	case common.ThemeChangedMsg:
		m.applyTheme()
		return m, nil
	case spinner.TickMsg:
		return m, listscreen.Spin(&m.spinner, msg, m.busy())
	case pageMsg:
		return m, m.gotPage(msg)
	case filterTickMsg:
		if msg.seq != m.filterSeq {
			return m, nil
		}
		return m, m.applyFilter()
	case selectedAllMsg:
		return m, m.gotAll(msg)
	case facetsMsg:
		m.facets.loaded(msg)
		if msg.err != nil {
			return m, common.Err("load facets", msg.err)
		}
		return m, nil
	case importProgressMsg, importDoneMsg:
		if m.importer == nil {
			return m, nil
		}
		cmd, reload := m.importer.update(msg)
		if reload {
			cmd = tea.Batch(cmd, m.reload())
		}
		return m, cmd
	case createdMsg, addedMsg, trainingFilesMsg:
		return m, m.trainingFileAnswer(msg)
	case detailMsg, exportedMsg:
		if m.detail == nil {
			return m, nil
		}
		return m, m.detail.update(msg)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.PasteMsg:
		return m, m.paste(msg)
	}
	return m, m.forward(msg)
}

// busy says whether something is loading, so the spinner keeps turning.
func (m *Model) busy() bool {
	return m.fetching || (m.importer != nil && m.importer.running()) || (m.detail != nil && m.detail.loading())
}

// spin restarts the spinner's ticks for a new load.
func (m *Model) spin() tea.Cmd { return m.spinner.Tick }

// forward gives other messages (cursor blinks, the file picker's reads)
// to the part of the screen that is open.
func (m *Model) forward(msg tea.Msg) tea.Cmd {
	switch m.mode {
	case modeFilter:
		return m.editFilter(msg)
	case modeImport:
		if m.importer != nil {
			cmd, _ := m.importer.update(msg)
			return cmd
		}
	case modeNewFile:
		if m.form != nil {
			return m.form.forward(msg)
		}
	case modeDetail:
		if m.detail != nil {
			return m.detail.update(msg)
		}
	}
	return nil
}

func (m *Model) paste(msg tea.PasteMsg) tea.Cmd {
	switch m.mode {
	case modeFilter:
		return m.editFilter(msg)
	case modeNewFile, modeImport, modeDetail:
		return m.forward(msg)
	}
	return nil
}

// handleKey sends a key to the open dialog, or runs a browsing key.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	switch m.mode {
	case modeFilter:
		return m.editFilter(k)
	case modeFacets:
		return m.facetKey(k)
	case modeImport:
		return m.importKey(k)
	case modeNewFile:
		return m.formKey(k)
	case modeAddTo:
		return m.addToKey(k)
	case modeDetail:
		return m.detailKey(k)
	}
	return m.browseKey(k)
}

// closeDialog goes back to browsing the table, with no dialog open.
func (m *Model) closeDialog() {
	m.detail, m.importer, m.form, m.addTo = nil, nil, nil, nil
	m.mode = modeBrowse
}

// closeIf passes on a dialog's command, closing the dialog first when its
// key asked to.
func (m *Model) closeIf(cmd tea.Cmd, closed bool) tea.Cmd {
	if closed {
		m.closeDialog()
	}
	return cmd
}

func (m *Model) browseKey(k tea.KeyPressMsg) tea.Cmd {
	keys := m.keys
	nav := m.nav()
	if nav.Key(k, keys.ListKeys) {
		m.cursor, m.top = nav.Cursor, nav.Top
		m.refreshRows()
		return m.ensureWindow()
	}
	switch {
	case key.Matches(k, keys.Sort):
		return m.cycleSort(1)
	case key.Matches(k, keys.SortPrev):
		return m.cycleSort(-1)
	case key.Matches(k, keys.Reverse):
		return m.reverseSort()
	case key.Matches(k, keys.Filter):
		return m.startFilter()
	case key.Matches(k, keys.Facets):
		return m.openFacets()
	case key.Matches(k, keys.Select):
		if c, ok := m.current(); ok {
			m.sel.Toggle(c.ID)
			m.refreshRows()
			return m.move(m.cursor + 1)
		}
	case key.Matches(k, keys.SelectAll):
		if m.total > 0 {
			return m.selectAll()
		}
	case key.Matches(k, keys.Clear):
		if m.sel.Len() > 0 {
			m.sel.Clear()
			m.refreshRows()
			return nil
		}
		if m.filtered() {
			return m.clearFilters()
		}
	case key.Matches(k, keys.Open):
		if c, ok := m.current(); ok {
			return m.openDetail(c)
		}
	case key.Matches(k, keys.Import):
		return m.openImport()
	case key.Matches(k, keys.NewFile):
		return m.openNewFile()
	case key.Matches(k, keys.AddTo):
		return m.openAddTo()
	case key.Matches(k, keys.Reload):
		return tea.Batch(m.reload(), m.spin())
	}
	return nil
}

package configure

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/ui/common"
	"brightrun/ui/components/costform"
	"brightrun/ui/components/selector"
)

// datasetsTable is the table whose change events make the screen reload
// its datasets: one deleted, or one that became ready, shows at once.
const datasetsTable = "datasets"

// Update handles keys, the shell's notifications and the answers of the
// screen's commands. Every key that reaches the form recomputes the
// estimate.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ActivatedMsg:
		// Arriving on the tab means wanting to fill in the form.
		if m.mode == modeForm {
			return m, tea.Batch(m.loadChoices(), m.startEditing())
		}
		return m, m.loadChoices()
	case common.ThemeChangedMsg:
		m.applyTheme()
		return m, nil
	case common.ConfigureDatasetMsg:
		m.cloneOf = nil
		return m, m.configure(msg)
	case common.CloneJobMsg:
		return m, m.clone(msg)
	case common.EventMsg:
		if msg.Event.OnTable(datasetsTable) {
			return m, m.scheduleReload()
		}
		return m, nil
	case reloadMsg:
		m.reloading.Fired()
		return m, m.loadChoices()
	case choicesMsg:
		return m, m.gotChoices(msg)
	case launchedMsg:
		return m, m.launchDone(msg)
	case tea.KeyPressMsg:
		switch m.mode {
		case modeCompare:
			return m, m.compareKey(msg)
		case modeConfirm:
			return m, m.confirmKey(msg)
		case modeLaunching:
			return m, nil
		}
		if m.editing {
			return m, m.editKey(msg)
		}
		return m, m.browseKey(msg)
	case tea.PasteMsg:
		if m.mode == modeForm && m.editing && m.focus.isText() {
			return m, m.updateField(msg)
		}
		return m, nil
	}
	// Cursor blinks for the focused input.
	if m.mode == modeForm && m.editing && m.focus.isText() {
		var cmd tea.Cmd
		m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
		return m, cmd
	}
	return m, nil
}

// configure turns the form to a dataset asked for from elsewhere (a key on
// a ready dataset in the Datasets tab). The list is reloaded too, since
// that dataset may have become ready after the last load.
func (m *Model) configure(msg common.ConfigureDatasetMsg) tea.Cmd {
	if m.mode == modeLaunching {
		return nil
	}
	m.mode, m.launched = modeForm, ""
	return m.turnTo(msg.DatasetID, fDataset)
}

// turnTo points the form at dataset id (at once if the list is loaded, else
// when it comes), reloads the list and starts editing at row f.
func (m *Model) turnTo(id uuid.UUID, f field) tea.Cmd {
	m.wanted = id
	if m.loaded {
		m.choose(id)
		m.recompute()
	}
	return tea.Batch(m.loadChoices(), m.startEditingAt(f))
}

// browseKey handles keys while the form is not being edited; the shell
// has already taken its own (tab, digits, q, ?).
func (m *Model) browseKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Edit), key.Matches(k, m.keys.Next), key.Matches(k, m.keys.Prev):
		return m.startEditing()
	case key.Matches(k, m.keys.Compare):
		m.openComparison()
	}
	return nil
}

// editKey handles a key while editing: movement between rows, leaving the
// form, launching, the comparison, or the focused row's own keys.
func (m *Model) editKey(k tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := m.rows().Navigate(k, m.keys.Keys, &m.focus, &m.editing); ok {
		return cmd
	}
	switch {
	case key.Matches(k, m.keys.Launch):
		return m.askLaunch()
	case key.Matches(k, m.keys.Compare):
		m.openComparison()
		return nil
	}
	var changed bool
	switch m.focus {
	case fDataset:
		m.dataset, changed = m.dataset.Update(k)
		retry := m.problem != "" && key.Matches(k, m.dataset.KeyMap.Prev, m.dataset.KeyMap.Next)
		if (changed || retry) && len(m.usable) > 0 {
			m.selectUsable(m.dataset.Index())
			changed = true
		}
	case fPreset:
		if m.preset, changed = m.preset.Update(k); changed {
			m.applyPreset()
		}
	default:
		var sel bool
		if sel, changed = m.rows().UpdateSelector(m.focus, k); !sel {
			return m.updateField(k)
		}
	}
	if changed {
		m.launched = ""
		m.recompute()
	}
	return nil
}

// updateField gives a key or a paste to the focused number field and
// recomputes: the rank carries alpha along until alpha is typed in.
func (m *Model) updateField(msg tea.Msg) tea.Cmd {
	f := m.focus
	before := m.inputs[f].Value()
	var cmd tea.Cmd
	m.inputs[f], cmd = m.inputs[f].Update(msg)
	if m.inputs[f].Value() != before {
		switch f {
		case fRank:
			m.rankChanged()
		case fAlpha:
			m.alphaAuto = false
		}
		m.launched = ""
	}
	m.recompute()
	return cmd
}

func (m *Model) startEditing() tea.Cmd { return m.startEditingAt(m.focus) }

func (m *Model) startEditingAt(f field) tea.Cmd {
	m.editing = true
	return m.focusField(f)
}

// focusField moves the form's cursor to f.
func (m *Model) focusField(f field) tea.Cmd {
	m.focus = f
	return m.rows().Focus(f)
}

func (m *Model) blurAll() { m.rows().Blur() }

// rows are the form's controls, for moving the cursor between them.
func (m *Model) rows() costform.Rows[field] {
	return costform.Rows[field]{Inputs: m.inputs[:], Selectors: map[field]*selector.Model{
		fDataset: &m.dataset, fPreset: &m.preset, fGPU: &m.gpu, fCount: &m.count, fModel: &m.baseModel}}
}

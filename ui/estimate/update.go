package estimate

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"brightrun/ui/common"
)

// Update handles keys and the shell's notifications. Every key that reaches
// the form recomputes the estimate.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ActivatedMsg:
		// Arriving on the tab means wanting to type numbers: start editing.
		return m, m.startEditing()
	case common.ThemeChangedMsg:
		m.applyTheme()
		return m, nil
	case tea.KeyPressMsg:
		if m.editing {
			cmd := m.editKey(msg)
			m.recompute()
			return m, cmd
		}
		return m, m.browseKey(msg)
	case tea.PasteMsg:
		if m.editing && m.focus.isText() {
			var cmd tea.Cmd
			m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
			m.recompute()
			return m, cmd
		}
		return m, nil
	}
	// Cursor blinks for the focused input.
	if m.editing && m.focus.isText() {
		var cmd tea.Cmd
		m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
		return m, cmd
	}
	return m, nil
}

// browseKey handles keys while the form is not being edited; the shell has
// already taken its own (tab, digits, q, ?).
func (m *Model) browseKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Edit):
		return m.startEditing()
	case key.Matches(k, m.keys.Compare):
		if m.compareVisible() {
			m.compare = compareOff
		} else {
			m.compare = compareOn
		}
	case key.Matches(k, m.keys.Next), key.Matches(k, m.keys.Prev):
		// ↑/↓ on an idle form mean "take me into it".
		return m.startEditing()
	}
	return nil
}

// editKey handles a key while editing: movement between rows, leaving the
// form, or the focused row's own keys.
func (m *Model) editKey(k tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := m.rows().Navigate(k, m.keys, &m.focus, &m.editing); ok {
		return cmd
	}
	if sel, _ := m.rows().UpdateSelector(m.focus, k); sel {
		return nil
	}
	// The field ignores a letter typed into it.
	var cmd tea.Cmd
	m.inputs[m.focus], cmd = m.inputs[m.focus].Update(k)
	return cmd
}

func (m *Model) startEditing() tea.Cmd {
	m.editing = true
	if m.compare == compareOn && !m.compareFits() {
		// The table had replaced the form; bring the form back.
		m.compare = compareAuto
	}
	return m.focusField(m.focus)
}

// focusField moves the form's cursor to f.
func (m *Model) focusField(f field) tea.Cmd {
	m.focus = f
	return m.rows().Focus(f)
}

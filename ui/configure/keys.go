package configure

import (
	"charm.land/bubbles/v2/key"
)

// keyMap is the screen's keys. While the form is edited it owns tab and
// the arrows (the shell steps back, see common.Screen.InputFocused); esc
// hands them back. Letters are free to bind while editing: the number
// fields refuse them (e, the exponent, is left alone).
type keyMap struct {
	// Form.
	Next    key.Binding
	Prev    key.Binding
	Change  key.Binding
	Launch  key.Binding
	Compare key.Binding
	Done    key.Binding
	Edit    key.Binding

	// Comparison.
	Up        key.Binding
	Down      key.Binding
	PageUp    key.Binding
	PageDown  key.Binding
	Top       key.Binding
	Bottom    key.Binding
	Sort      key.Binding
	Reverse   key.Binding
	AllCounts key.Binding
	Pick      key.Binding
	Back      key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		Next:    key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		Prev:    key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "prev field")),
		Change:  key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "change")),
		Launch:  key.NewBinding(key.WithKeys("enter", "ctrl+s"), key.WithHelp("enter", "launch…")),
		Compare: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "compare")),
		Done:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "done editing")),
		Edit:    key.NewBinding(key.WithKeys("enter", "e", "i"), key.WithHelp("enter", "edit")),

		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:       key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Sort:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		Reverse:   key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse")),
		AllCounts: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "all counts")),
		Pick:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "use row")),
		Back:      key.NewBinding(key.WithKeys("esc", "c"), key.WithHelp("esc", "back")),
	}
}

// ShortHelp shows the keys of what is on screen.
func (m *Model) ShortHelp() []key.Binding {
	switch m.mode {
	case modeCompare:
		return []key.Binding{m.keys.Pick, m.keys.Sort, m.keys.Reverse, m.keys.AllCounts, m.keys.Back}
	case modeConfirm:
		return []key.Binding{m.ask.KeyMap.Yes, m.ask.KeyMap.No}
	case modeLaunching:
		return nil
	}
	if !m.editing {
		return []key.Binding{m.keys.Edit, m.keys.Compare}
	}
	b := []key.Binding{m.keys.Next}
	if !m.focus.isText() {
		b = append(b, m.keys.Change)
	}
	return append(b, m.keys.Launch, m.keys.Compare, m.keys.Done)
}

// FullHelp lists every key of the screen.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.Edit, m.keys.Next, m.keys.Prev, m.keys.Change, m.keys.Done},
		{m.keys.Launch, m.keys.Compare},
		{m.keys.Up, m.keys.Down, m.keys.PageUp, m.keys.PageDown, m.keys.Top, m.keys.Bottom},
		{m.keys.Sort, m.keys.Reverse, m.keys.AllCounts, m.keys.Pick, m.keys.Back},
	}
}

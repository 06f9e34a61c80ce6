package notifications

import (
	"charm.land/bubbles/v2/key"
)

// keyMap is the screen's own keys. Moving and filtering are the list
// bubble's; they are repeated here only so the help line can name them.
type keyMap struct {
	Move     key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Page     key.Binding
	MarkRead key.Binding
	MarkAll  key.Binding
	Reload   key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		Move:     key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑↓/jk", "move")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		Page:     key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "page")),
		MarkRead: key.NewBinding(key.WithKeys("enter", "r"), key.WithHelp("enter/r", "mark read")),
		MarkAll:  key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "mark all read")),
		Reload:   key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reload")),
	}
}

// ShortHelp is the help line: while a filter is typed, the filter's own keys.
func (m *Model) ShortHelp() []key.Binding {
	if m.InputFocused() {
		return []key.Binding{m.list.KeyMap.AcceptWhileFiltering, m.list.KeyMap.CancelWhileFiltering}
	}
	if len(m.items) == 0 {
		return []key.Binding{m.keys.Reload}
	}
	return []key.Binding{m.keys.Move, m.keys.MarkRead, m.keys.MarkAll, m.list.KeyMap.Filter, m.list.KeyMap.ClearFilter, m.keys.Reload}
}

// FullHelp groups the keys by what they act on.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.Move, m.keys.Top, m.keys.Bottom, m.keys.Page},
		{m.keys.MarkRead, m.keys.MarkAll, m.keys.Reload},
		{m.list.KeyMap.Filter, m.list.KeyMap.ClearFilter},
	}
}

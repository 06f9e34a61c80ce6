package notifications

import (
	"charm.land/bubbles/v2/key"

	"brightrun/ui/common"
)

// keyMap is the screen's own keys. Moving and filtering are the list
// bubble's; they are repeated here only so the help line can name them.
type keyMap struct {
	common.ListKeys // move, g/G, reload
	Page            key.Binding
	Open            key.Binding
	MarkRead        key.Binding
	MarkAll         key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		ListKeys: common.NewListKeys(),
		Page:     common.Key("pgup/pgdn", "page", "pgup", "pgdown"),
		Open:     common.Key("enter", "open (and mark read)", "enter"),
		MarkRead: common.Key("r", "mark read", "r"),
		MarkAll:  common.Key("R", "mark all read", "R"),
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
	return []key.Binding{m.keys.Move, m.keys.Open, m.keys.MarkRead, m.keys.MarkAll, m.list.KeyMap.Filter, m.list.KeyMap.ClearFilter, m.keys.Reload}
}

// FullHelp groups the keys by what they act on.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.Move, m.keys.Top, m.keys.Bottom, m.keys.Page},
		{m.keys.Open, m.keys.MarkRead, m.keys.MarkAll, m.keys.Reload},
		{m.list.KeyMap.Filter, m.list.KeyMap.ClearFilter},
	}
}

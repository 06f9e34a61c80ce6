package estimate

import (
	"charm.land/bubbles/v2/key"
)

// keyMap is the calculator's keys. While the form is being edited it owns
// tab and the arrows (the shell steps back, see common.Screen.InputFocused);
// esc hands them back.
type keyMap struct {
	Next    key.Binding
	Prev    key.Binding
	Change  key.Binding
	Done    key.Binding
	Edit    key.Binding
	Compare key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		Next:    key.NewBinding(key.WithKeys("tab", "down", "enter"), key.WithHelp("tab/↓", "next field")),
		Prev:    key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "prev field")),
		Change:  key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "change")),
		Done:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "done editing")),
		Edit:    key.NewBinding(key.WithKeys("enter", "e", "i"), key.WithHelp("enter", "edit")),
		Compare: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "compare")),
	}
}

// ShortHelp shows the form keys while editing, the way in otherwise.
func (m *Model) ShortHelp() []key.Binding {
	if m.editing {
		b := []key.Binding{m.keys.Next, m.keys.Prev}
		if !m.focus.isText() {
			b = append(b, m.keys.Change)
		}
		return append(b, m.keys.Done)
	}
	return []key.Binding{m.keys.Edit, m.keys.Compare}
}

// FullHelp lists every key of the calculator.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.Edit, m.keys.Next, m.keys.Prev, m.keys.Change, m.keys.Done},
		{m.keys.Compare},
	}
}

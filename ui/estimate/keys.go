package estimate

import (
	"charm.land/bubbles/v2/key"

	"brightrun/ui/common"
	"brightrun/ui/components/costform"
)

// keyMap is the calculator's keys: the cost form's. While the form is
// being edited it owns tab and the arrows (the shell steps back, see
// common.Screen.InputFocused); esc hands them back.
type keyMap = costform.Keys

// defaultKeyMap is the form's keys; with nothing to launch, enter also
// moves on to the next field.
func defaultKeyMap() keyMap {
	k := costform.DefaultKeys()
	k.Next = common.Also(k.Next, "enter")
	return k
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

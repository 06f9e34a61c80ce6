package configure

import (
	"charm.land/bubbles/v2/key"

	"brightrun/ui/common"
	"brightrun/ui/components/costform"
)

// keyMap is the screen's keys. While the form is edited it owns tab and
// the arrows (the shell steps back, see common.Screen.InputFocused); esc
// hands them back. Letters are free to bind while editing: the number
// fields refuse them (e, the exponent, is left alone).
type keyMap struct {
	// Form: the cost form's keys, and launch.
	costform.Keys
	Launch key.Binding

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
		Keys:   costform.DefaultKeys(),
		Launch: common.Key("enter", "launch…", "enter", "ctrl+s"),

		Up:        common.Key("↑/k", "up", "up", "k"),
		Down:      common.Key("↓/j", "down", "down", "j"),
		PageUp:    common.Key("pgup", "page up", "pgup", "ctrl+u"),
		PageDown:  common.Key("pgdn", "page down", "pgdown", "ctrl+d"),
		Top:       common.Key("g", "top", "home", "g"),
		Bottom:    common.Key("G", "bottom", "end", "G"),
		Sort:      common.Key("s", "sort", "s"),
		Reverse:   common.Key("S", "reverse", "S"),
		AllCounts: common.Key("a", "all counts", "a"),
		Pick:      common.Key("enter", "use row", "enter"),
		Back:      common.Key("esc", "back", "esc", "c"),
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

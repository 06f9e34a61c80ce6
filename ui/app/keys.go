package app

import (
	"charm.land/bubbles/v2/key"

	"brightrun/ui/common"
)

// keyMap is the shell's own keys. All but ForceQuit step aside while the
// active screen has an input focused.
type keyMap struct {
	Next      key.Binding
	Prev      key.Binding
	Jump      key.Binding
	Help      key.Binding
	CloseHelp key.Binding
	Quit      key.Binding
	ForceQuit key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		Next:      common.Key("tab", "next tab", "tab"),
		Prev:      common.Key("shift+tab", "prev tab", "shift+tab"),
		Jump:      common.Key("1-9", "go to tab", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
		Help:      common.Key("?", "help", "?"),
		CloseHelp: common.Key("?/esc", "close help", "esc"),
		Quit:      common.Key("q", "quit", "q"),
		ForceQuit: common.Key("ctrl+c", "quit", "ctrl+c"),
	}
}

// shortHelp is the help line: the active screen's keys, then the shell's.
func (m *Model) shortHelp() []key.Binding {
	b := append([]key.Binding(nil), m.activeScreen().ShortHelp()...)
	if m.activeScreen().InputFocused() {
		return append(b, m.keys.ForceQuit)
	}
	return append(b, m.keys.Next, m.keys.Help, m.keys.Quit)
}

// fullHelp is the screen's columns and a column of the shell's keys.
func (m *Model) fullHelp() [][]key.Binding {
	cols := append([][]key.Binding(nil), m.activeScreen().FullHelp()...)
	return append(cols, []key.Binding{m.keys.Next, m.keys.Prev, m.keys.Jump, m.keys.CloseHelp, m.keys.Quit, m.keys.ForceQuit})
}

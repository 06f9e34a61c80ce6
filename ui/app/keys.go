package app

import (
	"charm.land/bubbles/v2/key"
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
		Next:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
		Prev:      key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev tab")),
		Jump:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "go to tab")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		CloseHelp: key.NewBinding(key.WithKeys("esc"), key.WithHelp("?/esc", "close help")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
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

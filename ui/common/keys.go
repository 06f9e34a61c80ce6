package common

import "charm.land/bubbles/v2/key"

// Key is a binding from the keys that trigger it and how the help line
// names it: the one constructor every screen's key map uses.
func Key(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// Also is b triggered by extra keys as well, its help unchanged: how a
// screen extends a shared binding (ctrl+f beside pgdn) without declaring
// it again.
func Also(b key.Binding, extra ...string) key.Binding {
	b.SetKeys(append(append([]string{}, b.Keys()...), extra...)...)
	return b
}

// Named is b with its help reworded for one screen, its keys unchanged.
func Named(b key.Binding, help, desc string) key.Binding {
	b.SetHelp(help, desc)
	return b
}

// ListKeys are the keys every list shares, declared once so that up, down,
// paging, g/G, the filter, open, back and reload mean the same on every
// tab. Screens embed them in their own key map and add their actions.
//
// g and G go to the first and the last row (as in k9s and lazygit), never
// to a page; paging is pgup/pgdn.
type ListKeys struct {
	Up, Down         key.Binding
	Move             key.Binding // up and down under one help entry
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	Filter           key.Binding
	Open             key.Binding
	Back             key.Binding
	Reload           key.Binding
}

// NewListKeys is the house's list keys.
func NewListKeys() ListKeys {
	return ListKeys{
		Up:       Key("↑/k", "up", "up", "k"),
		Down:     Key("↓/j", "down", "down", "j"),
		Move:     Key("↑↓/jk", "move", "up", "down", "k", "j"),
		PageUp:   Key("pgup", "page up", "pgup"),
		PageDown: Key("pgdn", "page down", "pgdown"),
		Top:      Key("g", "first row", "g", "home"),
		Bottom:   Key("G", "last row", "G", "end"),
		Filter:   Key("/", "filter", "/"),
		Open:     Key("enter", "open", "enter"),
		Back:     Key("esc", "back", "esc", "backspace"),
		Reload:   Key("ctrl+r", "reload", "ctrl+r"),
	}
}

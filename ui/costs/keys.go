package costs

import (
	"charm.land/bubbles/v2/key"

	"brightrun/ui/common"
)

// keyMap is the Costs screen's keys: months back and forth, and reload.
type keyMap struct {
	Prev, Next, Reload key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		Prev:   common.Key("←/[", "previous month", "left", "["),
		Next:   common.Key("→/]", "next month", "right", "]"),
		Reload: common.NewListKeys().Reload,
	}
}

// ShortHelp is the help line.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Prev, m.keys.Next, m.keys.Reload}
}

// FullHelp is the same keys, one group.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

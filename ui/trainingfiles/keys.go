package trainingfiles

import (
	"charm.land/bubbles/v2/key"

	"brightrun/ui/common"
)

// keyMap is the screen's keys. The list and the detail share the actions
// on a training file, so b, J, O, D and d mean the same in both.
type keyMap struct {
	common.ListKeys // up, down, g/G, open, back, reload
	Remove          key.Binding
	Rebuild         key.Binding
	ExportJSONL     key.Binding
	ExportJSON      key.Binding
	Dataset         key.Binding
	Delete          key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		ListKeys:    common.NewListKeys(),
		Remove:      common.Key("x", "remove conversation", "x"),
		Rebuild:     common.Key("b", "rebuild", "b"),
		ExportJSONL: common.Key("J", "export JSONL", "J"),
		ExportJSON:  common.Key("O", "export JSON", "O"),
		Dataset:     common.Key("D", "make dataset", "D"),
		Delete:      common.Key("d", "delete", "d"),
	}
}

// ShortHelp is the help line for what is on screen.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.confirm != nil:
		return []key.Binding{m.confirm.KeyMap.Yes, m.confirm.KeyMap.No}
	case m.prompt != nil:
		return []key.Binding{m.prompt.KeyMap.Submit, m.prompt.KeyMap.Cancel}
	case m.detail != nil:
		return []key.Binding{k.Back, k.Down, k.Remove, k.Rebuild, k.ExportJSONL, k.ExportJSON, k.Dataset, k.Delete}
	case len(m.files) == 0:
		return []key.Binding{k.Reload}
	}
	return []key.Binding{k.Down, k.Open, k.Rebuild, k.ExportJSONL, k.ExportJSON, k.Dataset, k.Delete}
}

// FullHelp groups the keys: moving, then acting on a file.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	if m.confirm != nil || m.prompt != nil {
		return [][]key.Binding{m.ShortHelp()}
	}
	move := []key.Binding{k.Up, k.Down, k.Top, k.Bottom, k.Open, k.Back, k.Reload}
	act := []key.Binding{k.Rebuild, k.ExportJSONL, k.ExportJSON, k.Dataset, k.Delete}
	if m.detail != nil {
		act = append([]key.Binding{k.Remove}, act...)
	}
	return [][]key.Binding{move, act}
}

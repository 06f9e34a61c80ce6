package conversations

import (
	"charm.land/bubbles/v2/key"

	"brightrun/ui/common"
)

// keyMap is every key of the screen, grouped by the mode that reads it.
// The help line shows the keys of the current mode only.
type keyMap struct {
	// Browsing the table: the shared list keys (up, down, paging, g/G,
	// filter, open, back, reload) and the screen's own.
	common.ListKeys
	Sort, SortPrev, Reverse  key.Binding
	Facets                   key.Binding
	Select, SelectAll, Clear key.Binding
	Import, NewFile, AddTo   key.Binding

	// Typing the filter.
	Accept, Cancel key.Binding

	// The facet panel.
	Toggle, Adjust, ClearFacets, Close key.Binding

	// One conversation.
	View, Scroll, Export, ExportRaw, ExportEnriched key.Binding

	// The import dialog's file picker.
	PickOpen, PickBack, PickImport, PickHere, PickType key.Binding

	// Forms and lists.
	NextField, PrevField, Submit, Choose key.Binding
}

func defaultKeyMap() keyMap {
	b := func(keys []string, k, desc string) key.Binding { return common.Key(k, desc, keys...) }
	list := common.NewListKeys()
	list.PageUp = common.Also(list.PageUp, "ctrl+b")
	list.PageDown = common.Also(list.PageDown, "ctrl+f")
	return keyMap{
		ListKeys:  list,
		Sort:      b([]string{"s", ">"}, "s", "sort by"),
		SortPrev:  b([]string{"<"}, "<", "prev sort"),
		Reverse:   b([]string{"S"}, "S", "reverse sort"),
		Facets:    b([]string{"f"}, "f", "facets"),
		Select:    b([]string{"space"}, "space", "select"),
		SelectAll: b([]string{"A"}, "A", "select all"),
		Clear:     b([]string{"esc"}, "esc", "clear"),
		Import:    b([]string{"i"}, "i", "import"),
		NewFile:   b([]string{"n"}, "n", "new file"),
		AddTo:     b([]string{"t"}, "t", "add to file"),

		Accept: b([]string{"enter"}, "enter", "apply"),
		Cancel: b([]string{"esc"}, "esc", "cancel"),

		Toggle:      b([]string{"space", "x"}, "space", "toggle"),
		Adjust:      b([]string{"left", "right", "h", "l", "-", "+", "="}, "←/→", "min quality"),
		ClearFacets: b([]string{"c"}, "c", "clear facets"),
		Close:       b([]string{"esc", "enter", "f"}, "enter/esc", "close"),

		View:           b([]string{"v"}, "v", "turns/pairs"),
		Scroll:         b([]string{"up", "down", "k", "j", "pgup", "pgdown"}, "↑↓/pgup/pgdn", "scroll"),
		Export:         b([]string{"e"}, "e", "export"),
		ExportRaw:      b([]string{"r"}, "r", "export raw"),
		ExportEnriched: b([]string{"E"}, "E", "export enriched"),

		PickOpen:   b([]string{"l", "right"}, "→/l", "open dir"),
		PickBack:   b([]string{"h", "left", "backspace"}, "←/h", "up a dir"),
		PickImport: b([]string{"enter"}, "enter", "import this"),
		PickHere:   b([]string{"."}, ".", "import this dir"),
		PickType:   b([]string{"/", "p"}, "/", "type a path or glob"),

		NextField: b([]string{"tab", "down"}, "tab", "next field"),
		PrevField: b([]string{"shift+tab", "up"}, "shift+tab", "prev field"),
		Submit:    b([]string{"enter"}, "enter", "create"),
		Choose:    b([]string{"enter"}, "enter", "add here"),
	}
}

// ShortHelp is the help line for the current mode.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeFilter:
		return []key.Binding{k.Accept, k.Cancel}
	case modeFacets:
		return []key.Binding{k.Up, k.Down, k.Toggle, k.Adjust, k.ClearFacets, k.Close}
	case modeImport:
		if m.importer != nil {
			return m.importer.help(k)
		}
	case modeNewFile:
		return []key.Binding{k.NextField, k.Submit, k.Cancel}
	case modeAddTo:
		return []key.Binding{k.Up, k.Down, k.Choose, k.Cancel}
	case modeDetail:
		if m.detail != nil && m.detail.prompting() {
			return m.detail.promptHelp()
		}
		return []key.Binding{k.Back, k.View, k.Scroll, k.Export, k.ExportRaw, k.ExportEnriched}
	}
	if m.total == 0 && !m.filtered() {
		return []key.Binding{k.Import, k.Reload}
	}
	return []key.Binding{k.Down, k.Open, k.Select, k.Filter, k.Facets, k.Sort, k.NewFile, k.Import}
}

// FullHelp lists every key of the current mode, browsing by group.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	if m.mode != modeBrowse {
		return [][]key.Binding{m.ShortHelp()}
	}
	// Two columns, so the shell's column still fits beside them at 80.
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Sort, k.SortPrev, k.Reverse},
		{k.Filter, k.Facets, k.Select, k.SelectAll, k.Clear, k.Open, k.NewFile, k.AddTo, k.Import, k.Reload},
	}
}

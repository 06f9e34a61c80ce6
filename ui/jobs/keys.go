package jobs

import (
	"charm.land/bubbles/v2/key"

	"brightrun/model"
	"brightrun/ui/common"
)

// keyMap is the list's, the job view's and the comparison's keys.
type keyMap struct {
	// The list: the shared list keys (up, down, g/G to the first and last
	// row, open, back, reload), paging also on ←/→, and the list's own.
	common.ListKeys
	PrevPage   key.Binding
	NextPage   key.Binding
	Filter     key.Binding // the status filter; the list has no text filter
	FilterBack key.Binding
	Mark       key.Binding
	Unmark     key.Binding
	Compare    key.Binding
	Clone      key.Binding
	Workers    key.Binding
	// The job view's.
	Chart    key.Binding
	Cancel   key.Binding
	Download key.Binding
	// Over SSH: d shows the adapter's download links, and their box's
	// keys copy, scroll and close.
	Links      key.Binding
	LinksCopy  key.Binding
	LinksURLs  key.Binding
	LinksPrint key.Binding
	LinksMove  key.Binding
	LinksClose key.Binding
	// Its log.
	LogUp      key.Binding
	LogDown    key.Binding
	LogPgUp    key.Binding
	LogPgDown  key.Binding
	LogTop     key.Binding
	LogBottom  key.Binding
	LogLeft    key.Binding
	LogRight   key.Binding
	LogZoom    key.Binding
	Search     key.Binding
	NextMatch  key.Binding
	PrevMatch  key.Binding
	SearchDone key.Binding
	SearchQuit key.Binding
	// The comparison's.
	Axis     key.Binding
	Val      key.Binding
	LR       key.Binding
	ColLeft  key.Binding
	ColRight key.Binding
	RowUp    key.Binding
	RowDown  key.Binding
}

func defaultKeyMap() keyMap {
	list := common.NewListKeys()
	list.Open = common.Named(list.Open, "enter", "details")
	list.Reload = common.Key("r", "reload", "r")
	return keyMap{
		ListKeys:   list,
		PrevPage:   common.Named(common.Also(list.PageUp, "left", "h"), "←/pgup", "prev page"),
		NextPage:   common.Named(common.Also(list.PageDown, "right", "l"), "→/pgdn", "next page"),
		Filter:     key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "status filter")),
		FilterBack: key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "filter back")),
		Mark:       key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark to compare")),
		Unmark:     key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "unmark all")),
		Compare:    key.NewBinding(key.WithKeys("C"), key.WithHelp("C", "compare marked")),
		Clone:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "clone → configure")),
		Workers:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "workers")),
		Chart:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "next chart")),
		Cancel:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "cancel job")),
		Download:   key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "download adapter")),
		Links:      key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "download links (URL + curl)")),
		LinksCopy:  key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy the command")),
		LinksURLs:  key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy the URLs")),
		LinksPrint: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "print unwrapped")),
		LinksMove:  key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown", "g", "G"), key.WithHelp("↑/↓ pgup/pgdn g/G", "scroll")),
		LinksClose: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		LogUp:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "scroll log")),
		LogDown:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll log")),
		LogPgUp:    key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/pgdn", "log page")),
		LogPgDown:  key.NewBinding(key.WithKeys("pgdown", "f", "space"), key.WithHelp("pgdn", "log page down")),
		LogTop:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/G", "log top/end")),
		LogBottom:  key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "log end (follow)")),
		LogLeft:    key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/→", "scroll sideways")),
		LogRight:   key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "scroll right")),
		LogZoom:    key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "log full view")),
		Search:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search log")),
		NextMatch:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n/N", "next/prev match")),
		PrevMatch:  key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "prev match")),
		SearchDone: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "search")),
		SearchQuit: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Axis:       key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "step/epoch axis")),
		Val:        key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "val loss")),
		LR:         key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "loss/learning rate")),
		ColLeft:    key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/→", "scroll jobs")),
		ColRight:   key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "scroll jobs right")),
		RowUp:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "scroll table")),
		RowDown:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll table down")),
	}
}

// ShortHelp shows the keys of what is on screen.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.detail != nil:
		return m.liveHelp()
	case m.cmp != nil:
		return []key.Binding{m.keys.Back, m.keys.Val, m.keys.LR, m.keys.Axis, m.keys.ColLeft}
	case m.fleet != nil:
		return []key.Binding{m.keys.Back, m.keys.Reload}
	}
	out := []key.Binding{m.keys.Open, m.keys.Mark}
	if len(m.marks) >= 2 {
		out = append(out, m.keys.Compare)
	}
	return append(out, m.keys.Clone, m.keys.Workers, m.keys.Filter, m.keys.NextPage)
}

// FullHelp lists every key of the screen.
func (m *Model) FullHelp() [][]key.Binding {
	if m.live != nil && m.live.urls != nil {
		return [][]key.Binding{m.urlHelp()}
	}
	if m.cmp != nil && m.detail == nil {
		return [][]key.Binding{
			{m.keys.Val, m.keys.LR, m.keys.Axis},
			{m.keys.ColLeft, m.keys.RowUp, m.keys.Reload, m.keys.Back},
		}
	}
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.PrevPage, m.keys.NextPage, m.keys.Top, m.keys.Bottom},
		{m.keys.Filter, m.keys.FilterBack, m.keys.Open, m.keys.Back, m.keys.Reload},
		{m.keys.Mark, m.keys.Unmark, m.keys.Compare, m.keys.Clone, m.keys.Workers},
		{m.keys.Chart, m.keys.Cancel, m.downloadKey()},
		{m.keys.LogUp, m.keys.LogPgUp, m.keys.LogTop, m.keys.LogLeft, m.keys.LogZoom, m.keys.Search, m.keys.NextMatch},
	}
}

// liveHelp is the job view's keys: cancel while the job may still be
// cancelled, download once it completed; a search's own while one is
// typed.
func (m *Model) liveHelp() []key.Binding {
	if m.live != nil && (m.live.confirm != nil || m.live.prompt != nil) {
		return nil
	}
	if m.live != nil && m.live.urls != nil {
		return m.urlHelp()
	}
	if m.live != nil && m.live.log.Typing() {
		return []key.Binding{m.keys.SearchDone, m.keys.SearchQuit}
	}
	out := []key.Binding{m.keys.Back, m.keys.Chart}
	if !m.detail.Status.Final() {
		out = append(out, m.keys.Cancel)
	}
	if m.detail.Status == model.JobCompleted {
		out = append(out, m.downloadKey())
	}
	out = append(out, m.keys.Clone, m.keys.Search)
	if m.live != nil && m.live.log.Query() != "" {
		out = append(out, m.keys.NextMatch)
	}
	return append(out, m.keys.LogZoom)
}

// downloadKey is d as it works here: a directory on this machine, or over
// SSH the links to fetch the files from the operator's.
func (m *Model) downloadKey() key.Binding {
	if m.common.Remote {
		return m.keys.Links
	}
	return m.keys.Download
}

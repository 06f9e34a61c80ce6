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
	Promote    key.Binding
	Workers    key.Binding
	// The job view's.
	Chart    key.Binding
	Cancel   key.Binding
	Download key.Binding
	LiveAxis key.Binding // the job view's step / epoch axis (x is cancel there)
	Resume   key.Binding
	Export   key.Binding
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
		Filter:     common.Key("f", "status filter", "f"),
		FilterBack: common.Key("F", "filter back", "F"),
		Mark:       common.Key("space", "mark to compare", "space"),
		Unmark:     common.Key("u", "unmark all", "u"),
		Compare:    common.Key("C", "compare marked", "C"),
		Clone:      common.Key("y", "clone → configure", "y"),
		Promote:    common.Key("p", "run → configure", "p"),
		Workers:    common.Key("w", "workers", "w"),
		Chart:      common.Key("c", "next chart", "c"),
		Cancel:     common.Key("x", "cancel job", "x"),
		Download:   common.Key("d", "download adapter", "d"),
		LiveAxis:   common.Key("a", "step/epoch axis", "a"),
		Resume:     common.Key("R", "resume from checkpoint", "R"),
		Export:     common.Key("e", "export metrics CSV", "e"),
		Links:      common.Key("d", "download links (URL + curl)", "d"),
		LinksCopy:  common.Key("y", "copy the command", "y"),
		LinksURLs:  common.Key("Y", "copy the URLs", "Y"),
		LinksPrint: common.Key("p", "print unwrapped", "p"),
		LinksMove:  common.Key("↑/↓ pgup/pgdn g/G", "scroll", "up", "down", "pgup", "pgdown", "g", "G"),
		LinksClose: common.Key("esc", "close", "esc"),
		LogUp:      common.Key("↑/↓", "scroll log", "up", "k"),
		LogDown:    common.Key("↓/j", "scroll log", "down", "j"),
		LogPgUp:    common.Key("pgup/pgdn", "log page", "pgup", "b"),
		LogPgDown:  common.Key("pgdn", "log page down", "pgdown", "f", "space"),
		LogTop:     common.Key("g/G", "log top/end", "home", "g"),
		LogBottom:  common.Key("G", "log end (follow)", "end", "G"),
		LogLeft:    common.Key("←/→", "scroll sideways", "left", "h"),
		LogRight:   common.Key("→/l", "scroll right", "right", "l"),
		LogZoom:    common.Key("z", "log full view", "z"),
		Search:     common.Key("/", "search log", "/"),
		NextMatch:  common.Key("n/N", "next/prev match", "n"),
		PrevMatch:  common.Key("N", "prev match", "N"),
		SearchDone: common.Key("enter", "search", "enter"),
		SearchQuit: common.Key("esc", "cancel", "esc"),
		Axis:       common.Key("x", "step/epoch axis", "x"),
		Val:        common.Key("v", "val loss", "v"),
		LR:         common.Key("L", "loss/learning rate", "L"),
		ColLeft:    common.Key("←/→", "scroll jobs", "left", "h"),
		ColRight:   common.Key("→/l", "scroll jobs right", "right", "l"),
		RowUp:      common.Key("↑/↓", "scroll table", "up", "k"),
		RowDown:    common.Key("↓/j", "scroll table down", "down", "j"),
	}
}

// ShortHelp shows the keys of what is on screen.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.detail != nil:
		return m.liveHelp()
	case m.cmp != nil && m.cmp.sweep != nil:
		return []key.Binding{m.keys.Back, m.keys.RowUp, m.keys.Promote, m.keys.Val, m.keys.LR, m.keys.Axis}
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
	if m.cmp != nil && m.cmp.sweep != nil && m.detail == nil {
		return [][]key.Binding{{m.keys.Val, m.keys.LR, m.keys.Axis}, {m.keys.RowUp, m.keys.Promote, m.keys.Reload, m.keys.Back}}
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
		{m.keys.Chart, m.keys.LiveAxis, m.keys.Cancel, m.downloadKey(), m.keys.Resume, m.keys.Export},
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
	out := []key.Binding{m.keys.Back, m.keys.Chart, m.keys.LiveAxis}
	if !m.detail.Status.Final() {
		out = append(out, m.keys.Cancel)
	}
	if m.detail.Status == model.JobCompleted {
		out = append(out, m.downloadKey())
	}
	if m.detail.Status.Resumable() {
		out = append(out, m.keys.Resume)
	}
	out = append(out, m.keys.Export)
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

package jobs

import (
	"charm.land/bubbles/v2/key"

	"brightrun/model"
)

// keyMap is the list's and the job view's keys.
type keyMap struct {
	Up         key.Binding
	Down       key.Binding
	PrevPage   key.Binding
	NextPage   key.Binding
	First      key.Binding
	Last       key.Binding
	Filter     key.Binding
	FilterBack key.Binding
	Open       key.Binding
	Back       key.Binding
	Reload     key.Binding
	// The job view's.
	Chart    key.Binding
	Cancel   key.Binding
	Download key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PrevPage:   key.NewBinding(key.WithKeys("left", "h", "pgup"), key.WithHelp("←/pgup", "prev page")),
		NextPage:   key.NewBinding(key.WithKeys("right", "l", "pgdown"), key.WithHelp("→/pgdn", "next page")),
		First:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first page")),
		Last:       key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last page")),
		Filter:     key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "status filter")),
		FilterBack: key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "filter back")),
		Open:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		Back:       key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "back")),
		Reload:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
		Chart:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "next chart")),
		Cancel:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "cancel job")),
		Download:   key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "download adapter")),
	}
}

// ShortHelp shows the keys of what is on screen.
func (m *Model) ShortHelp() []key.Binding {
	if m.detail != nil {
		return m.liveHelp()
	}
	return []key.Binding{m.keys.Open, m.keys.Filter, m.keys.NextPage, m.keys.PrevPage}
}

// FullHelp lists every key of the screen.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.Up, m.keys.Down, m.keys.PrevPage, m.keys.NextPage, m.keys.First, m.keys.Last},
		{m.keys.Filter, m.keys.FilterBack, m.keys.Open, m.keys.Back, m.keys.Reload},
		{m.keys.Chart, m.keys.Cancel, m.keys.Download},
	}
}

// liveHelp is the job view's keys: cancel while the job may still be
// cancelled, download once it completed.
func (m *Model) liveHelp() []key.Binding {
	if m.live != nil && (m.live.confirm != nil || m.live.prompt != nil) {
		return nil
	}
	out := []key.Binding{m.keys.Back, m.keys.Chart}
	if !m.detail.Status.Final() {
		out = append(out, m.keys.Cancel)
	}
	if m.detail.Status == model.JobCompleted {
		out = append(out, m.keys.Download)
	}
	return out
}

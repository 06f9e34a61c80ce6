package conversations

import (
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"brightrun/ui/components/listscreen"
)

// filterDebounce is how long typing must pause before the filter runs: a
// query per word, not per keystroke.
const filterDebounce = 150 * time.Millisecond

// filterTickMsg fires filterDebounce after a keystroke; only the tick of
// the newest keystroke (seq) runs the query.
type filterTickMsg struct{ seq int }

// startFilter focuses the filter input, keeping what was typed before.
func (m *Model) startFilter() tea.Cmd {
	m.mode = modeFilter
	return m.filter.Open()
}

// editFilter passes a key, a paste or a blink to the filter: enter applies
// now and leaves, esc clears and leaves, an edit restarts the debounce.
func (m *Model) editFilter(msg tea.Msg) tea.Cmd {
	cmd, ev := m.filter.Handle(msg, m.keys.Accept, m.keys.Cancel)
	switch ev {
	case listscreen.FilterAccepted, listscreen.FilterCancelled:
		m.mode = modeBrowse
		return m.applyFilter()
	case listscreen.FilterUnchanged:
		return cmd
	}
	m.filterSeq++
	seq := m.filterSeq
	return tea.Batch(cmd, tea.Tick(filterDebounce, func(time.Time) tea.Msg { return filterTickMsg{seq: seq} }))
}

// applyFilter runs the query when the typed text differs from the one the
// table shows.
func (m *Model) applyFilter() tea.Cmd {
	text := strings.TrimSpace(m.filter.Value())
	if text == m.query.Text {
		return nil
	}
	m.query.Text = text
	return m.requery()
}

// filtered says whether any filter or facet narrows the table.
func (m *Model) filtered() bool {
	q := m.query
	return q.Text != "" || len(q.Tiers)+len(q.Personas)+len(q.EmotionalArcs)+len(q.Topics)+len(q.Statuses) > 0 || q.MinQuality != nil
}

// clearFilters drops the text filter and every facet.
func (m *Model) clearFilters() tea.Cmd {
	m.filter.SetValue("")
	m.query.Text = ""
	m.query.Tiers, m.query.Personas, m.query.EmotionalArcs, m.query.Topics, m.query.Statuses = nil, nil, nil, nil, nil
	m.query.MinQuality = nil
	return m.requery()
}

// cycleSort moves the sort to the next (d=1) or previous (d=-1) column,
// ascending; S reverses it.
func (m *Model) cycleSort(d int) tea.Cmd {
	i := slices.Index(sortOrder, m.sortColumn())
	n := len(sortOrder)
	m.query.Sort = sortOrder[((i+d)%n+n)%n]
	m.query.Desc = false
	m.layout()
	return m.requery()
}

func (m *Model) reverseSort() tea.Cmd {
	m.query.Desc = !m.query.Desc
	m.layout()
	return m.requery()
}

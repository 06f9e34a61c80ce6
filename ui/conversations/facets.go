package conversations

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/list"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/format"
)

// facetGroup is one facet of the panel.
type facetGroup int

const (
	gQuality facetGroup = iota
	gTier
	gStatus
	gPersona
	gArc
	gTopic
)

var groupNames = [...]string{"Min quality", "Tier", "Status", "Persona", "Arc", "Topic"}

// values is the query's list for the group (nil for quality).
func (g facetGroup) values(q *model.ConversationQuery) *[]string {
	switch g {
	case gTier:
		return &q.Tiers
	case gStatus:
		return &q.Statuses
	case gPersona:
		return &q.Personas
	case gArc:
		return &q.EmotionalArcs
	case gTopic:
		return &q.Topics
	}
	return nil
}

// facetItem is one line of the panel: a value to switch on and off, or
// the minimum quality.
type facetItem struct {
	group facetGroup
	value model.FacetValue
}

// FilterValue satisfies list.Item; the panel is never filtered.
func (facetItem) FilterValue() string { return "" }

// facetsMsg carries the facet values and their counts.
type facetsMsg struct {
	facets model.Facets
	err    error
}

// facetPanel is the facet filters: a list of every value by facet, with
// the minimum quality on top. Changes apply at once.
type facetPanel struct {
	common *common.Common
	list   list.Model
	query  *model.ConversationQuery
	ready  bool
}

func newFacetPanel(c *common.Common) *facetPanel {
	p := &facetPanel{common: c}
	l := dialogList([]list.Item{facetItem{group: gQuality}}, &facetDelegate{p: p}, 0, 0)
	l.KeyMap.PrevPage.SetKeys("pgup")
	l.KeyMap.NextPage.SetKeys("pgdown")
	p.list = l
	return p
}

// dialogList is a list for one of the screen's dialogs (the facet panel,
// the training file picker): the dialog draws its own title and help, and
// the list neither filters nor quits.
func dialogList(items []list.Item, d list.ItemDelegate, w, h int) list.Model {
	l := list.New(items, d, w, h)
	l.SetShowTitle(false)
	l.SetShowStatusBar(false)
	l.SetShowHelp(false)
	l.SetFilteringEnabled(false)
	l.DisableQuitKeybindings()
	l.KeyMap.ShowFullHelp.Unbind()
	l.KeyMap.CloseFullHelp.Unbind()
	return l
}

func (p *facetPanel) applyTheme() {
	p.list.Styles = p.common.Theme.List()
	p.list.Paginator.ActiveDot = p.list.Styles.ActivePaginationDot.String()
	p.list.Paginator.InactiveDot = p.list.Styles.InactivePaginationDot.String()
}

// panelWidth is the facet panel's width on a terminal w wide.
func panelWidth(w int) int { return max(10, min(w, 64)) }

func (p *facetPanel) setSize(w, h int) {
	p.list.SetSize(panelWidth(w)-4, max(1, h-5))
}

// loaded fills the panel with fresh facets, keeping the cursor's line.
func (p *facetPanel) loaded(msg facetsMsg) {
	if msg.err != nil {
		return
	}
	f := msg.facets
	items := []list.Item{facetItem{group: gQuality}}
	for _, gv := range []struct {
		g    facetGroup
		vals []model.FacetValue
	}{{gTier, f.Tiers}, {gStatus, f.EnrichmentStatuses}, {gPersona, f.Personas}, {gArc, f.EmotionalArcs}, {gTopic, f.TrainingTopics}} {
		for _, v := range gv.vals {
			items = append(items, facetItem{group: gv.g, value: v})
		}
	}
	at := p.list.Index()
	p.list.SetItems(items)
	p.list.Select(min(at, len(items)-1))
	p.ready = true
}

// openFacets shows the panel and fetches fresh counts.
func (m *Model) openFacets() tea.Cmd {
	m.mode = modeFacets
	m.facets.query = &m.query
	m.facets.setSize(m.common.Width, m.common.Height)
	return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		f, err := b.Facets(ctx)
		return facetsMsg{facets: f, err: err}
	})
}

// facetKey toggles values, steps the quality, or closes the panel.
func (m *Model) facetKey(k tea.KeyPressMsg) tea.Cmd {
	it, _ := m.facets.list.SelectedItem().(facetItem)
	switch {
	case key.Matches(k, m.keys.Close):
		m.mode = modeBrowse
		return nil
	case key.Matches(k, m.keys.ClearFacets):
		if !m.filteredByFacets() {
			return nil
		}
		m.query.Tiers, m.query.Personas, m.query.EmotionalArcs, m.query.Topics, m.query.Statuses = nil, nil, nil, nil, nil
		m.query.MinQuality = nil
		return m.requery()
	case key.Matches(k, m.keys.Toggle) && it.group != gQuality:
		vals := it.group.values(&m.query)
		if i := slices.Index(*vals, it.value.Key); i >= 0 {
			*vals = slices.Delete(slices.Clone(*vals), i, i+1)
		} else {
			*vals = append(slices.Clone(*vals), it.value.Key)
		}
		return m.requery()
	case key.Matches(k, m.keys.Adjust) && it.group == gQuality:
		up := k.String() == "right" || k.String() == "l" || k.String() == "+" || k.String() == "="
		m.query.MinQuality = stepQuality(m.query.MinQuality, up)
		return m.requery()
	}
	var cmd tea.Cmd
	m.facets.list, cmd = m.facets.list.Update(k)
	return cmd
}

func (m *Model) filteredByFacets() bool {
	q := m.query
	return len(q.Tiers)+len(q.Personas)+len(q.EmotionalArcs)+len(q.Topics)+len(q.Statuses) > 0 || q.MinQuality != nil
}

// stepQuality moves the minimum quality by half a point: "any", 0, 0.5,
// … 10.
func stepQuality(q *float64, up bool) *float64 {
	switch {
	case q == nil && up:
		v := 0.0
		return &v
	case q == nil:
		return nil
	case !up && *q <= 0:
		return nil
	}
	v := *q - 0.5
	if up {
		v = *q + 0.5
	}
	v = max(0, min(10, v))
	return &v
}

// facetSummary is the active facets in one line: "tier edge_case · q≥7.5".
func facetSummary(q model.ConversationQuery) string {
	var parts []string
	for _, g := range []facetGroup{gTier, gStatus, gPersona, gArc, gTopic} {
		if v := *g.values(&q); len(v) > 0 {
			parts = append(parts, strings.ToLower(groupNames[g])+" "+strings.Join(v, ","))
		}
	}
	if q.MinQuality != nil {
		parts = append(parts, fmt.Sprintf("q≥%.1f", *q.MinQuality))
	}
	return strings.Join(parts, " · ")
}

// facetDelegate draws one line: the facet's name on its first value, a
// check box, the value and its count.
type facetDelegate struct{ p *facetPanel }

// Height, Spacing and Update satisfy list.ItemDelegate.
func (d *facetDelegate) Height() int                         { return 1 }
func (d *facetDelegate) Spacing() int                        { return 0 }
func (d *facetDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

// Render draws one facet line.
func (d *facetDelegate) Render(w io.Writer, l list.Model, index int, li list.Item) {
	it, ok := li.(facetItem)
	if !ok || d.p.query == nil {
		return
	}
	t := d.p.common.Theme
	bar := "  "
	if index == l.Index() {
		bar = t.Cursor.Render("▌") + " "
	}
	group := ""
	if index == 0 || l.Items()[index-1].(facetItem).group != it.group {
		group = groupNames[it.group]
	}
	group = t.Muted.Render(fmt.Sprintf("%-12s", group))
	var body string
	if it.group == gQuality {
		v := "any"
		if q := d.p.query.MinQuality; q != nil {
			v = fmt.Sprintf("%.1f", *q)
		}
		body = t.Arrow.Render("‹") + " " + t.ValueFocused.Render(fmt.Sprintf("%-4s", v)) + " " + t.Arrow.Render("›")
	} else {
		on := slices.Contains(*it.group.values(d.p.query), it.value.Key)
		box, name := "[ ] ", it.value.Key
		if on {
			box, name = t.FacetActive.Render("[x]")+" ", t.FacetActive.Render(name)
		}
		room := max(1, l.Width()-lipgloss.Width(bar)-12-4-8)
		name = ansi.Truncate(name, room, "…")
		count := format.Thousands(int64(it.value.Count))
		gap := max(1, l.Width()-lipgloss.Width(bar)-12-4-lipgloss.Width(name)-len(count))
		body = box + name + strings.Repeat(" ", gap) + t.Muted.Render(count)
	}
	fmt.Fprint(w, ansi.Truncate(bar+group+body, l.Width(), ""))
}

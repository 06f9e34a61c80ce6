package conversations

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/components/listscreen"
	"brightrun/ui/format"
)

// View draws the header line and, under it, the table or the open dialog;
// the detail takes the whole area.
func (m *Model) View() string {
	w, h := m.common.Width, m.common.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	if m.mode == modeDetail && m.detail != nil {
		return m.detail.view(m.spinner.View())
	}
	var body string
	switch m.mode {
	case modeFacets:
		body = m.facetView()
	case modeImport:
		body = m.importer.view()
	case modeNewFile:
		body = m.formView()
	case modeAddTo:
		body = m.addToView()
	default:
		body = m.tableBody()
	}
	return lipgloss.NewStyle().MaxWidth(w).MaxHeight(h).Render(m.headerLine() + "\n" + body)
}

// headerLine is the screen's title with what narrows the table, or the
// filter being typed, and the visible range at the right.
func (m *Model) headerLine() string {
	t := m.common.Theme
	w := m.common.Width
	var left string
	if m.mode == modeFilter {
		left = m.filter.View()
	} else {
		left = t.Title.Render("Conversations")
		var parts []string
		if m.query.Text != "" {
			parts = append(parts, "“"+m.query.Text+"”")
		}
		if s := facetSummary(m.query); s != "" {
			parts = append(parts, s)
		}
		if col := m.sortColumn(); !shown(m.cols, col) {
			arrow := "▲"
			if m.query.Desc {
				arrow = "▼"
			}
			parts = append(parts, "by "+strings.ToLower(sortLabel(col))+" "+arrow)
		}
		if n := m.sel.Len(); n > 0 {
			parts = append(parts, format.Thousands(int64(n))+" selected")
		}
		if len(parts) > 0 {
			left += "  " + t.Muted.Render(strings.Join(parts, " · "))
		}
	}
	right := m.position()
	if m.fetching || m.stale {
		right = m.spinner.View() + " " + right
	}
	room := w - lipgloss.Width(right) - 1
	if room < 10 {
		return ansi.Truncate(left, w, "…")
	}
	left = ansi.Truncate(left, room, "…")
	return left + strings.Repeat(" ", max(1, w-lipgloss.Width(left)-lipgloss.Width(right))) + right
}

// position is the visible range: "1,234–1,260 of 100,000".
func (m *Model) position() string {
	t := m.common.Theme
	if !m.loaded {
		return ""
	}
	if m.total == 0 {
		return t.Muted.Render("0 of 0")
	}
	from, to := m.top+1, min(m.total, m.top+m.pageHeight())
	return t.Muted.Render(format.Thousands(int64(from)) + "–" + format.Thousands(int64(to)) + " of " + format.Thousands(int64(m.total)))
}

// tableBody is the table, or the loading, error or empty state.
func (m *Model) tableBody() string {
	p := listscreen.Placeholder{Theme: m.common.Theme, Width: m.common.Width, Height: m.common.Height - 1}
	if s, ok := p.Unloaded(m.loaded, m.loadErr, m.spinner.View(), "conversations"); ok {
		return s
	}
	switch {
	case m.total == 0 && !m.stale && m.filtered():
		return p.Empty("No conversation matches", "esc clears the filter and the facets")
	case m.total == 0 && !m.stale:
		return p.Empty("No conversations yet", "i imports conversation files (raw or enriched JSON)")
	}
	return m.table.View()
}

// dialog frames a dialog's lines in a panel, centred across the screen.
func (m *Model) dialog(width int, lines ...string) string {
	panel := m.common.Theme.Panel.Width(width).Render(strings.Join(lines, "\n"))
	return lipgloss.PlaceHorizontal(m.common.Width, lipgloss.Center, panel)
}

// facetView is the facet panel with the number of matching rows.
func (m *Model) facetView() string {
	t := m.common.Theme
	pw := panelWidth(m.common.Width)
	head := t.Title.Render("Filters")
	count := t.Muted.Render(format.Thousands(int64(m.total)) + " match")
	gap := max(1, pw-4-lipgloss.Width(head)-lipgloss.Width(count))
	body := m.facets.list.View()
	if !m.facets.ready {
		body = m.spinner.View() + " " + t.Muted.Render("Loading facets…")
	}
	return m.dialog(pw, head+strings.Repeat(" ", gap)+count, body)
}

// formView is the new-training-file form.
func (m *Model) formView() string {
	t := m.common.Theme
	f := m.form
	w := max(20, min(m.common.Width, 70))
	label := func(i int, name string) string {
		if f.focus == i {
			return t.LabelFocused.Render(fmt.Sprintf("%-13s", name))
		}
		return t.Label.Render(fmt.Sprintf("%-13s", name))
	}
	lines := []string{
		t.Title.Render("New training file") + t.Muted.Render(" from "+format.Count(len(f.ids), "selected conversation", "selected conversations")),
		"",
		label(0, "Name") + f.inputs[0].View(),
		label(1, "Description") + f.inputs[1].View(),
		"",
	}
	switch {
	case f.creating:
		lines = append(lines, m.spinner.View()+" "+t.Muted.Render("Building the training file…"))
	case f.err != "":
		lines = append(lines, t.Error.Render(ansi.Wrap(f.err, w-4, " ")))
	default:
		lines = append(lines, t.Muted.Render(ansi.Wrap("Only enriched conversations with training pairs can go in; the order of selection is the file's order.", w-4, " ")))
	}
	return m.dialog(w, lines...)
}

// addToView is the list of training files to add the selection to.
func (m *Model) addToView() string {
	t := m.common.Theme
	p := m.addTo
	w := max(20, min(m.common.Width, 70))
	head := t.Title.Render("Add to a training file") + t.Muted.Render(" · "+format.Count(len(p.ids), "conversation", "conversations"))
	switch {
	case p.loading:
		return m.dialog(w, head, "", m.spinner.View()+" "+t.Muted.Render("Loading training files…"))
	case len(p.list.Items()) == 0:
		return m.dialog(w, head, "", t.Muted.Render("No training files yet: esc, then n makes one from the selection."))
	case p.adding:
		return m.dialog(w, head, "", m.spinner.View()+" "+t.Muted.Render("Adding and rebuilding…"))
	}
	return m.dialog(w, head, "", p.list.View())
}

package jobs

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/components/listscreen"
	"brightrun/ui/format"
)

// View draws the title line, the rows (or what stands in for them) and
// the footer with the filter and the page; the job view takes the area. Lines are built to the width, so the frame costs the same at any
// number of jobs: no pass over the whole text measures it again.
func (m *Model) View() string {
	w, h := m.common.Width, m.common.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	if m.detail != nil && m.live != nil {
		return m.jobView(w, h)
	}
	if m.cmp != nil && m.cmp.sweep != nil {
		return m.sweepView(w, h)
	}
	if m.cmp != nil {
		return m.compareView(w, h)
	}
	if m.fleet != nil {
		return m.workersView(w, h)
	}
	lines := make([]string, 0, h)
	lines = append(lines, m.titleLine(), m.headerLine())
	if empty := m.emptyText(); empty != "" {
		lines = append(lines, "", m.common.Theme.Empty.Render("  "+empty))
	}
	for i := m.offset; i < min(len(m.jobs), m.offset+m.fit()); i++ {
		lines = append(lines, m.rowLine(i))
	}
	lines = lines[:min(len(lines), h-1)]
	for len(lines) < h-1 {
		lines = append(lines, "")
	}
	lines = append(lines, m.footer())
	if m.rowWidth() > w {
		for i, l := range lines {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

// rowWidth is the width of a row: the columns and a space after each.
func (m *Model) rowWidth() int {
	n := 0
	for _, c := range m.cols {
		n += c.width + 1
	}
	return n
}

// emptyText says why there are no rows, or "" when there are.
func (m *Model) emptyText() string {
	switch {
	case len(m.jobs) > 0:
		return ""
	case m.loadErr != nil && !m.loaded:
		return "Could not load the jobs: " + m.loadErr.Error()
	case !m.loaded:
		return "Loading jobs…"
	case filters[m.filter] != "":
		return fmt.Sprintf("No %s jobs. Press f for another status.", filters[m.filter])
	}
	return "No jobs yet. Launch one from the Configure tab."
}

// titleLine is the screen's name, what the filter shows, and where the
// page sits in the list.
func (m *Model) titleLine() string {
	t := m.common.Theme
	status := "every status"
	if f := filters[m.filter]; f != "" {
		status = "status " + f
	}
	left := t.Title.Render("Jobs") + "  " + t.Muted.Render("newest first · "+status)
	if n := len(m.marks); n > 0 {
		hint := "space marks more"
		if n >= model.MinCompareJobs {
			hint = "C compares"
		}
		left += t.Muted.Render(" · ") + t.RowMark.Render(fmt.Sprintf("%d marked", n)) + t.Muted.Render(" ("+hint+")")
	}
	right := ""
	if m.loaded && m.total > 0 {
		right = t.Muted.Render(fmt.Sprintf("%s–%s of %s",
			format.Thousands(int64(m.first+1)), format.Thousands(int64(m.first+len(m.jobs))), format.Thousands(int64(m.total))))
	}
	if m.loading {
		right = t.Muted.Render("loading… ") + right
	}
	return listscreen.HeaderLine(m.common.Width, left, right)
}

// footer shows the filter's values with the chosen one marked, and the
// page, or the error of the last load.
func (m *Model) footer() string {
	t := m.common.Theme
	if m.loadErr != nil && m.loaded {
		return t.Error.Render(ansi.Truncate("✗ "+m.loadErr.Error(), m.common.Width, "…"))
	}
	if j, ok := m.selected(); ok && j.WaitingReason != "" {
		// Why the job under the cursor waits (w shows the workers).
		return t.Warning.Render(ansi.Truncate("⏳ "+j.WaitingReason+" · w: workers", m.common.Width, "…"))
	}
	parts := make([]string, len(filters))
	for i, f := range filters {
		if f == "" {
			f = "all"
		}
		if i == m.filter {
			parts[i] = t.FacetActive.Render("[" + f + "]")
		} else {
			parts[i] = t.Muted.Render(f)
		}
	}
	left := t.Muted.Render("f ") + strings.Join(parts, " ")
	right := t.Muted.Render(fmt.Sprintf("page %s of %s", format.Thousands(int64(m.page())), format.Thousands(int64(m.pages()))))
	gap := m.common.Width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 2 {
		return ansi.Truncate(left, m.common.Width, "…")
	}
	return left + strings.Repeat(" ", gap) + right
}

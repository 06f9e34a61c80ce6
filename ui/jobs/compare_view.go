package jobs

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
)

// Table layout: the label column (a gutter marking differences, then the
// label), and the bounds of a job's column.
const (
	cmpLabelWidth = 20
	cmpColMin     = 12
	cmpColMax     = 26
	cmpGap        = 2
	// cmpChartMin is the fewest plot rows the chart keeps when the table
	// needs more room than there is: the table scrolls instead.
	cmpChartMin = 6
)

// compareView draws the comparison w × h: the title with the chart's
// switches, the legend, the chart, and the table.
func (m *Model) compareView(w, h int) string {
	c := m.cmp
	lines := []string{m.compareTitle(w)}
	switch {
	case c.err != nil && !c.loaded:
		lines = append(lines, "", m.common.Theme.Error.Render("  Could not compare the jobs: "+c.err.Error()),
			m.common.Theme.Muted.Render("  r tries again · esc goes back to the list"))
		return fitLines(lines, w, h)
	case !c.loaded:
		lines = append(lines, "", m.common.Theme.Muted.Render(fmt.Sprintf("  Loading %d jobs…", len(c.ids))))
		return fitLines(lines, w, h)
	}
	legend := m.compareLegend(w)
	table := 1 + len(c.rows)
	fixed := len(lines) + len(legend) + 2 + 1 // the x axis, a blank before the table
	rows := h - fixed - table
	if rows < cmpChartMin {
		rows = max(2, min(cmpChartMin, h-fixed-3))
	}
	lines = append(lines, legend...)
	lines = append(lines, m.compareChart(w, rows)...)
	lines = append(lines, "")
	lines = append(lines, m.compareTable(w, max(0, h-len(lines)))...)
	return fitLines(lines, w, h)
}

// switchWord is one side of a switch, [marked] when it is on.
func (m *Model) switchWord(active bool, s string) string {
	if active {
		return m.common.Theme.FacetActive.Render("[" + s + "]")
	}
	return m.common.Theme.Muted.Render(s)
}

// axisSwitch is the step / epoch switch of a chart, toggled by key.
func (m *Model) axisSwitch(key string, a xAxis) string {
	return m.common.Theme.Muted.Render(key+" ") + m.switchWord(a == byStep, "step") + " " + m.switchWord(a == byEpoch, "epoch")
}

// compareTitle is the screen's name and how many jobs, the chart's
// switches (each with its key, the one on in brackets), and "live" while
// a job may still move.
func (m *Model) compareTitle(w int) string {
	return m.chartTitle(w, fmt.Sprintf("Compare %d jobs", len(m.cmp.ids)))
}

// chartTitle is a comparison's title: the given name, the chart's switches
// and "live" while a job may still move.
func (m *Model) chartTitle(w int, title string) string {
	t := m.common.Theme
	c := m.cmp
	on := m.switchWord
	left := t.Title.Render(title)
	switches := []string{
		t.Muted.Render("L ") + on(!c.lr, "loss") + " " + on(c.lr, "learning rate"),
		m.axisSwitch("x", c.axis),
	}
	if !c.lr {
		switches = append(switches, t.Muted.Render("v ")+on(c.val, "val loss"))
	}
	left += "  " + strings.Join(switches, t.Muted.Render(" · "))
	right := ""
	if c.loaded && c.running() {
		right = t.JobActive.Render("● live")
	}
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 2 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

// colWidths sizes each job's column to its widest value, within bounds.
func (m *Model) colWidths() []int {
	c := m.cmp
	out := make([]int, len(c.jobs))
	for i, cj := range c.jobs {
		n := ansi.StringWidth(m.colHeader(i, cj))
		for _, r := range c.rows {
			n = max(n, ansi.StringWidth(m.cellText(r, i)))
		}
		out[i] = max(cmpColMin, min(cmpColMax, n))
	}
	return out
}

// colHeader is a job's column title: its number (its colour and mark in
// the chart) and its name.
func (m *Model) colHeader(i int, cj model.ComparedJob) string {
	return fmt.Sprintf("%d %s", i+1, cj.Name)
}

// cellText is a row's value for job i; the status carries its badge.
func (m *Model) cellText(r model.CompareRow, i int) string {
	if r.Key == "status" {
		cj := m.cmp.jobs[i]
		s := badgeText(cj.Status)
		if !cj.Status.Final() && cj.Status != model.JobQueued {
			s += fmt.Sprintf(" %.0f%%", cj.Progress)
		}
		return s
	}
	return r.Values[i]
}

// visibleCols is the job columns that fit beside the labels from the
// first one scrolled to (at least one, cut if it must be).
func (m *Model) visibleCols(w int, widths []int) (from, to int) {
	c := m.cmp
	c.col = max(0, min(c.col, len(widths)-1))
	used := m.labelWidth(w)
	to = c.col
	for to < len(widths) && (to == c.col || used+widths[to]+cmpGap <= w) {
		used += widths[to] + cmpGap
		to++
	}
	return c.col, to
}

// labelWidth is the label column's width: narrower on a narrow screen.
func (m *Model) labelWidth(w int) int { return max(10, min(cmpLabelWidth, w/3)) }

// compareTable draws the table in at most h lines of w: a header of job
// columns (saying which are shown when not all fit), then the rows that
// fit from the first scrolled to.
func (m *Model) compareTable(w, h int) []string {
	t := m.common.Theme
	c := m.cmp
	if h <= 0 {
		return nil
	}
	widths := m.colWidths()
	from, to := m.visibleCols(w, widths)
	lw := m.labelWidth(w)
	label := ""
	if from > 0 || to < len(widths) {
		label = fmt.Sprintf("◂ %d–%d of %d ▸", from+1, to, len(widths))
	}
	var head strings.Builder
	head.WriteString(t.Muted.Render(fitCell(label, lw, false)))
	for i := from; i < to; i++ {
		head.WriteString(m.seriesStyle(i).Bold(true).Render(fitCell(m.colHeader(i, c.jobs[i]), widths[i], false)))
		head.WriteString(strings.Repeat(" ", cmpGap))
	}
	out := []string{head.String()}

	room := h - 1
	c.row = max(0, min(c.row, len(c.rows)-room))
	rows := c.rows[c.row:]
	more := 0
	if len(rows) > room {
		more = len(rows) - (room - 1)
		rows = rows[:max(0, room-1)]
	}
	for _, r := range rows {
		out = append(out, m.tableRow(r, lw, widths, from, to))
	}
	if more > 0 && room > 0 {
		out = append(out, t.Muted.Render(fmt.Sprintf("  ↓ %d more rows · ↑/↓ scroll", more)))
	}
	return out
}

// tableRow draws one row: ≠ before a setting whose values differ, the
// values unlike the most common one in the difference style, the lowest
// loss in the best style, the status in its badge's colour.
func (m *Model) tableRow(r model.CompareRow, lw int, widths []int, from, to int) string {
	t := m.common.Theme
	gutter := "  "
	if r.Differs {
		gutter = "≠ "
	}
	var b strings.Builder
	lab := fitCell(gutter+r.Label, lw-1, false) + " "
	if r.Differs {
		b.WriteString(t.CompareDiff.Render(lab))
	} else {
		b.WriteString(t.Label.Render(lab))
	}
	for i := from; i < to; i++ {
		v := fitCell(m.cellText(r, i), widths[i], false)
		switch {
		case r.Key == "status":
			v = m.badgeStyle(m.cmp.jobs[i].Status).Render(v)
		case r.Unlike(i):
			v = t.CompareDiff.Render(v)
		case r.Best == i:
			v = t.CompareBest.Render(v)
		}
		b.WriteString(v)
		b.WriteString(strings.Repeat(" ", cmpGap))
	}
	return b.String()
}

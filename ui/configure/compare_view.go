package configure

import (
	"fmt"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/components/comparison"
	"brightrun/ui/components/estimatepanel"
	"brightrun/ui/format"
)

// compareChrome is the lines of the comparison page above its table: the
// screen header, a blank line and the legend.
const compareChrome = 3

// compareTableHeight is the lines the table may take.
func (m *Model) compareTableHeight() int { return max(6, m.common.Height-compareChrome) }

// compareColumns fits the columns to the width: the rate and the steps go
// first, then the count when it is the same on every row.
func (m *Model) compareColumns() []comparison.Column {
	w := m.common.Width
	cols := []comparison.Column{comparison.Mark, comparison.Preset, comparison.GPU}
	if m.cmp.all || w >= 90 {
		cols = append(cols, comparison.Count)
	}
	cols = append(cols, comparison.Cost, comparison.Time)
	if w >= 64 {
		cols = append(cols, comparison.CostPerEpoch)
	}
	if w >= 90 {
		cols = append(cols, comparison.Rate, comparison.Steps)
	}
	return cols
}

// compareView is the legend and the table: what is compared on which
// dataset, the marks, and the rows in their window.
func (m *Model) compareView() string {
	t := m.common.Theme
	c := &m.cmp
	if c.err != nil {
		return t.Muted.Render(wrap(c.err.Error(), m.common.Width))
	}
	span := fmt.Sprintf("at %d GPU%s", m.gpuCount(), estimatepanel.Plural(m.gpuCount()))
	if c.all {
		span = "at every count 1–8"
	}
	d := m.chosen
	line := ansi.Truncate(t.Strong.Render(d.Name)+t.Muted.Render(fmt.Sprintf(" · %s pairs · %s tok · %s",
		format.Thousands(int64(d.TotalTrainingPairs)), format.Thousands(d.TotalTokens), span)), m.common.Width, "…")
	tb := comparison.Table{
		Theme:    t,
		Columns:  m.compareColumns(),
		Rows:     c.rows,
		Cheapest: c.cheapest,
		Fastest:  c.fastest,
		Current:  m.isCurrent,
		Cursor:   c.cursor,
		Height:   m.compareTableHeight(),
		Offset:   c.offset,
		SortBy:   c.sortBy,
		Desc:     c.desc,
	}
	return line + "\n" + tb.Render()
}

// confirmView is the launch question beside the estimate it launches at,
// or the wait while the job is created.
func (m *Model) confirmView() string {
	t := m.common.Theme
	_, rightW, stacked := m.columns()
	left := m.ask.View()
	if m.mode == modeLaunching {
		left = t.Panel.Width(m.askWidth()).Render(t.Strong.Render("Launching…") + "\n" + t.Muted.Render("Creating the job on “"+m.chosen.Name+"”."))
	}
	result := m.resultView(rightW)
	if stacked {
		return left + "\n\n" + result
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, left, "  ", result)
}

// askWidth is the width of the launch question's panel.
func (m *Model) askWidth() int {
	leftW, _, stacked := m.columns()
	if stacked {
		return max(10, m.common.Width)
	}
	return max(10, min(50, leftW))
}

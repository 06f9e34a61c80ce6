package jobs

import (
	"fmt"
	"strings"

	"brightrun/model"
)

// Ranking layout: the columns after the run's label.
const (
	sweepLabelMin = 16
	sweepStatusW  = 15
	sweepLossW    = 9
	sweepCostW    = 9
)

// sweepView draws the sweep w × h: the title with the chart's switches,
// the chart of every run, and the ranking.
func (m *Model) sweepView(w, h int) string {
	c := m.cmp
	lines := []string{m.sweepTitle(w)}
	switch {
	case c.err != nil && !c.loaded:
		lines = append(lines, "", m.common.Theme.Error.Render("  Could not read the sweep: "+c.err.Error()),
			m.common.Theme.Muted.Render("  r tries again · esc goes back to the list"))
		return fitLines(lines, w, h)
	case !c.loaded:
		lines = append(lines, "", m.common.Theme.Muted.Render("  Loading the sweep’s runs…"))
		return fitLines(lines, w, h)
	}
	table := 1 + len(c.jobs)
	fixed := len(lines) + 2 + 1 // the x axis, a blank before the ranking
	rows := h - fixed - table
	if rows < cmpChartMin {
		rows = max(2, min(cmpChartMin, h-fixed-3))
	}
	lines = append(lines, m.compareChart(w, rows)...)
	lines = append(lines, "")
	lines = append(lines, m.sweepRanking(w, max(0, h-len(lines)))...)
	return fitLines(lines, w, h)
}

// sweepTitle is the sweep's name and size, the chart's switches and
// "live" while a run may still move.
func (m *Model) sweepTitle(w int) string {
	c := m.cmp
	return m.chartTitle(w, fmt.Sprintf("Sweep “%s” · %d runs", c.sweep.name, len(c.jobs)))
}

// sweepRanking draws the runs, best first, in at most h lines of w: a
// header, then the runs that fit around the cursor. The leader carries ★,
// the cursor ›.
func (m *Model) sweepRanking(w, h int) []string {
	t := m.common.Theme
	c := m.cmp
	if h <= 0 {
		return nil
	}
	labelW := max(sweepLabelMin, w-4-6-sweepStatusW-2*sweepLossW-sweepCostW-5*cmpGap)
	gap := strings.Repeat(" ", cmpGap)
	head := "    " + fitCell("RUN", 6, false) + fitCell("VALUES", labelW, false) + gap + fitCell("STATUS", sweepStatusW, false) + gap +
		fitCell("VAL BEST", sweepLossW, true) + gap + fitCell("VAL LAST", sweepLossW, true) + gap + fitCell("COST", sweepCostW, true)
	out := []string{t.Label.Render(fitCell(head, w, false))}
	ranked := c.ranked()
	s := c.sweep
	s.cursor = max(0, min(s.cursor, len(ranked)-1))
	room := h - 1
	first := max(0, min(s.cursor-room/2, len(ranked)-room))
	leader := c.leader()
	for pos := first; pos < len(ranked) && pos < first+room; pos++ {
		i := ranked[pos]
		cj := c.jobs[i]
		mark := "  "
		if i == leader {
			mark = "★ "
		}
		cursor := "  "
		if pos == s.cursor {
			cursor = t.RowCursor.Render("›") + " "
		}
		cost := cj.CurrentCost
		if cj.FinalCost != nil {
			cost = *cj.FinalCost
		}
		status := badgeText(cj.Status)
		if !cj.Status.Final() && cj.Status != model.JobQueued {
			status += fmt.Sprintf(" %.0f%%", cj.Progress)
		}
		row := cursor + mark + m.seriesStyle(i).Render(fitCell(fmt.Sprintf("%s %d", m.seriesSwatch(i), i+1), 6, false)) +
			fitCell(s.runLabel(cj.Name), labelW, false) + gap + m.badgeStyle(cj.Status).Render(fitCell(status, sweepStatusW, false)) + gap +
			m.lossCell(cj.BestValLoss, i == leader) + gap + m.lossCell(cj.FinalValLoss, false) + gap +
			fitCell(model.Dollars(cost), sweepCostW, true)
		out = append(out, row)
	}
	return out
}

// lossCell is a loss right-aligned, in the best style for the leader's.
func (m *Model) lossCell(v *float64, best bool) string {
	text := "—"
	if v != nil {
		text = fmt.Sprintf("%.4f", *v)
	}
	cell := fitCell(text, sweepLossW, true)
	if best {
		return m.common.Theme.CompareBest.Render(cell)
	}
	return cell
}

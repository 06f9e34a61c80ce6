package jobs

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/format"
)

// column is one column of the list: its title, its width (0 for the job's
// name, which takes what is left), whether numbers are right-aligned and
// whether it is the comparison marks.
type column struct {
	title string
	width int
	right bool
	mark  bool // the comparison marks
	cell  func(m *Model, j model.Job) string
}

// nameMin is the least the name column is given.
const nameMin = 12

// wideFrom is the width from which the list shows the GPUs and the
// progress and gives the dataset's name and the dates more room.
const wideFrom = 110

// columns are the ones the width has room for, sized for it.
func (m *Model) columns() []column {
	wide := m.common.Width >= wideFrom
	pick := func(narrow, w int) int {
		if wide {
			return w
		}
		return narrow
	}
	cols := []column{
		{title: "", width: 2, mark: true, cell: func(m *Model, j model.Job) string { return m.markCell(j) }},
		{title: "Job", cell: func(m *Model, j model.Job) string { return j.Name }},
		{title: "Dataset", width: pick(14, 18), cell: func(_ *Model, j model.Job) string { return datasetName(j) }},
		{title: "Format", width: 8, cell: func(_ *Model, j model.Job) string { return dash(j.DatasetFormat) }},
		{title: "Pairs", width: 6, right: true, cell: func(_ *Model, j model.Job) string { return pairs(j) }},
		{title: "Status", width: 14, cell: func(_ *Model, j model.Job) string { return badgeText(j.Status) }},
	}
	if wide {
		cols = append(cols,
			column{title: "GPUs", width: 12, cell: func(_ *Model, j model.Job) string {
				return fmt.Sprintf("%d×%s", j.GPUConfig.Count, j.GPUConfig.Type)
			}},
			column{title: "Done", width: 4, right: true, cell: func(_ *Model, j model.Job) string {
				return fmt.Sprintf("%.0f%%", j.Progress)
			}})
	}
	return append(cols,
		column{title: "Cost", width: pick(8, 9), right: true, cell: func(_ *Model, j model.Job) string { return cost(j) }},
		column{title: "Queued", width: pick(7, 10), cell: func(m *Model, j model.Job) string { return format.Age(m.common.Now(), j.QueuedAt) }},
	)
}

// layout sizes the columns to the width, the name taking what is left.
func (m *Model) layout() {
	cols := m.columns()
	used := 0
	for _, c := range cols {
		used += c.width + 1 // a space between cells
	}
	for i := range cols {
		if cols[i].width == 0 {
			cols[i].width = max(nameMin, m.common.Width-used)
		}
	}
	m.cols = cols
	m.scroll()
}

// scroll keeps the cursor among the rows drawn.
func (m *Model) scroll() {
	rows := m.fit()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = max(0, min(m.offset, len(m.jobs)-rows))
}

// headerLine is the columns' titles, numbers' titles right-aligned.
func (m *Model) headerLine() string {
	var b strings.Builder
	for _, c := range m.cols {
		b.WriteString(m.common.Theme.Strong.Render(fitCell(c.title, c.width, c.right)))
		b.WriteByte(' ')
	}
	return b.String()
}

// rowLine draws one job. The cursor's row is drawn whole in the cursor
// style; on the others the status badge carries its colour and the job
// created here its highlight.
func (m *Model) rowLine(i int) string {
	j := m.jobs[i]
	var b strings.Builder
	for _, c := range m.cols {
		v := fitCell(c.cell(m, j), c.width, c.right)
		if i != m.cursor {
			v = m.styleCell(c, j, v)
		}
		b.WriteString(v)
		b.WriteByte(' ')
	}
	if i == m.cursor {
		return m.common.Theme.RowCursor.Render(b.String())
	}
	return b.String()
}

// fitCell cuts or pads a plain value to a column's width.
func fitCell(v string, w int, right bool) string {
	n := ansi.StringWidth(v)
	if n > w {
		return ansi.Truncate(v, w, "…")
	}
	if right {
		return strings.Repeat(" ", w-n) + v
	}
	return v + strings.Repeat(" ", w-n)
}

// styleCell colours the status badge and the comparison mark, and
// marks the job created here.
func (m *Model) styleCell(c column, j model.Job, v string) string {
	if c.mark {
		return styled(m.common.Theme.RowMark, v)
	}
	switch c.title {
	case "Status":
		return m.badgeStyle(j.Status).Render(v)
	case "Job":
		if j.ID == m.fresh {
			return m.common.Theme.JobNew.Render(v)
		}
	}
	return v
}

// badgeText is a status with its mark, readable without colour.
func badgeText(s model.JobStatus) string {
	mark := map[model.JobStatus]string{
		model.JobQueued: "○", model.JobInitializing: "◌", model.JobRunning: "●", model.JobFinalizing: "◉",
		model.JobCompleted: "✓", model.JobFailed: "✗", model.JobCancelled: "–",
	}[s]
	if mark == "" {
		mark = "?"
	}
	return mark + " " + string(s)
}

// badgeStyle is the colour of a status.
func (m *Model) badgeStyle(s model.JobStatus) lipgloss.Style {
	t := m.common.Theme
	if st, ok := map[model.JobStatus]lipgloss.Style{
		model.JobQueued: t.JobQueued, model.JobCompleted: t.JobCompleted,
		model.JobFailed: t.JobFailed, model.JobCancelled: t.JobCancelled,
	}[s]; ok {
		return st
	}
	return t.JobActive // initializing, running, and what a newer schema adds
}

// datasetName is the joined dataset's name, or says it was deleted.
func datasetName(j model.Job) string {
	if j.DatasetName == "" {
		return "(deleted)"
	}
	return j.DatasetName
}

// pairs is the dataset's size, compact when it would not fit.
func pairs(j model.Job) string {
	switch n := j.DatasetPairs; {
	case n == 0 && j.DatasetName == "":
		return "—"
	case n >= 1_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 100_000:
		return fmt.Sprintf("%dk", n/1000)
	default:
		return format.Thousands(int64(n))
	}
}

// cost is what the job cost when it ended, what it has cost so far while
// it runs, or, before it starts, the estimate (with ~).
func cost(j model.Job) string {
	switch {
	case j.FinalCost != nil:
		return format.Money(*j.FinalCost)
	case j.Status == model.JobQueued:
		return "~" + format.Money(j.EstimatedTotalCost)
	}
	return format.Money(j.CurrentCost)
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

package datasets

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/format"
)

// column is one column of the list and how a dataset fills it.
type column struct {
	title string
	width int // 0: what the others leave (the name)
	right bool
	cell  func(m *Model, d model.Dataset) string
}

// wideFrom is the width from which the list shows the format and full
// numbers; below it counts are compact and the format waits for the report.
const wideFrom = 100

func (m *Model) columns() []column {
	n := func(v int64) string { return format.Thousands(v) }
	wide := m.common.Width >= wideFrom
	if !wide {
		n = format.Compact
	}
	created := 8
	if wide {
		created = 10
	}
	cols := []column{{title: "Name", cell: func(_ *Model, d model.Dataset) string { return d.Name }}}
	if wide {
		cols = append(cols, column{title: "Format", width: 8, cell: func(_ *Model, d model.Dataset) string { return dash(d.Format) }})
	}
	num := func(v int64, d model.Dataset) string {
		if d.Status != model.DatasetReady && d.Status != model.DatasetError {
			return "—"
		}
		return n(v)
	}
	return append(cols,
		column{title: "Size", width: 10, right: true, cell: func(_ *Model, d model.Dataset) string {
			if d.FileSize == 0 {
				return "—"
			}
			return format.Bytes(d.FileSize)
		}},
		column{title: "Pairs", width: map[bool]int{true: 7, false: 6}[wide], right: true, cell: func(_ *Model, d model.Dataset) string {
			return num(int64(d.TotalTrainingPairs), d)
		}},
		column{title: "Tokens", width: map[bool]int{true: 11, false: 6}[wide], right: true, cell: func(_ *Model, d model.Dataset) string {
			return num(d.TotalTokens, d)
		}},
		column{title: "Status", width: 12, cell: func(m *Model, d model.Dataset) string { return statusText(d, m.spinner.View()) }},
		column{title: "Training", width: map[bool]int{true: 14, false: 8}[wide], cell: func(_ *Model, d model.Dataset) string {
			return trainingText(d, wide)
		}},
		column{title: "Created", width: created, cell: func(m *Model, d model.Dataset) string { return format.Age(m.common.Now(), d.CreatedAt) }},
	)
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// layoutTable sizes the columns to the width and the table to what the
// header and the panels under it leave.
func (m *Model) layoutTable() {
	cols := m.columns()
	fixed := 0
	for _, c := range cols {
		fixed += c.width + 1 // cells are padded one on the right
	}
	tc := make([]table.Column, len(cols))
	for i, c := range cols {
		w := c.width
		if w == 0 {
			w = max(8, m.common.Width-fixed-1)
		}
		title := c.title
		if c.right {
			title = fmt.Sprintf("%*s", w, title)
		}
		tc[i] = table.Column{Title: title, Width: w}
	}
	if cur := m.table.Cursor(); len(m.table.Columns()) != len(tc) {
		// The table draws rows by the columns' count: empty it while the
		// columns change, then put the rows and the cursor back.
		m.table.SetRows(nil)
		m.table.SetColumns(tc)
		m.table.SetRows(m.rows(cur))
		m.table.SetCursor(cur)
	}
	m.table.SetColumns(tc)
	m.table.SetWidth(m.common.Width)
	// The table is as tall as its rows, so the line about the selected
	// dataset and the panels sit right under them.
	m.table.SetHeight(max(2, min(len(m.shown)+1, m.common.Height-m.chromeHeight())))
	m.refreshRows()
}

// refreshRows rebuilds the table's cells: for the spinner's frame, a new
// cursor row (drawn plain, so its highlight is not broken by the badge's
// colour) or new data.
func (m *Model) refreshRows() {
	m.table.SetRows(m.rows(m.table.Cursor()))
}

// rows are the table's cells, the row at cur drawn plain.
func (m *Model) rows(cur int) []table.Row {
	cols := m.columns()
	widths := m.table.Columns()
	rows := make([]table.Row, len(m.shown))
	for i, d := range m.shown {
		row := make(table.Row, len(cols))
		for j, c := range cols {
			v := c.cell(m, d)
			if c.right && j < len(widths) {
				v = fmt.Sprintf("%*s", widths[j].Width, v)
			}
			if c.title == "Status" && i != cur {
				v = m.badgeStyle(d.Status).Render(v)
			}
			row[j] = v
		}
		rows[i] = row
	}
	return rows
}

// applyFilter keeps the datasets whose name holds the filter text, and
// the cursor on the same dataset when it is still shown.
func (m *Model) applyFilter() {
	var keep uuid.UUID
	if d, ok := m.selected(); ok {
		keep = d.ID
	}
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	m.shown = m.shown[:0]
	for _, d := range m.items {
		if q == "" || strings.Contains(strings.ToLower(d.Name), q) {
			m.shown = append(m.shown, d)
		}
	}
	cur := 0
	for i, d := range m.shown {
		if d.ID == keep {
			cur = i
		}
	}
	m.refreshRows()
	if len(m.shown) > 0 {
		m.table.SetCursor(cur)
		m.refreshRows()
	}
}

// handleLoaded takes a list load: the rows, the detail when its dataset
// changed, and the next poll while something is under way.
func (m *Model) handleLoaded(msg loadedMsg) tea.Cmd {
	if msg.seq != m.seq {
		return nil
	}
	m.loading = false
	m.loadErr = msg.err
	if msg.err != nil {
		return common.Err("load datasets", msg.err)
	}
	m.loaded = true
	m.items, m.total = msg.page.Datasets, msg.page.Total
	m.applyFilter()
	m.layoutTable()
	var cmds []tea.Cmd
	if m.mode == modeDetail {
		if d, ok := m.find(m.detail.id); ok && (d.Status != m.detail.d.Status || !d.UpdatedAt.Equal(m.detail.d.UpdatedAt)) {
			cmds = append(cmds, m.loadDetail(d.ID))
		}
	}
	for id := range m.tickets {
		if d, ok := m.find(id); ok && d.Status != model.DatasetUploading {
			// Confirmed from elsewhere (the CLI, another session).
			delete(m.tickets, id)
		}
	}
	return tea.Batch(append(cmds, m.armPoll(), m.spin())...)
}

// counts is the header's summary: "4 datasets · 1 validating · 1 error ·
// 1 not training-ready".
func (m *Model) counts() string {
	by := map[model.DatasetStatus]int{}
	untrainable := 0
	for _, d := range m.items {
		by[d.Status]++
		if d.Status == model.DatasetReady && !d.TrainingReady {
			untrainable++
		}
	}
	s := fmt.Sprintf("%d dataset", m.total)
	if m.total != 1 {
		s += "s"
	}
	for _, st := range []model.DatasetStatus{model.DatasetUploading, model.DatasetValidating, model.DatasetError} {
		if by[st] > 0 {
			s += fmt.Sprintf(" · %d %s", by[st], st)
		}
	}
	if untrainable > 0 {
		s += fmt.Sprintf(" · %d not training-ready", untrainable)
	}
	return s
}

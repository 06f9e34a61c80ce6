package datasets

import (
	"encoding/json"
	"fmt"
	"strconv"

	"charm.land/bubbles/v2/table"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/model/dataset"
	"brightrun/ui/common"
	"brightrun/ui/format"
	"brightrun/ui/theme"
)

// detail is one dataset's whole report in a viewport: the summary, the
// errors and warnings in a table that n and N step through, the counts by
// code, the token-length histogram and the samples.
type detail struct {
	id      uuid.UUID
	d       model.Dataset // the list's row until the full read arrives
	report  *dataset.Report
	bad     error // the report could not be decoded
	loading bool
	seq     int

	vp     viewport.Model
	issues table.Model
	rows   []dataset.Issue // errors first, then warnings, as the table lists them
	errN   int             // how many of rows are errors
	// tableTop is the content line where the issues table starts, so n and
	// N can bring it into view.
	tableTop int
}

// issueRows is how many issues the table shows at once; n and N scroll it.
const issueRows = 8

// detailHeader is the lines above the viewport: name and badge, facts,
// and a rule.
const detailHeader = 3

func newDetail() detail {
	vp := viewport.New()
	vp.KeyMap.HalfPageDown.SetKeys("ctrl+d")
	vp.KeyMap.HalfPageUp.SetKeys("ctrl+u")
	vp.KeyMap.PageDown.SetKeys("pgdown", "space", "f")
	vp.KeyMap.PageUp.SetKeys("pgup", "b")
	vp.KeyMap.Left.Unbind()
	vp.KeyMap.Right.Unbind()
	return detail{vp: vp, issues: table.New()}
}

func (d *detail) applyTheme(t *theme.Theme) {
	d.issues.SetStyles(t.Table())
}

func (d *detail) resize(m *Model) {
	d.vp.SetWidth(m.common.Width)
	d.vp.SetHeight(max(1, m.common.Height-detailHeader))
	d.render(m)
}

func (d *detail) issueCount() int { return len(d.rows) }

// openDetail shows a dataset's report, reading it in a command.
func (m *Model) openDetail(ds model.Dataset) tea.Cmd {
	m.mode = modeDetail
	d := &m.detail
	if d.id != ds.ID {
		*d = detail{vp: d.vp, issues: d.issues, seq: d.seq}
		d.issues.SetRows(nil)
		d.vp.SetYOffset(0)
	}
	d.id, d.d = ds.ID, ds
	d.render(m)
	return m.loadDetail(ds.ID)
}

// handleDetail takes a read of the dataset shown.
func (m *Model) handleDetail(msg detailMsg) tea.Cmd {
	d := &m.detail
	if msg.seq != d.seq {
		return nil
	}
	d.loading = false
	if msg.err != nil {
		return common.Err("read dataset", msg.err)
	}
	if msg.d.ID != d.id {
		return nil
	}
	d.d, d.report, d.bad = msg.d, nil, nil
	if len(msg.d.ValidationReport) > 0 && string(msg.d.ValidationReport) != "{}" {
		var r dataset.Report
		if err := json.Unmarshal(msg.d.ValidationReport, &r); err != nil {
			d.bad = err
		} else {
			d.report = &r
		}
	}
	d.setIssues(m)
	d.render(m)
	return m.spin()
}

// setIssues fills the table from the report, keeping the cursor's place.
func (d *detail) setIssues(m *Model) {
	d.rows, d.errN = nil, 0
	if d.report != nil {
		d.rows = append(append(d.rows, d.report.Errors...), d.report.Warnings...)
		d.errN = len(d.report.Errors)
	}
	w := m.common.Width
	lineW, codeW := 7, 20
	msgW := max(10, w-lineW-codeW-3)
	d.issues.SetColumns([]table.Column{{Title: "   Line", Width: lineW}, {Title: "Code", Width: codeW}, {Title: "Message", Width: msgW}})
	rows := make([]table.Row, len(d.rows))
	for i, is := range d.rows {
		rows[i] = table.Row{fmt.Sprintf("%7s", format.Thousands(int64(is.Line))), string(is.Code), is.Message}
	}
	d.issues.SetRows(rows)
	d.issues.SetWidth(w)
	d.issues.SetHeight(min(len(rows), issueRows) + 1)
	if d.issues.Cursor() < 0 && len(rows) > 0 {
		d.issues.SetCursor(0)
	}
}

// updateDetail handles the detail's keys; scrolling is the viewport's.
func (m *Model) updateDetail(k tea.KeyPressMsg) tea.Cmd {
	d := &m.detail
	switch {
	case matches(k, m.keys.Back):
		m.mode = modeList
		return nil
	case matches(k, m.keys.Next):
		d.step(m, 1)
		return nil
	case matches(k, m.keys.Prev):
		d.step(m, -1)
		return nil
	case matches(k, m.keys.Reload):
		return tea.Batch(m.loadDetail(d.id), m.load(true))
	case matches(k, m.keys.Delete):
		return m.askDelete(d.d)
	case matches(k, m.keys.Revalidate):
		return m.revalidate(d.d)
	case matches(k, m.keys.Clean):
		return m.clean(d.d)
	case matches(k, m.keys.Train):
		return m.train(d.d)
	case matches(k, m.keys.Confirm):
		if d.d.Status == model.DatasetUploading {
			return m.confirm([]model.Dataset{d.d}, true)
		}
		return nil
	case k.String() == "g" || k.String() == "home":
		d.vp.GotoTop()
		return nil
	case k.String() == "G" || k.String() == "end":
		d.vp.GotoBottom()
		return nil
	}
	var cmd tea.Cmd
	d.vp, cmd = d.vp.Update(k)
	return cmd
}

// step moves to the next (or previous) issue, round the end, and scrolls
// the table into view.
func (d *detail) step(m *Model, by int) {
	n := len(d.rows)
	if n == 0 {
		return
	}
	// The table's own moves keep its window on the cursor; SetCursor
	// would not scroll it.
	switch cur := d.issues.Cursor(); {
	case by > 0 && cur >= n-1:
		d.issues.GotoTop()
	case by > 0:
		d.issues.MoveDown(1)
	case cur <= 0:
		d.issues.GotoBottom()
	default:
		d.issues.MoveUp(1)
	}
	d.render(m)
	bottom := d.tableTop + d.issues.Height() + 3
	if d.tableTop < d.vp.YOffset() || bottom > d.vp.YOffset()+d.vp.Height() {
		d.vp.SetYOffset(d.tableTop)
	}
}

// position is "issue 3 of 12 (error)" for the line under the table.
func (d *detail) position() string {
	i := d.issues.Cursor()
	if i < 0 || i >= len(d.rows) {
		return ""
	}
	kind := "warning"
	if i < d.errN {
		kind = "error"
	}
	return "issue " + strconv.Itoa(i+1) + " of " + strconv.Itoa(len(d.rows)) + " (" + kind + ")"
}

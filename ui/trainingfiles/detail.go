package trainingfiles

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/table"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/barchart"
	"brightrun/ui/format"
)

// detail is one training file: its stats, the distributions of its
// conversations by persona, arc and tier, and the conversations in order.
type detail struct {
	common *common.Common
	row    model.TrainingFile // from the list, shown until the detail loads
	data   *engine.TrainingFileDetail
	err    error
	table  table.Model

	width, height int
}

// detailMsg is a loaded training file.
type detailMsg struct {
	id     uuid.UUID
	detail engine.TrainingFileDetail
	err    error
}

func newDetail(c *common.Common, tf model.TrainingFile) *detail {
	d := &detail{common: c, row: tf, table: newTable(common.NewListKeys())}
	d.applyTheme()
	d.setSize(c.Width, c.Height)
	return d
}

func (d *detail) applyTheme() { d.table.SetStyles(d.common.Theme.Table()) }

// file is the training file shown, as fresh as loaded.
func (d *detail) file() model.TrainingFile {
	if d.data != nil {
		return d.data.TrainingFile
	}
	return d.row
}

// current is the highlighted conversation.
func (d *detail) current() (model.Conversation, bool) {
	if d.data == nil {
		return model.Conversation{}, false
	}
	i := d.table.Cursor()
	if i < 0 || i >= len(d.data.Conversations) {
		return model.Conversation{}, false
	}
	return d.data.Conversations[i], true
}

// chartBars is how many bars each chart shows: more when there is room.
func (d *detail) chartBars() int {
	if d.height >= 30 {
		return 6
	}
	return 4
}

// topHeight is the lines above the conversations: three of facts, a
// blank, the charts with their titles, a blank.
func (d *detail) topHeight() int { return 3 + 1 + 1 + d.chartBars() + 1 }

func (d *detail) setSize(w, h int) {
	d.width, d.height = w, h
	d.layout()
}

// layout fits the conversations' columns to the width and fills the rows,
// keeping the cursor.
func (d *detail) layout() {
	w := max(1, d.width)
	cols := []table.Column{{Title: "#", Width: 3}, {Title: "Title"}, {Title: "Persona", Width: 13}, {Title: "Arc", Width: 13},
		{Title: "Tier", Width: 9}, {Title: "Pairs", Width: 6}, {Title: "Q", Width: 4}}
	if w < 100 {
		cols = append(cols[:3], cols[4:]...) // the arc goes first
	}
	used := 0
	for _, c := range cols {
		used += c.Width + 1
	}
	cols[1].Width = max(8, w-used-1)
	var rows []table.Row
	if d.data != nil {
		for i, c := range d.data.Conversations {
			r := table.Row{right(strconv.Itoa(i+1), 3), c.Title, c.Persona, c.EmotionalArc, c.Tier,
				right(strconv.Itoa(c.PairCount), 6), right(quality(c.QualityScore), 4)}
			if w < 100 {
				r = append(r[:3], r[4:]...)
			}
			rows = append(rows, r)
		}
	}
	cursor := d.table.Cursor()
	d.table.SetColumns(cols)
	d.table.SetRows(rows)
	d.table.SetWidth(w)
	d.table.SetHeight(max(2, d.height-d.topHeight()))
	d.table.SetCursor(max(0, cursor))
}

func quality(q *float64) string {
	if q == nil {
		return "–"
	}
	return strconv.FormatFloat(*q, 'f', 1, 64)
}

// loaded takes a fetched detail in, reporting whether it was for this file.
func (d *detail) loaded(msg detailMsg) bool {
	if msg.id != d.row.ID {
		return false
	}
	d.err = msg.err
	if msg.err == nil {
		d.data = &msg.detail
		d.row = msg.detail.TrainingFile
		d.layout()
	}
	return true
}

// view draws the facts, the three charts side by side, and the table.
func (d *detail) view(spin, working string) string {
	t := d.common.Theme
	w := max(1, d.width)
	f := d.file()
	title := t.Title.Render(ansi.Truncate(f.Name, max(1, w-20), "…"))
	right := ""
	if working != "" {
		right = spin + " " + t.Muted.Render(working+"…")
	}
	gap := max(1, w-lipgloss.Width(title)-lipgloss.Width(right))
	desc := f.Description
	if desc == "" {
		desc = "No description."
	}
	stats := format.Count(f.ConversationCount, "conversation", "conversations") + " · " + format.Count(f.TotalTrainingPairs, "pair", "pairs") +
		" · " + format.Thousands(f.TotalTokens) + " tokens"
	if f.BuiltAt != nil {
		stats += " · built " + format.Age(d.common.Now(), *f.BuiltAt) + " · JSONL " + format.DecimalBytes(f.JSONLFileSize) + " · JSON " + format.DecimalBytes(f.JSONFileSize)
	} else {
		stats += " · not built (b builds it)"
	}
	lines := []string{
		title + strings.Repeat(" ", gap) + right,
		t.Muted.Render(ansi.Truncate(desc, w, "…")),
		ansi.Truncate(stats, w, "…"),
		"",
	}
	switch {
	case d.err != nil:
		lines = append(lines, t.Error.Render("Could not load this training file"), t.Muted.Render(ansi.Truncate(d.err.Error(), w, "…")))
	case d.data == nil:
		lines = append(lines, spin+" "+t.Muted.Render("Loading conversations…"))
	default:
		lines = append(lines, d.charts(), "", d.tableView())
	}
	return strings.Join(lines, "\n")
}

// charts draws the persona, arc and tier distributions side by side.
func (d *detail) charts() string {
	st := d.file().Stats
	colW := max(8, (d.width-4)/3)
	var charts []string
	for _, c := range []struct {
		title  string
		counts map[string]int
	}{{"Personas", st.Personas}, {"Emotional arcs", st.EmotionalArcs}, {"Tiers", st.Tiers}} {
		ch := barchart.New(d.common.Theme, c.title, colW)
		ch.Bars = barchart.FromCounts(c.counts)
		ch.MaxBars = d.chartBars()
		block := ch.View()
		// Pad every chart to the same height so they line up.
		for n := strings.Count(block, "\n") + 1; n < d.chartBars()+1; n++ {
			block += "\n" + strings.Repeat(" ", colW)
		}
		charts = append(charts, block)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, charts[0], "  ", charts[1], "  ", charts[2])
}

func (d *detail) tableView() string {
	if len(d.data.Conversations) == 0 {
		return d.common.Theme.Empty.Render("  No conversations left: add some from the Conversations tab.")
	}
	return d.table.View()
}

package trainingfiles

import (
	"strings"

	"charm.land/bubbles/v2/table"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/components/listscreen"
	"brightrun/ui/format"
)

// previewLines is the rule and two lines under the list that describe the
// highlighted file; shown from previewMinHeight up.
const (
	previewLines     = 3
	previewMinHeight = 12
)

func (m *Model) showPreview() bool { return m.common.Height >= previewMinHeight && len(m.files) > 0 }

// listHeight is what the header line and the preview leave to the table.
func (m *Model) listHeight() int {
	h := m.common.Height - 1
	if m.showPreview() {
		h -= previewLines
	}
	return max(2, h)
}

// layoutList sizes the list's columns to the width and fills its rows.
func (m *Model) layoutList() {
	w := max(1, m.common.Width)
	fixed := []table.Column{{Title: "Convs", Width: 6}, {Title: "Pairs", Width: 6}, {Title: "Tokens", Width: 10}, {Title: "Built", Width: 10}}
	used := 0
	for _, c := range fixed {
		used += c.Width + 1
	}
	nameW := max(8, w-used-1)
	m.table.SetColumns(append([]table.Column{{Title: "Name", Width: nameW}}, fixed...))
	rows := make([]table.Row, len(m.files))
	for i, f := range m.files {
		rows[i] = table.Row{f.Name, right(format.Thousands(int64(f.ConversationCount)), 6),
			right(format.Thousands(int64(f.TotalTrainingPairs)), 6), right(format.Thousands(f.TotalTokens), 10), m.built(f)}
	}
	m.table.SetRows(rows)
	m.table.SetWidth(w)
	m.table.SetHeight(m.listHeight())
	// An empty table leaves its cursor at -1; put it back on the first row.
	m.table.SetCursor(max(0, m.table.Cursor()))
}

func right(s string, w int) string { return strings.Repeat(" ", max(0, w-len(s))) + s }

// built says when the file was last built, or that it was not.
func (m *Model) built(f model.TrainingFile) string {
	if f.BuiltAt == nil {
		return "not built"
	}
	return format.Age(m.common.Now(), *f.BuiltAt)
}

// View draws the list or the detail, with a question over it when open.
func (m *Model) View() string { return m.common.Fit(m.view) }

func (m *Model) view() string {
	w := m.common.Width
	var out string
	switch {
	case m.prompt != nil:
		out = m.header() + "\n\n" + lipgloss.PlaceHorizontal(w, lipgloss.Center, m.prompt.View())
	case m.confirm != nil:
		out = m.header() + "\n\n" + lipgloss.PlaceHorizontal(w, lipgloss.Center, m.confirm.View())
	case m.detail != nil:
		out = m.detail.view(m.spinner.View(), m.working)
	default:
		out = m.header() + "\n" + m.listBody()
	}
	return out
}

// header is the screen's title and counts, with what is being done.
func (m *Model) header() string {
	t := m.common.Theme
	left := t.Title.Render("Training files")
	if m.loaded {
		pairs := 0
		for _, f := range m.files {
			pairs += f.TotalTrainingPairs
		}
		left += "  " + t.Muted.Render(format.Counted(len(m.files), "file")+" · "+format.Thousands(int64(pairs))+" pairs")
	}
	right := ""
	switch {
	case m.working != "":
		right = m.spinner.View() + " " + t.Muted.Render(m.working+"…")
	case m.loading && m.loaded:
		right = m.spinner.View() + " " + t.Muted.Render("reloading")
	}
	return listscreen.HeaderLine(m.common.Width, left, right)
}

// listBody is the table and the preview, or the loading, error or empty
// state.
func (m *Model) listBody() string {
	p := listscreen.Placeholder{Theme: m.common.Theme, Width: m.common.Width, Height: m.common.Height - 1}
	if s, ok := p.Unloaded(m.loaded, m.loadErr, m.spinner.View(), "training files"); ok {
		return s
	}
	if len(m.files) == 0 {
		return p.Empty("No training files yet", "In Conversations, select with space (or A), then n makes one.")
	}
	body := m.table.View()
	if m.showPreview() {
		body += "\n" + m.preview()
	}
	return body
}

// preview describes the highlighted file under the list.
func (m *Model) preview() string {
	t := m.common.Theme
	w := m.common.Width
	f, _ := m.selected()
	desc := f.Description
	if desc == "" {
		desc = "No description."
	}
	facts := "created " + f.CreatedAt.UTC().Format("2006-01-02 15:04")
	if f.BuiltAt != nil {
		facts += " · JSONL " + format.DecimalBytes(f.JSONLFileSize) + " · JSON " + format.DecimalBytes(f.JSONFileSize)
	}
	return strings.Join([]string{
		t.TabRule.Render(strings.Repeat("─", w)),
		"  " + ansi.Truncate(desc, max(1, w-2), "…"),
		"  " + t.Muted.Render(ansi.Truncate(facts, max(1, w-2), "…")),
	}, "\n")
}

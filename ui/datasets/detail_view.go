package datasets

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/model/dataset"
	"brightrun/ui/common"
	"brightrun/ui/format"
)

// labelW is the width of the labels down the left of the summary.
const labelW = 11

// sampleLines caps how many lines one message of a sample takes.
const sampleLines = 3

// detailView is the header (name, badge, facts) over the report.
func (m *Model) detailView() string {
	t := m.common.Theme
	w := m.common.Width
	d := m.detail.d
	left := t.Title.Render(ansi.Truncate(d.Name, max(8, w-16), "…"))
	right := m.badge(d.Status)
	if m.detail.loading && m.detail.report == nil {
		right = t.Spinner.Render(m.spinner.View()) + " " + t.Muted.Render("loading") + "  " + right
	}
	gap := max(1, w-lipgloss.Width(left)-lipgloss.Width(right))
	facts := []string{}
	if d.Format != "" {
		facts = append(facts, d.Format)
	}
	if d.FileSize > 0 {
		facts = append(facts, format.Bytes(d.FileSize))
	}
	if d.Status == model.DatasetReady || d.Status == model.DatasetError {
		facts = append(facts, format.Thousands(int64(d.TotalTrainingPairs))+" pairs", format.Thousands(d.TotalTokens)+" tokens")
	}
	if d.UploadVia != "" {
		// How the upload waits: a client sending, or a URL awaiting its file.
		if st := d.UploadState(m.common.Now()); st != "" {
			facts = append(facts, st)
		}
	}
	if r, ok := d.Cleaned(); ok {
		facts = append(facts, "clean copy: "+format.Counted(r.Dropped, "line")+" dropped")
	}
	facts = append(facts, "created "+format.Age(m.common.Now(), d.CreatedAt), d.FileName)
	lines := []string{
		left + strings.Repeat(" ", gap) + right,
		t.Muted.Render(ansi.Truncate(strings.Join(facts, " · "), w, "…")),
		t.TabRule.Render(strings.Repeat("─", w)),
		m.detail.vp.View(),
	}
	return strings.Join(lines, "\n")
}

// render builds the report into the viewport. It runs when the data, the
// size or the selected issue change, never on a spinner frame.
func (d *detail) render(m *Model) {
	t := m.common.Theme
	w := max(20, m.common.Width)
	var out []string
	add := func(s ...string) {
		for _, x := range s {
			out = append(out, strings.Split(x, "\n")...)
		}
	}
	para := lipgloss.NewStyle().Width(w - 2).PaddingLeft(2)
	if d.d.Description != "" {
		add(para.Render(d.d.Description), "")
	}
	if d.d.ErrorMessage != "" {
		add(para.Render(t.Error.Render("✗ ")+d.d.ErrorMessage), "")
	}
	r := d.report
	switch {
	case r == nil && d.bad != nil:
		add(para.Render(t.Error.Render("The report could not be read: ") + d.bad.Error()))
	case r == nil && d.d.Status == model.DatasetValidating:
		add(para.Render("Validation is running in the background; the report appears here when it ends."))
	case r == nil && d.d.Status == model.DatasetUploading:
		add(d.waitingText(m)...)
	case r == nil && d.loading:
		add(para.Render(t.Muted.Render("Loading the report…")))
	case r == nil:
		add(para.Render(t.Muted.Render("No validation report for this dataset; r validates it again.")))
	default:
		add(d.summary(m, r)...)
		add("")
		d.tableTop = len(out)
		add(d.issuesSection(m, r)...)
		add("")
		add(d.countsSection(m, r)...)
		add("")
		add(histogramSection(m, r)...)
		add("")
		add(samplesSection(m, r)...)
	}
	d.vp.SetContent(strings.Join(out, "\n"))
}

// waitingText is what an uploading dataset's report says: the curl line
// when this session handed out its URL, else how to nudge it.
func (d *detail) waitingText(m *Model) []string {
	t := m.common.Theme
	w := m.common.Width
	para := lipgloss.NewStyle().Width(w - 2).PaddingLeft(2)
	tk, ok := m.tickets[d.d.ID]
	if !ok {
		return []string{para.Render("Waiting for the file. An upload from here shows its progress on the list; " +
			"for one from elsewhere, c checks whether the file arrived.")}
	}
	return []string{
		para.Render("Waiting for the file, uploaded from elsewhere with:"),
		t.CodeRule.Render(strings.Repeat("─", w)),
		t.Code.Render(common.HardWrap(tk.Curl, w)),
		t.CodeRule.Render(strings.Repeat("─", w)),
		para.Render(t.Muted.Render("Checked every few seconds; the URL is valid until " + format.ClockUTC(tk.ExpiresAt) + ".")),
	}
}

// field is one "Label      value" line of the summary, the value wrapped
// under itself.
func field(m *Model, label, value string) string {
	t := m.common.Theme
	v := lipgloss.NewStyle().Width(max(10, m.common.Width-labelW-2)).Render(value)
	return lipgloss.JoinHorizontal(lipgloss.Top, "  "+t.Label.Render(fmt.Sprintf("%-*s", labelW, label)), v)
}

func (d *detail) summary(m *Model, r *dataset.Report) []string {
	t := m.common.Theme
	n := func(v int) string { return format.Thousands(int64(v)) }
	ready := t.DatasetReady.Render("✓ training ready") + fmt.Sprintf(": %s valid examples and no errors", n(r.Valid))
	if !r.TrainingReady {
		why := fmt.Sprintf("%s errors", n(sum(r.ErrorCounts)))
		if sum(r.ErrorCounts) == 0 {
			why = fmt.Sprintf("only %s valid examples, %d needed", n(r.Valid), dataset.MinTrainingReady)
		}
		ready = t.DatasetFailed.Render("✗ not training ready") + ": " + why
	}
	lines := fmt.Sprintf("%s lines", n(r.Lines))
	if r.BlankLines > 0 {
		lines += fmt.Sprintf(" (%s blank)", n(r.BlankLines))
	}
	tk := r.Tokens
	return []string{
		t.Strong.Render("Summary"),
		field(m, "Shape", fmt.Sprintf("%s · %s · %s valid · %s%s", r.Shape, lines, n(r.Valid), format.Counted(r.Duplicates, "duplicate"), excludedText(r))),
		field(m, "Training", ready),
		field(m, "Tokens", fmt.Sprintf("%s in all · per example min %s · mean %s · p50 %s · p95 %s · max %s",
			format.Thousands(r.TotalTokens), n(tk.Min), format.Float(tk.Mean), n(tk.P50), n(tk.P95), n(tk.Max))),
		field(m, "Messages", fmt.Sprintf("per example min %d · mean %s · max %d", r.Messages.Min, format.Float(r.Messages.Mean), r.Messages.Max)),
	}
}

func sum(counts map[dataset.Code]int) int {
	s := 0
	for _, n := range counts {
		s += n
	}
	return s
}

// listed says how many of the counted issues the report lists.
func listed(kind string, shown, counted int) string {
	s := format.Thousands(int64(counted)) + " " + kind
	if counted != 1 {
		s += "s"
	}
	if shown < counted {
		s += fmt.Sprintf(" (first %d listed)", shown)
	}
	return s
}

func (d *detail) issuesSection(m *Model, r *dataset.Report) []string {
	t := m.common.Theme
	w := m.common.Width
	head := t.Strong.Render("Issues") + "  " + t.Muted.Render(listed("error", len(r.Errors), sum(r.ErrorCounts))+" · "+
		listed("warning", len(r.Warnings), sum(r.WarningCounts)))
	if len(d.rows) == 0 {
		return []string{head, "  " + t.Success.Render("No errors or warnings.")}
	}
	head += t.Muted.Render(" · n/N steps through them")
	out := []string{head, d.issues.View()}
	if i := d.issues.Cursor(); i >= 0 && i < len(d.rows) {
		is := d.rows[i]
		out = append(out, "  "+t.Muted.Render(d.position()+" · line "+format.Thousands(int64(is.Line))+" · "+string(is.Code)))
		out = append(out, lipgloss.NewStyle().Width(w-2).PaddingLeft(2).Render(is.Message))
	}
	return out
}

// countsSection lists every code met, errors then warnings, most first.
func (d *detail) countsSection(m *Model, r *dataset.Report) []string {
	t := m.common.Theme
	out := []string{t.Strong.Render("Counts by code")}
	type row struct {
		code dataset.Code
		n    int
	}
	sorted := func(c map[dataset.Code]int) []row {
		rows := make([]row, 0, len(c))
		for code, n := range c {
			rows = append(rows, row{code, n})
		}
		slices.SortFunc(rows, func(a, b row) int {
			if a.n != b.n {
				return b.n - a.n
			}
			return strings.Compare(string(a.code), string(b.code))
		})
		return rows
	}
	for _, g := range []struct {
		kind  string
		rows  []row
		style lipgloss.Style
	}{{"error", sorted(r.ErrorCounts), t.Error}, {"warning", sorted(r.WarningCounts), t.Warning}} {
		for _, x := range g.rows {
			out = append(out, fmt.Sprintf("  %-20s %9s  %s", x.code, format.Thousands(int64(x.n)), g.style.Render(g.kind)))
		}
	}
	if len(out) == 1 {
		out = append(out, "  "+t.Muted.Render("none"))
	}
	return out
}

// histogramSection draws the token-length histogram as bars scaled to the
// fullest bucket.
func histogramSection(m *Model, r *dataset.Report) []string {
	t := m.common.Theme
	out := []string{t.Strong.Render("Token lengths") + "  " + t.Muted.Render("valid examples by tokens per example")}
	h := r.TokenHistogram
	if len(h) == 0 {
		return append(out, "  "+t.Muted.Render("No histogram in this report; r validates the dataset again to get one."))
	}
	most := 0
	for _, b := range h {
		most = max(most, b.Count)
	}
	const labelCol, countCol = 12, 8
	barW := max(4, m.common.Width-labelCol-countCol-4)
	for _, b := range h {
		label := fmt.Sprintf("%*s", labelCol, edge(b.Min)+"–"+edge(b.Max))
		n := 0
		if most > 0 {
			n = (b.Count*barW + most - 1) / most
		}
		out = append(out, t.ChartLabel.Render(label)+"  "+t.ChartBar.Render(strings.Repeat("█", n))+" "+
			t.ChartValue.Render(format.Thousands(int64(b.Count))))
	}
	return out
}

// samplesSection shows the report's sample examples message by message.
func samplesSection(m *Model, r *dataset.Report) []string {
	t := m.common.Theme
	w := m.common.Width
	out := []string{t.Strong.Render("Samples") + "  " + t.Muted.Render(fmt.Sprintf("the first %d valid examples", len(r.Samples)))}
	if len(r.Samples) == 0 {
		return append(out, "  "+t.Muted.Render("none"))
	}
	const roleW = 12
	text := lipgloss.NewStyle().Width(max(10, w-roleW-6))
	for i, s := range r.Samples {
		for j, tr := range sampleTurns(s) {
			num := "    "
			if j == 0 {
				num = fmt.Sprintf("  %d ", i+1)
			}
			role := t.UserLabel
			if assistantRole(tr.role) {
				role = t.AssistantLabel
			}
			body := strings.Split(text.Render(strings.Join(strings.Fields(tr.text), " ")), "\n")
			if len(body) > sampleLines {
				body = body[:sampleLines]
				body[sampleLines-1] = ansi.Truncate(body[sampleLines-1], max(1, w-roleW-7), "") + "…"
			}
			out = append(out, lipgloss.JoinHorizontal(lipgloss.Top, t.Muted.Render(num),
				role.Render(fmt.Sprintf("%-*s", roleW, tr.role)), strings.Join(body, "\n")))
		}
	}
	return out
}

// excludedText is " · 3 assistant messages of weight 0" when there are any.
func excludedText(r *dataset.Report) string {
	if r.ExcludedByWeight == 0 {
		return ""
	}
	return " · " + format.Counted(r.ExcludedByWeight, "assistant message") + " of weight 0"
}

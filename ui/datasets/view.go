package datasets

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/components/listscreen"
	"brightrun/ui/format"
	"brightrun/ui/termtext"
)

// View draws the mode's screen, cut to the area the shell gave.
func (m *Model) View() string { return m.common.Fit(m.view) }

func (m *Model) view() string {
	var s string
	switch m.mode {
	case modeDetail:
		s = m.detailView()
	case modePick:
		s = m.pickerView()
	case modeName:
		s = m.nameView()
	case modeURLName:
		s = m.urlPromptView()
	case modeTicket:
		s = m.ticketView()
	case modeDelete:
		s = m.deleteView()
	default:
		s = m.listView()
	}
	return s
}

// chromeHeight is the list view's lines besides the table: the header,
// the filter, the rule and line about the selected dataset, the upload
// panel and the waiting URLs.
func (m *Model) chromeHeight() int {
	return m.framing() + 2
}

// framing is chromeHeight less what only a non-empty table has.
func (m *Model) framing() int {
	h := 1
	if m.filter.Active() || m.filter.Value() != "" {
		h++
	}
	if m.up != nil {
		h += 4
	}
	return h + min(len(m.tickets), 2)
}

// listView is the header and filter over the table (or the loading, error
// or empty state), then the upload panel and the URLs waiting for files.
func (m *Model) listView() string {
	t := m.common.Theme
	w, h := m.common.Width, m.common.Height
	parts := []string{m.header()}
	if m.filter.Active() {
		parts = append(parts, m.filter.View())
	} else if q := m.filter.Value(); q != "" {
		parts = append(parts, t.Muted.Render(ansi.Truncate("Filter “"+q+"”: "+format.Counted(len(m.shown), "dataset")+" shown · esc clears", w, "…")))
	}
	p := listscreen.Placeholder{Theme: t, Width: w, Height: h - m.framing()}
	switch {
	case len(m.items) == 0 && !m.loaded && m.loadErr == nil:
		parts = append(parts, p.Loading(t.Spinner.Render(m.spinner.View()), "datasets"))
	case len(m.items) == 0 && m.loadErr != nil:
		parts = append(parts, p.Failed("datasets", m.loadErr))
	case len(m.items) == 0:
		hint := "u uploads a JSONL file from this machine; U gives a URL to upload one from another."
		if m.common.Remote {
			hint = "u gives a URL and a curl line to upload a JSONL file from your machine."
		}
		parts = append(parts, p.Empty("No datasets yet", hint))
	case len(m.shown) == 0:
		parts = append(parts, p.Empty("No dataset matches the filter", "esc clears it"))
	default:
		parts = append(parts, m.table.View(), t.TabRule.Render(strings.Repeat("─", w)), m.selectedLine())
	}
	if m.up != nil {
		parts = append(parts, m.uploadPanel()...)
	}
	parts = append(parts, m.ticketLines()...)
	return strings.Join(parts, "\n")
}

// header is "Datasets  4 datasets · 1 validating" with the spinner at the
// right while a reload the operator asked for runs.
func (m *Model) header() string {
	t := m.common.Theme
	left := t.Title.Render(m.Title())
	if m.loaded {
		left += "  " + t.Muted.Render(m.counts())
	}
	right := ""
	if m.loading && m.loaded {
		right = t.Spinner.Render(m.spinner.View()) + " " + t.Muted.Render("reloading")
	}
	return listscreen.HeaderLine(m.common.Width, left, right)
}

// selectedLine says more about the dataset under the cursor: why it
// failed, what it is waiting for, or its description.
func (m *Model) selectedLine() string {
	t := m.common.Theme
	d, ok := m.selected()
	if !ok {
		return ""
	}
	var s string
	switch {
	case d.Status == model.DatasetError && d.ErrorMessage != "":
		s = t.DatasetFailed.Render("✗ ") + d.ErrorMessage
	case d.Status == model.DatasetReady && !d.TrainingReady:
		s = t.DatasetFailed.Render("✗ "+readyText(d)) + firstError(d) + t.Muted.Render(" · enter shows the report")
	case d.Status == model.DatasetUploading && m.up != nil && m.up.name == d.Name:
		s = t.Muted.Render("Uploading from here; esc cancels")
	case d.Status == model.DatasetUploading:
		s = t.Muted.Render("Waiting for its file; c checks whether it arrived")
	case d.Status == model.DatasetValidating:
		s = t.Muted.Render("Validating in the background; enter shows the report when it ends")
	case d.Description != "":
		s = d.Description
	default:
		s = t.Muted.Render(d.FileName + " · enter shows the report")
	}
	return ansi.Truncate(s, m.common.Width, "…")
}

// uploadPanel is the upload in flight: what, a bar, and how fast.
func (m *Model) uploadPanel() []string {
	t := m.common.Theme
	u := m.up
	w := m.common.Width
	title := "Uploading " + u.name
	hint := "esc cancels"
	if u.cancelling {
		title, hint = "Cancelling the upload of "+u.name, ""
	}
	left := t.Strong.Render(ansi.Truncate(title, max(8, w-len(hint)-2), "…"))
	gap := max(1, w-lipgloss.Width(left)-lipgloss.Width(hint))
	pct := " " + u.percent()
	u.bar.SetWidth(max(10, w-lipgloss.Width(pct)))
	return []string{
		t.TabRule.Render(strings.Repeat("─", w)),
		left + strings.Repeat(" ", gap) + t.Muted.Render(hint),
		u.bar.ViewAs(u.fraction()) + t.Strong.Render(pct) + "\n" + t.Muted.Render(ansi.Truncate(u.stats(), w, "…")),
	}
}

// ticketLines are the upload URLs of this session still waiting, two at
// most.
func (m *Model) ticketLines() []string {
	if len(m.tickets) == 0 {
		return nil
	}
	t := m.common.Theme
	var out []string
	for _, d := range m.items {
		tk, ok := m.tickets[d.ID]
		if !ok || len(out) == 2 {
			continue
		}
		left := tk.ExpiresAt.Sub(m.common.Now())
		out = append(out, ansi.Truncate(t.DatasetUploading.Render(m.spinner.View())+" "+
			t.Muted.Render("Waiting for the file of “"+d.Name+"” · URL valid "+format.Left(left)+" more"), m.common.Width, "…"))
	}
	return out
}

// deleteView asks before a dataset and its file go.
func (m *Model) deleteView() string {
	t := m.common.Theme
	d := m.deleting
	q := t.Error.Render("Delete “"+d.Name+"”?") + "\n\n" +
		"Its file goes from storage too (" + dash(bytesOrEmpty(d.FileSize)) + ").\nThis cannot be undone.\n\n" +
		t.Strong.Render("y") + " delete · " + t.Strong.Render("n") + " keep"
	box := t.Dialog.Render(q)
	return lipgloss.Place(m.common.Width, m.common.Height, lipgloss.Center, lipgloss.Center, box)
}

func bytesOrEmpty(n int64) string {
	if n == 0 {
		return ""
	}
	return format.Bytes(n)
}

// firstError is ": line 4: invalid_json: …" for a dataset with errors
// listed, else nothing.
func firstError(d model.Dataset) string {
	if first := d.FirstErrors(1); len(first) > 0 {
		return ": " + termtext.Line(first[0])
	}
	return ""
}

package notifications

import (
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/list"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/listscreen"
	"brightrun/ui/format"
)

// detailMinHeight is the screen height from which the selected notification's
// whole message is shown, wrapped, under the list; below it the list needs
// every line.
const (
	detailMinHeight = 16
	detailLines     = 5 // rule, up to three lines of message, action
)

func (m *Model) showDetail() bool {
	return m.common.Height >= detailMinHeight && len(m.items) > 0
}

// listHeight is what the header line and the detail pane leave to the list.
func (m *Model) listHeight() int {
	h := m.common.Height - 1
	if m.showDetail() {
		h -= detailLines
	}
	return max(1, h)
}

// View draws the header, then the list, the loading state or the empty
// state, then the detail pane.
func (m *Model) View() string {
	w, h := m.common.Width, m.common.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	p := listscreen.Placeholder{Theme: m.common.Theme, Width: w, Height: h - 1}
	var body string
	switch {
	case len(m.items) == 0 && !m.loaded && m.loadErr == nil:
		body = p.Loading(m.spinner.View(), "notifications")
	case len(m.items) == 0 && m.loadErr != nil:
		body = p.Failed("notifications", m.loadErr)
	case len(m.items) == 0:
		body = p.Empty("No notifications yet", "Jobs, datasets and imports post here when something happens.")
	default:
		body = m.list.View()
		if m.showDetail() {
			body = lipgloss.JoinVertical(lipgloss.Left, body, m.detailView())
		}
	}
	return lipgloss.NewStyle().MaxHeight(h).Render(lipgloss.JoinVertical(lipgloss.Left, m.header(), body))
}

// header is "Notifications  3 unread · 12 total" with the spinner at the
// right while a reload runs.
func (m *Model) header() string {
	t := m.common.Theme
	left := t.Title.Render(m.Title())
	if m.loaded {
		left += "  " + t.Muted.Render(fmt.Sprintf("%d unread · %d total", m.unread(), len(m.items)))
	}
	if m.list.FilterState() == list.FilterApplied {
		left += t.Muted.Render(fmt.Sprintf(" · %d shown for “%s”", len(m.list.VisibleItems()), m.list.FilterValue()))
	}
	right := ""
	if m.loading && m.loaded {
		right = m.spinner.View() + " " + t.Muted.Render("reloading")
	}
	return listscreen.HeaderLine(m.common.Width, left, right)
}

// detailView shows the selected notification's whole message, wrapped, and
// what it points at.
func (m *Model) detailView() string {
	t := m.common.Theme
	w := m.common.Width
	lines := []string{t.TabRule.Render(strings.Repeat("─", w))}
	it, ok := m.list.SelectedItem().(item)
	if ok {
		msg := lipgloss.NewStyle().Width(w - 2).PaddingLeft(2).Render(it.n.Message)
		msgLines := strings.Split(msg, "\n")
		if len(msgLines) > detailLines-2 {
			msgLines = msgLines[:detailLines-2]
			last := len(msgLines) - 1
			msgLines[last] = ansi.Truncate(msgLines[last], w-3, "") + "…"
		}
		lines = append(lines, msgLines...)
		for len(lines) < detailLines-1 {
			lines = append(lines, "")
		}
		lines = append(lines, "  "+t.Muted.Render(actionText(it.n)))
	}
	for len(lines) < detailLines {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func actionText(n model.Notification) string {
	created := n.CreatedAt.Format("2006-01-02 15:04")
	a := n.Action
	switch {
	case a.Label != "":
		return created + " · " + a.Label
	case a.Kind != "" && a.ID != "":
		return created + " · " + a.Kind + " " + a.ID
	default:
		return created
	}
}

// delegate draws one notification in two lines:
//
//	▌● Training finished                      job_completed · high · 3m ago
//	     Job support-v2 completed in 3.4 h; final cost $25.50.
//
// The bar marks the selection, the dot and bold mark unread, so both read
// without colour.
type delegate struct {
	common *common.Common
}

// Height, Spacing and Update satisfy list.ItemDelegate: two lines per
// notification, a blank between, no per-item keys (the screen has them).
func (d *delegate) Height() int                         { return 2 }
func (d *delegate) Spacing() int                        { return 1 }
func (d *delegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

// Render draws one notification; see the type's comment for the layout.
func (d *delegate) Render(w io.Writer, m list.Model, index int, li list.Item) {
	it, ok := li.(item)
	if !ok {
		return
	}
	t := d.common.Theme
	n := it.n
	width := m.Width()

	bar := "  "
	if index == m.Index() {
		bar = t.Cursor.Render("▌") + " "
	}
	dot, title := "  ", t.Read.Render(n.Title)
	if !n.Read {
		dot, title = t.Accent.Render("●")+" ", t.Unread.Render(n.Title)
	}
	meta := t.Muted.Render(n.Type+" · ") + priorityStyle(d.common, n.Priority).Render(n.Priority) +
		t.Muted.Render(" · "+format.Age(d.common.Now(), n.CreatedAt))

	room := width - 4 - lipgloss.Width(meta) - 1
	if room < 12 {
		// Too narrow for both: the title wins, the meta goes.
		meta, room = "", width-4
	}
	title = ansi.Truncate(title, room, "…")
	gap := max(1, width-4-lipgloss.Width(title)-lipgloss.Width(meta))
	line1 := bar + dot + title + strings.Repeat(" ", gap) + meta

	msg := strings.Join(strings.Fields(n.Message), " ")
	line2 := bar + "  " + t.Read.Render(ansi.Truncate(msg, max(1, width-4), "…"))
	if index != m.Index() {
		line2 = "    " + t.Muted.Render(ansi.Truncate(msg, max(1, width-4), "…"))
	}
	fmt.Fprint(w, line1+"\n"+line2)
}

func priorityStyle(c *common.Common, p string) lipgloss.Style {
	switch p {
	case model.PriorityHigh:
		return c.Theme.PriorityHigh
	case model.PriorityMedium:
		return c.Theme.PriorityMedium
	default:
		return c.Theme.PriorityLow
	}
}

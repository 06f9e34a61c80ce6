package app

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/engine"
	"brightrun/ui/common"
	"brightrun/ui/format"
)

// headerHeight is the tab bar and the rule under it.
const headerHeight = 2

// footerHeight is the status bar, the help or toast line, and the full help
// when it is open.
func (m *Model) footerHeight() int {
	h := 2
	if m.helpShown() {
		h += lipgloss.Height(m.fullHelpView()) + 1
	}
	return h
}

// View draws the whole screen in the alternate buffer, or, while a
// printout is shown, its line out of it.
func (m *Model) View() tea.View {
	if m.print.Active() {
		return m.print.View()
	}
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "brightrun · " + m.activeScreen().Title()
	return v
}

func (m *Model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	contentH := max(1, m.height-headerHeight-m.footerHeight())
	content := fitBox(m.activeScreen().View(), m.width, contentH)

	parts := []string{m.cachedTabBar(), m.cachedRule(), content}
	if m.helpShown() {
		parts = append(parts, m.cachedRule(), m.fullHelpView())
	}
	parts = append(parts, m.cachedStatusBar(), m.cachedHelpLine())
	return strings.Join(parts, "\n")
}

// fitBox cuts s to w × h cells: lines past h dropped, lines wider than w
// truncated, missing lines added. It measures each line once; the frame is
// drawn after every message (and per SSH session), and lipgloss's Height,
// MaxWidth and JoinVertical measured every line of it four times over.
// Lines are not padded to w: the renderer clears the frame anyway.
func fitBox(s string, w, h int) string {
	lines := strings.SplitN(s, "\n", h+1)
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if strings.IndexByte(l, '\t') >= 0 {
			l = strings.ReplaceAll(l, "\t", "    ")
		}
		lines[i] = common.Truncate(l, w, "")
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// tabBar is the program's name and one tab per screen, numbered for the
// jump keys; on a narrow terminal the inactive tabs shrink to their numbers.
func (m *Model) tabBar() string {
	t := m.common.Theme
	brand := t.Brand.Render("brightrun")
	right := ""
	if where := m.where(); where != "" {
		right = t.Muted.Render(where) + " "
	}
	for _, compact := range []bool{false, true} {
		tabs := make([]string, len(m.screens))
		for i, s := range m.screens {
			tabs[i] = m.tab(i, s, compact && i != m.active)
		}
		bar := strings.Join(tabs, "")
		for _, withBrand := range []bool{true, false} {
			line := bar
			if withBrand {
				line = brand + " " + bar
			}
			if gap := m.width - lipgloss.Width(line) - lipgloss.Width(right); gap >= 0 {
				return line + strings.Repeat(" ", gap) + right
			}
			if lipgloss.Width(line) <= m.width {
				return line
			}
		}
	}
	return ansi.Truncate(m.tab(m.active, m.activeScreen(), false), m.width, "…")
}

// where is the session's context at the right of the tab bar: over SSH
// the operator and the server ("ssh · alice@host"), since the engine's
// mode ("local") would name the server's data, not where the user sits;
// locally the mode ("local" or "shared").
func (m *Model) where() string {
	if !m.common.Remote {
		return m.status.Mode
	}
	who := m.common.User.Name
	if m.opts.Host != "" {
		who += "@" + m.opts.Host
	}
	return "ssh · " + who
}

func (m *Model) tab(i int, s common.Screen, compact bool) string {
	t := m.common.Theme
	label := strconv.Itoa(i + 1)
	if !compact {
		label += " " + s.Title()
	}
	badge := ""
	if b, ok := s.(common.Badger); ok {
		if v := b.Badge(); v != "" {
			badge = " (" + v + ")"
		}
	}
	if i == m.active {
		return t.TabActive.Render(label + badge)
	}
	if badge != "" {
		return t.TabInactive.Render(label) + t.TabBadge.Render(strings.TrimSpace(badge)) + " "
	}
	return t.TabInactive.Render(label)
}

// statusBar shows who is signed in and how the services are doing:
// "alice │ pg ✓ 16.4 │ s3 ✓ 127.0.0.1:7070 │ /data/dir". The data dir gives
// way first when space is short, then the endpoint.
func (m *Model) statusBar() string {
	t := m.common.Theme
	sep := t.StatusSep.Render(" │ ")
	user := t.StatusUser.Render(" " + m.common.User.Name)
	pg := m.service("pg", m.status.Postgres, m.status.Postgres.Version)
	s3 := m.service("s3", m.status.S3, m.status.S3.Endpoint)
	segs := []string{user, pg, s3}
	if b := m.status.Budget; b != nil {
		segs = append(segs, t.StatusDim.Render("budget ")+t.StatusBar.Render(format.BudgetLine(*b)))
	}
	if dir := m.status.DataDir; dir != "" {
		used := lipgloss.Width(strings.Join(segs, sep)) + lipgloss.Width(sep) + 1
		if room := m.width - used; room >= 10 {
			segs = append(segs, t.StatusDim.Render(format.PathEnd(dir, room)))
		}
	}
	line := ansi.Truncate(strings.Join(segs, sep), m.width, "…")
	return t.StatusBar.Width(m.width).Render(line)
}

// service renders one backing service: a tick and its detail, a cross and
// its error, or a spinner until the first answer.
func (m *Model) service(name string, st engine.ServiceState, detail string) string {
	t := m.common.Theme
	label := t.StatusDim.Render(name + " ")
	switch {
	case !m.statusKnown:
		return label + m.spinner.View()
	case st.OK:
		s := label + t.StatusOK.Render("✓")
		if detail != "" {
			s += t.StatusBar.Render(" " + ansi.Truncate(detail, 24, "…"))
		}
		return s
	default:
		msg := st.Error
		if msg == "" {
			msg = "down"
		}
		return label + t.StatusBad.Render("✗ "+ansi.Truncate(msg, 32, "…"))
	}
}

// helpLine is the toast while one shows, else the short help.
func (m *Model) helpLine() string {
	t := m.common.Theme
	if !m.ending.At.IsZero() {
		left := max(0, m.ending.At.Sub(m.common.Now())).Round(time.Second)
		return t.ToastError.Render(ansi.Truncate(" ⚠ "+m.ending.Reason+": this session closes in "+left.String(), m.width, "…"))
	}
	if m.toast.text != "" {
		if m.toast.isErr {
			return t.ToastError.Render(ansi.Truncate(" ✗ "+m.toast.text, m.width, "…"))
		}
		return t.ToastInfo.Render(ansi.Truncate(" ✓ "+m.toast.text, m.width, "…"))
	}
	// The help bubble overruns its width when not even its ellipsis fits,
	// so cut the line here as well.
	return ansi.Truncate(" "+m.help.ShortHelpView(m.shortHelp()), m.width, "…")
}

// helpShown reports whether the full help is open and the terminal has room
// for it beside the bars and a line of the screen.
func (m *Model) helpShown() bool {
	return m.showHelp && m.height >= headerHeight+2+3
}

// fullHelpView is the help columns, cut to leave the bars and at least one
// line of the screen on a small terminal.
func (m *Model) fullHelpView() string {
	room := max(1, m.height-headerHeight-2-2) // bars, rule, one screen line
	return lipgloss.NewStyle().PaddingLeft(1).MaxWidth(m.width).MaxHeight(room).
		Render(m.help.FullHelpView(m.fullHelp()))
}

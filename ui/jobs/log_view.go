package jobs

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/common"
)

// logTitle is the log's heading: what it holds, then the search (its
// match and count, or that there is none) or the keys that reach it.
func (m *Model) logTitle(w int) string {
	t := m.common.Theme
	l := &m.live.log
	left := t.Strong.Render("Log")
	var parts []string
	if n := len(l.events); n > 0 {
		parts = append(parts, common.Counted(n, "event"))
	}
	if n := len(l.output) + l.dropped; n > 0 {
		parts = append(parts, common.Counted(n, "output line"))
	}
	if l.dropped > 0 {
		parts = append(parts, fmt.Sprintf("the first %s not shown", common.Thousands(int64(l.dropped))))
	}
	if len(parts) > 0 {
		left += "  " + t.Muted.Render(strings.Join(parts, " · "))
	}
	var right string
	switch {
	case l.query != "" && len(l.matchLines) == 0:
		right = t.Error.Render(fmt.Sprintf("no match for “%s”", l.query))
	case l.query != "":
		at := "–"
		if l.cur >= 0 {
			at = common.Thousands(int64(l.cur + 1))
		}
		right = t.Muted.Render(fmt.Sprintf("“%s” %s/%s · n/N · esc clears", l.query, at, common.Thousands(int64(len(l.matchLines)))))
	case !l.follow && len(l.lines) > 0:
		right = t.Muted.Render("scrolled · G to follow · / search")
	default:
		right = t.Muted.Render("/ search · z " + map[bool]string{true: "chart", false: "full view"}[l.zoom])
	}
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 2 {
		return ansi.Truncate(left, w, "…")
	}
	return left + strings.Repeat(" ", gap) + right
}

// logLines draws the log in h lines of w: the viewport, and the search
// being typed on the last line.
func (m *Model) logLines(w, h int) []string {
	t := m.common.Theme
	l := &m.live.log
	if l.typing {
		h--
	}
	var out []string
	if len(l.lines) == 0 {
		out = []string{t.Muted.Render("  none yet")}
	} else if h > 0 {
		l.vp.SetWidth(w)
		l.vp.SetHeight(h)
		if y := l.vp.YOffset(); l.follow || l.vp.PastBottom() {
			// Sized since the last lines came: the end stays in view.
			l.vp.GotoBottom()
			if l.vp.YOffset() != y {
				l.cur = nearestMatch(l.matchLines, l.vp.YOffset())
			}
		}
		out = strings.Split(l.vp.View(), "\n")
	}
	if l.typing {
		l.input.SetWidth(max(8, w-2))
		for len(out) < h {
			out = append(out, "")
		}
		out = append(out, l.input.View())
	}
	return out
}

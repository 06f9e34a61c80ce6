package listscreen

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"brightrun/ui/common"
)

// Nav is the cursor over Total rows, Height of them shown from Top. Rows
// are absolute (0 is the list's first row), whatever the screen holds.
type Nav struct {
	Cursor, Top int
	Total       int
	Height      int
}

// Target is where a list key sends the cursor: a row up or down, a page
// up or down, the first row (g) or the last (G). ok is false for any other
// key, and for every key while the list is empty.
func (n Nav) Target(k tea.KeyPressMsg, keys common.ListKeys) (row int, ok bool) {
	if n.Total == 0 {
		return 0, false
	}
	h := max(1, n.Height)
	switch {
	case key.Matches(k, keys.Up):
		row = n.Cursor - 1
	case key.Matches(k, keys.Down):
		row = n.Cursor + 1
	case key.Matches(k, keys.PageUp):
		row = n.Cursor - h
	case key.Matches(k, keys.PageDown):
		row = n.Cursor + h
	case key.Matches(k, keys.Top):
		row = 0
	case key.Matches(k, keys.Bottom):
		row = n.Total - 1
	default:
		return 0, false
	}
	return max(0, min(row, n.Total-1)), true
}

// Key moves the cursor by a list key and reports whether k was one. A page
// key scrolls the shown rows by a page as well, so the cursor keeps its
// place on the screen.
func (n *Nav) Key(k tea.KeyPressMsg, keys common.ListKeys) bool {
	row, ok := n.Target(k, keys)
	if !ok {
		return false
	}
	h := max(1, n.Height)
	switch {
	case key.Matches(k, keys.PageDown):
		n.Top = min(n.Top+h, max(0, n.Total-h))
	case key.Matches(k, keys.PageUp):
		n.Top = max(0, n.Top-h)
	}
	n.MoveTo(row)
	return true
}

// MoveTo puts the cursor on row i (clamped to the list) and scrolls the
// shown rows to hold it.
func (n *Nav) MoveTo(i int) {
	n.Cursor = i
	n.Clamp()
}

// Clamp keeps the cursor on a row and the shown rows around it, after the
// total or the height changed.
func (n *Nav) Clamp() {
	h := max(1, n.Height)
	n.Cursor = max(0, min(n.Cursor, n.Total-1))
	if n.Cursor < n.Top {
		n.Top = n.Cursor
	}
	if n.Cursor >= n.Top+h {
		n.Top = n.Cursor - h + 1
	}
	n.Top = max(0, min(n.Top, n.Total-h))
}

// Shown is the rows on screen: [Top, end).
func (n Nav) Shown() (from, to int) { return n.Top, min(n.Total, n.Top+max(1, n.Height)) }

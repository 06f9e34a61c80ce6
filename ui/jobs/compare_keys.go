package jobs

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// compareKey is a key in the comparison: the chart's switches, scrolling
// the table, reloading, and back to the list.
func (m *Model) compareKey(k tea.KeyPressMsg) tea.Cmd {
	c := m.cmp
	if c.sweep != nil {
		if cmd, ok := m.sweepKey(k); ok {
			return cmd
		}
	}
	switch {
	case key.Matches(k, m.keys.Back):
		m.closeCompare()
		return m.reloadIfStale()
	case key.Matches(k, m.keys.Val):
		c.val = !c.val
	case key.Matches(k, m.keys.LR):
		c.lr = !c.lr
	case key.Matches(k, m.keys.Axis):
		c.axis = 1 - c.axis
	case key.Matches(k, m.keys.ColLeft):
		c.col = max(0, c.col-1)
	case key.Matches(k, m.keys.ColRight):
		if _, to := m.visibleCols(m.common.Width, m.colWidths()); to < len(c.jobs) {
			c.col++
		}
	case key.Matches(k, m.keys.RowUp):
		c.row = max(0, c.row-1)
	case key.Matches(k, m.keys.RowDown):
		c.row++ // the view keeps it within the rows
	case key.Matches(k, m.keys.Reload):
		return m.loadCompare()
	}
	return nil
}

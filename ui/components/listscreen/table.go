package listscreen

import (
	"charm.land/bubbles/v2/table"

	"brightrun/ui/common"
)

// TableKeys is a table bubble's key map moved by the house's list keys:
// a row, a page (pgup/pgdn only, so ←/→ and b, f, u, d stay the screen's)
// and g/G the first and last row; no half pages.
func TableKeys(keys common.ListKeys) table.KeyMap {
	km := table.DefaultKeyMap()
	km.LineUp, km.LineDown = keys.Up, keys.Down
	km.PageUp, km.PageDown = keys.PageUp, keys.PageDown
	km.GotoTop, km.GotoBottom = keys.Top, keys.Bottom
	km.HalfPageUp.Unbind()
	km.HalfPageDown.Unbind()
	return km
}

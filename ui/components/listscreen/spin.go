package listscreen

import (
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
)

// Spin advances s on its own tick while the screen is busy; a tick of
// another spinner, or one that comes once nothing is under way, ends the
// loop so an idle screen schedules nothing.
func Spin(s *spinner.Model, msg spinner.TickMsg, busy bool) tea.Cmd {
	if msg.ID != s.ID() || !busy {
		return nil
	}
	var cmd tea.Cmd
	*s, cmd = s.Update(msg)
	return cmd
}

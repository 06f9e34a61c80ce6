package app

import (
	tea "charm.land/bubbletea/v2"

	"brightrun/ui/common"
)

// navigate follows a message that leads somewhere (a dataset to configure,
// a job to clone, a job just created): it activates the first screen that names the
// message as its own (common.Destination), then hands the message to every
// screen, so the destination acts on it after its ActivatedMsg.
func (m *Model) navigate(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i, s := range m.screens {
		if d, ok := s.(common.Destination); ok && d.Handles(msg) {
			cmds = append(cmds, m.activate(i))
			break
		}
	}
	return tea.Batch(append(cmds, m.broadcast(msg))...)
}

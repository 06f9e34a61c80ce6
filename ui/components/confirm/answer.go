package confirm

import tea "charm.land/bubbletea/v2"

// Answer reads a key and, once the question is answered, runs yes or no
// (nil: nothing to run) and reports done, for the caller to close the
// question. Until then it returns nil and false.
func (m *Model) Answer(msg tea.Msg, yes, no func() tea.Cmd) (cmd tea.Cmd, done bool) {
	var res Result
	*m, res = m.Update(msg)
	run := yes
	switch res {
	case Pending:
		return nil, false
	case No:
		run = no
	}
	if run == nil {
		return nil, true
	}
	return run(), true
}

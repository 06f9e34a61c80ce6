package app

import (
	tea "charm.land/bubbletea/v2"

	"brightrun/engine"
)

// eventMsg carries one pushed change event to the shell, which broadcasts it.
type eventMsg struct{ event engine.Event }

// subscribe starts the session's event stream; it ends with the session's
// context.
func (m *Model) subscribe() tea.Cmd {
	m.events, m.unsubscribe = m.common.Backend.Subscribe()
	go func() {
		<-m.common.Ctx.Done()
		m.unsubscribe()
	}()
	return waitEvent(m.events)
}

// waitEvent waits for the next event; the shell re-arms it after each.
func waitEvent(ch <-chan engine.Event) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return nil
		}
		return eventMsg{event: ev}
	}
}

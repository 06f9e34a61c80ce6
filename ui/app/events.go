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
	return m.waitEvent()
}

// waitEvent waits for the next event; the shell re-arms it after each. It
// also gives up when the session ends, since cancelling the subscription
// does not close the channel and an SSH server must not keep one goroutine
// of every session that ever ran.
func (m *Model) waitEvent() tea.Cmd {
	ch, done := m.events, m.common.Ctx.Done()
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case ev, ok := <-ch:
			if !ok {
				return nil
			}
			return eventMsg{event: ev}
		case <-done:
			return nil
		}
	}
}

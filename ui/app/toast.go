package app

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"brightrun/ui/common"
)

// Toast lifetimes: errors stay long enough to be read twice.
const (
	noticeLifetime = 6 * time.Second
	infoLifetime   = 4 * time.Second
	errorLifetime  = 8 * time.Second
)

// toast is a one-line message shown in place of the help line until its
// timer runs out; a newer toast replaces an older one.
type toast struct {
	id    int
	text  string
	isErr bool
}

func (m *Model) showToast(text string, isErr bool) tea.Cmd {
	m.toastSeq++
	m.toast = toast{id: m.toastSeq, text: text, isErr: isErr}
	life := infoLifetime
	if isErr {
		life = errorLifetime
	}
	return m.expireToast(m.toast.id, life)
}

func (m *Model) expireToast(id int, after time.Duration) tea.Cmd {
	return common.Tick(m.common.Ctx, after, toastExpiredMsg{id: id})
}

// endingTick redraws the countdown of a session about to be closed.
func (m *Model) endingTick() tea.Cmd {
	return common.Tick(m.common.Ctx, time.Second, endingTickMsg{})
}

package sshserve

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// Frame pacing of a session (see frameLimiter).
const (
	// DefaultSettle is how long a session waits for a burst of messages to
	// end before it draws.
	DefaultSettle = 8 * time.Millisecond
	// DefaultMaxFrameWait is the longest a change waits to be drawn while
	// messages keep coming.
	DefaultMaxFrameWait = 50 * time.Millisecond
	// minDrawGap is the least time between two views drawn at once (a key
	// press, the end of a wait): no terminal shows frames faster.
	minDrawGap = 8 * time.Millisecond
)

// waiter is a model that can tell it is waiting for a read whose answer it
// will show (common.Waiter, through the shell).
type waiter interface{ Waiting() bool }

// frameLimiter wraps a session's model so its view is computed once per
// burst of messages rather than once per message. Bubble Tea asks for the
// view after every message, and one change on screen is often several:
// a job's change event, then the answer of the read it starts, each a
// message; laying out the whole screen for each costs a busy server most of
// its CPU. The limiter hands back the previous view while a burst lasts.
//
// It draws at once when the message is the operator's own input, or when the
// model was waiting for a read and no longer is (the answer is in: nothing
// more is coming). Otherwise it draws once the messages have been quiet for
// settle, or after maxWait at the latest, so a stream of changes still moves.
type frameLimiter struct {
	inner           tea.Model
	settle, maxWait time.Duration
	now             func() time.Time

	view       tea.View
	drawNext   bool      // the next View computes the view
	dirtySince time.Time // the first change not drawn yet; zero when none
	lastMsg    time.Time
	lastDraw   time.Time
	pending    bool // a redrawMsg is on its way
	typed      bool // input came that is not drawn yet
}

// redrawMsg makes the limiter consider drawing.
type redrawMsg struct{}

func limitFrames(m tea.Model, settle, maxWait time.Duration) *frameLimiter {
	return &frameLimiter{inner: m, settle: settle, maxWait: maxWait, now: time.Now, drawNext: true}
}

func (f *frameLimiter) Init() tea.Cmd { return f.inner.Init() }

func (f *frameLimiter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	now := f.now()
	if _, ok := msg.(redrawMsg); ok {
		f.pending = false
		if f.dirtySince.IsZero() {
			return f, nil
		}
		quiet, waited := now.Sub(f.lastMsg), now.Sub(f.dirtySince)
		if waited < f.maxWait && f.waiting() && !f.typed {
			// The answer draws when it comes.
			return f, f.redrawIn(f.maxWait - waited)
		}
		if quiet < f.settle && waited < f.maxWait {
			return f, f.redrawIn(min(f.settle-quiet, f.maxWait-waited))
		}
		f.drawNext = true
		return f, nil
	}
	wasWaiting := f.waiting()
	var cmd tea.Cmd
	f.inner, cmd = f.inner.Update(msg)
	f.lastMsg = now
	if f.dirtySince.IsZero() {
		f.dirtySince = now
	}
	input := isInput(msg)
	if (input || (wasWaiting && !f.waiting())) && now.Sub(f.lastDraw) >= minDrawGap {
		f.drawNext = true
		return f, cmd
	}
	f.typed = f.typed || input
	if !f.pending {
		cmd = tea.Batch(cmd, f.redrawIn(f.settle))
	}
	return f, cmd
}

func (f *frameLimiter) waiting() bool {
	w, ok := f.inner.(waiter)
	return ok && w.Waiting()
}

// isInput reports whether msg is the operator's own doing, which is drawn
// without delay.
func isInput(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.MouseMsg, tea.PasteMsg:
		return true
	}
	return false
}

func (f *frameLimiter) redrawIn(d time.Duration) tea.Cmd {
	f.pending = true
	return tea.Tick(d, func(time.Time) tea.Msg { return redrawMsg{} })
}

func (f *frameLimiter) View() tea.View {
	if f.drawNext {
		f.view, f.drawNext, f.dirtySince, f.typed = f.inner.View(), false, time.Time{}, false
		f.lastDraw = f.now()
	}
	return f.view
}

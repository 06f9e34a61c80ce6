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
)

// frameLimiter wraps a session's model so its view is computed once per
// burst of messages rather than once per message. Bubble Tea asks for the
// view after every message, and one change on screen is often several:
// a job's change event, then the answers of the reads it starts (the row,
// the new points, the events), each a message; laying out the whole screen
// for each costs a busy server most of its CPU. The limiter hands back the
// previous view while a burst lasts and draws once it has been quiet for
// settle, or after maxWait at the latest, so a key press is drawn within a
// few milliseconds and a stream of changes still moves.
type frameLimiter struct {
	inner           tea.Model
	settle, maxWait time.Duration
	now             func() time.Time

	view       tea.View
	drawNext   bool      // the next View computes the view
	dirtySince time.Time // the first change not drawn yet; zero when none
	lastMsg    time.Time
	pending    bool // a redrawMsg is on its way
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
		if quiet < f.settle && waited < f.maxWait {
			return f, f.redrawIn(min(f.settle-quiet, f.maxWait-waited))
		}
		f.drawNext = true
		return f, nil
	}
	var cmd tea.Cmd
	f.inner, cmd = f.inner.Update(msg)
	f.lastMsg = now
	if f.dirtySince.IsZero() {
		f.dirtySince = now
	}
	if !f.pending {
		cmd = tea.Batch(cmd, f.redrawIn(f.settle))
	}
	return f, cmd
}

func (f *frameLimiter) redrawIn(d time.Duration) tea.Cmd {
	f.pending = true
	return tea.Tick(d, func(time.Time) tea.Msg { return redrawMsg{} })
}

func (f *frameLimiter) View() tea.View {
	if f.drawNext {
		f.view, f.drawNext, f.dirtySince = f.inner.View(), false, time.Time{}
	}
	return f.view
}

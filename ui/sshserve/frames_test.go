package sshserve

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// counter counts its views; its content is the number of messages seen.
type counter struct{ msgs, views int }

func (c *counter) Init() tea.Cmd { return nil }
func (c *counter) Update(tea.Msg) (tea.Model, tea.Cmd) {
	c.msgs++
	return c, nil
}
func (c *counter) View() tea.View {
	c.views++
	return tea.NewView(string(rune('0' + c.msgs)))
}

type noop struct{}

// clockedLimiter is a frame limiter over inner (8 ms settle, 50 ms at most)
// on a fake clock; step moves the clock on by d, delivers msg and returns
// the frame shown then.
func clockedLimiter(inner tea.Model) (*frameLimiter, func(msg tea.Msg, d time.Duration) string) {
	f := limitFrames(inner, 8*time.Millisecond, 50*time.Millisecond)
	clock := time.Unix(0, 0)
	f.now = func() time.Time { return clock }
	return f, func(msg tea.Msg, d time.Duration) string {
		clock = clock.Add(d)
		f.Update(msg)
		return f.View().Content
	}
}

func TestFrameLimiterDrawsOncePerBurst(t *testing.T) {
	inner := &counter{}
	f, step := clockedLimiter(inner)

	if got := f.View().Content; got != "0" || inner.views != 1 {
		t.Fatalf("first view %q after %d draws", got, inner.views)
	}
	// A burst of three messages a few ms apart: the old view stays.
	for range 3 {
		if got := step(noop{}, 2*time.Millisecond); got != "0" {
			t.Fatalf("drew mid-burst: %q", got)
		}
	}
	// The redraw comes too early (the burst was 2 ms ago): still nothing.
	if got := step(redrawMsg{}, 2*time.Millisecond); got != "0" || !f.pending {
		t.Fatalf("drew before the burst settled: %q (pending %v)", got, f.pending)
	}
	// Once quiet for the settle time, one draw shows all three.
	if got := step(redrawMsg{}, 8*time.Millisecond); got != "3" || inner.views != 2 {
		t.Fatalf("after the burst: %q, %d draws", got, inner.views)
	}
	// Nothing new: a stray redraw draws nothing.
	if step(redrawMsg{}, time.Second); inner.views != 2 {
		t.Fatalf("drew without a change: %d draws", inner.views)
	}
	// A stream that never settles is still drawn every maxWait.
	drawn := inner.views
	for i := range 30 {
		step(noop{}, 3*time.Millisecond)
		if i%2 == 0 {
			step(redrawMsg{}, 0)
		}
	}
	if inner.views-drawn < 1 {
		t.Fatalf("a 90 ms stream was never drawn")
	}
}

// waitingCounter is a counter that waits for a read after a fetch message
// until the answer comes.
type waitingCounter struct {
	counter
	waiting bool
}

type (
	fetchMsg  struct{}
	answerMsg struct{}
)

func (c *waitingCounter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	c.msgs++
	switch msg.(type) {
	case fetchMsg:
		c.waiting = true
	case answerMsg:
		c.waiting = false
	}
	return c, nil
}

func (c *waitingCounter) Waiting() bool { return c.waiting }

func TestFrameLimiterDrawsAtOnceForInputAndAnswers(t *testing.T) {
	inner := &waitingCounter{}
	f, step := clockedLimiter(inner)
	f.View()

	// A key press is drawn with no settling.
	if got := step(tea.KeyPressMsg{Code: 'j'}, time.Second); got != "1" {
		t.Fatalf("a key press waited: %q", got)
	}
	// A change event starts a read: nothing to draw until its answer,
	// even once the burst has settled.
	if got := step(fetchMsg{}, time.Second); got != "1" {
		t.Fatalf("drew while waiting for the read: %q", got)
	}
	if got := step(redrawMsg{}, 10*time.Millisecond); got != "1" || !f.pending {
		t.Fatalf("a settled burst drew before the answer came: %q (redraw pending %v)", got, f.pending)
	}
	// The answer is drawn the moment it lands.
	if got := step(answerMsg{}, 5*time.Millisecond); got != "3" {
		t.Fatalf("the answer was not drawn at once: %q", got)
	}
	// An answer that never comes is drawn at maxWait anyway.
	step(fetchMsg{}, time.Second)
	if got := step(redrawMsg{}, 51*time.Millisecond); got != "4" {
		t.Fatalf("a read that never answered held the frame past maxWait: %q", got)
	}
	// Keys faster than a terminal shows frames are drawn with the next one.
	step(tea.KeyPressMsg{Code: 'j'}, time.Second)
	if got := step(tea.KeyPressMsg{Code: 'j'}, time.Millisecond); got != "5" {
		t.Fatalf("a key 1 ms after a frame drew again: %q", got)
	}
	if got := step(redrawMsg{}, 8*time.Millisecond); got != "6" {
		t.Fatalf("the second key was never drawn: %q", got)
	}
}

package uitest

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// Key builds the key press Bubble Tea would deliver for a key name as
// key.Binding spells it: "q", "R", "enter", "shift+tab", "ctrl+c".
func Key(name string) tea.KeyPressMsg {
	special := map[string]rune{
		"enter": tea.KeyEnter, "tab": tea.KeyTab, "esc": tea.KeyEscape,
		"backspace": tea.KeyBackspace, "up": tea.KeyUp, "down": tea.KeyDown,
		"left": tea.KeyLeft, "right": tea.KeyRight, "home": tea.KeyHome, "end": tea.KeyEnd,
		"space": tea.KeySpace,
	}
	var mod tea.KeyMod
	for {
		switch {
		case len(name) > 5 && name[:5] == "ctrl+":
			mod |= tea.ModCtrl
			name = name[5:]
			continue
		case len(name) > 6 && name[:6] == "shift+":
			mod |= tea.ModShift
			name = name[6:]
			continue
		}
		break
	}
	if code, ok := special[name]; ok {
		return tea.KeyPressMsg{Code: code, Mod: mod}
	}
	r := []rune(name)[0]
	if mod != 0 {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	return tea.KeyPressMsg{Code: r, Text: name}
}

// Type returns one key press per character of s.
func Type(s string) []tea.Msg {
	out := make([]tea.Msg, 0, len(s))
	for _, r := range s {
		out = append(out, Key(string(r)))
	}
	return out
}

// Run executes a command the way Bubble Tea would, flattening batches, and
// returns the messages that arrive within a short wait. Timers (spinners,
// cursor blinks, refresh ticks) that take longer are left behind: a test
// feeds back what it means to.
func Run(cmd tea.Cmd) []tea.Msg {
	return runUntil(cmd, func(since time.Duration) bool { return since > shortWait })
}

// shortWait is how long a run waits for messages before it leaves the
// timers behind.
const shortWait = 150 * time.Millisecond

// runUntil executes cmd and the commands of the batches it returns, each in
// its own goroutine as Bubble Tea would, and collects their messages until
// none is left running or done, asked every 10ms with the time since the
// start, says to stop waiting.
func runUntil(cmd tea.Cmd, done func(since time.Duration) bool) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 256)
	pending := 0
	start := func(c tea.Cmd) {
		if c == nil {
			return
		}
		pending++
		go func() { ch <- c() }()
	}
	start(cmd)
	var out []tea.Msg
	began := time.Now()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for pending > 0 {
		select {
		case msg := <-ch:
			pending--
			if batch, ok := msg.(tea.BatchMsg); ok {
				for _, c := range batch {
					start(c)
				}
				continue
			}
			if msg != nil {
				out = append(out, msg)
			}
		case <-tick.C:
			if done(time.Since(began)) {
				return out
			}
		}
	}
	return out
}

// Find returns the first message of type T.
func Find[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

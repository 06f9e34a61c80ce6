package main_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store/storetest"
	"brightrun/ui/common"
	"brightrun/ui/conversations"
	"brightrun/ui/format"
	"brightrun/ui/theme"
)

// filterTexts are what the benchmark types into the `/` filter, in turn:
// common words, rare ones, a business key and a word no title holds (the
// case an index walk in sort order reads every row for).
var filterTexts = []string{"budget", "talk 12", "chat 99", "conv-0420", "zebra", "budget talk 777", "chat 5"}

// BenchmarkFilterKeystrokeFrame100k measures what the operator waits for
// when filtering 100,000 conversations on the real engine over Postgres:
// from the key press that applies the `/` filter (enter; a typed key does
// the same once the 150 ms debounce pause has passed) to the frame that
// shows the filtered page, its total and the stale rows replaced. The
// query runs in the timed span, as the screen's command would. The facet
// counts are of the whole collection, not of the filter, so a filter key
// fetches no facets. Reports p50 and p95 of the iterations.
func BenchmarkFilterKeystrokeFrame100k(b *testing.B) {
	ctx := b.Context()
	sess := seededSession(b, 100_000)
	c := common.New(ctx, sess, theme.New(true), nil, time.Now)
	m := conversations.New(c)
	m.SetSize(120, 40)
	deliverUntilPage(m, m.Init())
	// What each filter's frame must show, read beforehand.
	want := map[string]string{}
	for _, text := range filterTexts {
		page, err := sess.ListConversations(ctx, model.ConversationQuery{Text: text, Limit: 1})
		if err != nil {
			b.Fatal(err)
		}
		want[text] = "No conversation matches"
		if page.Total > 0 {
			want[text] = " of " + format.Thousands(int64(page.Total))
		}
	}

	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		text := filterTexts[i%len(filterTexts)]
		// Open the filter, clear what was typed and type the new text; the
		// debounce ticks this schedules are dropped (enter applies now).
		m.Update(key("/"))
		for range 20 {
			m.Update(key("backspace"))
		}
		for _, r := range text {
			m.Update(key(string(r)))
		}
		b.StartTimer()
		start := time.Now()
		_, cmd := m.Update(key("enter"))
		deliverUntilPage(m, cmd)
		frame := m.View()
		lat = append(lat, time.Since(start))
		b.StopTimer()
		if !strings.Contains(frame, want[text]) {
			b.Fatalf("the frame after filtering %q lacks %q:\n%s", text, want[text], frame)
		}
		b.StartTimer()
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// seededSession is an engine session whose user owns n conversations
// (storetest.SeedConversations: seconds, not the import's minutes).
func seededSession(b *testing.B, n int) *engine.Session {
	b.Helper()
	ctx := context.Background()
	e, db := enginetest.NewJobEngine(b)
	u, err := e.EnsureUser(ctx, "ada")
	if err != nil {
		b.Fatal(err)
	}
	storetest.SeedConversations(b, db, u.ID, n)
	return e.Session(u)
}

// key is the press Bubble Tea delivers for a printable key or a named one.
func key(name string) tea.KeyPressMsg {
	switch name {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case " ":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	return tea.KeyPressMsg{Code: []rune(name)[0], Text: name}
}

// deliverUntilPage runs cmd as Bubble Tea would (batches flattened, each
// command on its own goroutine) and hands every answer to the screen,
// running what that returns in turn, until the screen has taken in a
// fetched page. Timers (the spinner's ticks) are left running: nothing
// waits on them. The page's message type is the screen's own, so it is
// known by name.
func deliverUntilPage(m common.Screen, cmd tea.Cmd) {
	msgs := make(chan tea.Msg, 64)
	pending := 0
	start := func(c tea.Cmd) {
		if c == nil {
			return
		}
		pending++
		go func() { msgs <- c() }()
	}
	start(cmd)
	for pending > 0 {
		msg := <-msgs
		pending--
		switch msg := msg.(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				start(c)
			}
		case spinner.TickMsg, nil:
		default:
			_, next := m.Update(msg)
			if fmt.Sprintf("%T", msg) == "conversations.pageMsg" {
				return
			}
			start(next)
		}
	}
}

// reportPercentiles reports the p50 and p95 of lat in milliseconds.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
}

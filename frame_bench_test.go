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
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store/storetest"
	"brightrun/ui/common"
	"brightrun/ui/conversations"
	"brightrun/ui/format"
	"brightrun/ui/jobs"
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

// deliverUntilPage runs cmd until the conversations screen has taken in
// a fetched page.
func deliverUntilPage(m common.Screen, cmd tea.Cmd) {
	deliverUntil(m, cmd, "conversations.pageMsg")
}

// deliverUntil runs cmd as Bubble Tea would (batches flattened, each
// command on its own goroutine) and hands every answer to the screen,
// running what that returns in turn, until the screen has taken in a
// message of type want (the screen's own type, so known by name: for
// example "conversations.pageMsg"), or nothing is left to run. Timers
// (the spinner's ticks) are left running: nothing waits on them.
func deliverUntil(m common.Screen, cmd tea.Cmd, want string) {
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
			if fmt.Sprintf("%T", msg) == want {
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
	b.ReportMetric(percentile(lat, 0.50), "p50-ms")
	b.ReportMetric(percentile(lat, 0.95), "p95-ms")
}

// percentile is lat's p-th percentile (0 < p < 1) in milliseconds; it
// sorts lat.
func percentile(lat []time.Duration, p float64) float64 {
	slices.Sort(lat)
	return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
}

// BenchmarkSweepRace24 races the 24 runs of a 4 × 3 × 2 sweep (learning
// rate × rank × epochs) on one real worker over Postgres, simulated
// 200 times faster than real time, while the sweep view follows
// them on a second engine as the TUI does: every change event of a run is
// handed to the Jobs screen, whose comparison reads that run's row and new
// points, and the next frame is drawn at 200×60. It reports the p50/p95 of
// event → frame (p50-ms, p95-ms) and of drawing one frame (frame-p95-ms),
// how many events the view took, and the race's length. It runs the race
// once whatever b.N is: the race is the measurement.
func BenchmarkSweepRace24(b *testing.B) {
	ctx := context.Background()
	worker, db, screen := enginetest.WorkerAndScreen(b, storetest.NewDatabase(b))
	u, err := worker.EnsureUser(ctx, "race")
	if err != nil {
		b.Fatal(err)
	}
	dsID := storetest.DatasetRow(b, db, u.ID, "race", model.DatasetReady, true, 200).ID
	launch, err := worker.Session(u).CreateSweep(ctx, engine.SweepRequest{
		Name: "race",
		Job:  engine.JobRequest{DatasetID: dsID, Preset: "fast", GPU: model.GPUConfig{Type: "H100", Count: 1}},
		Axes: model.SweepAxes{LearningRate: []float64{5e-5, 1e-4, 2e-4, 4e-4}, Rank: []int{8, 16, 32}, Epochs: []int{2, 3}},
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(launch.Jobs) != model.MaxSweepRuns {
		b.Fatalf("the sweep has %d runs, want %d", len(launch.Jobs), model.MaxSweepRuns)
	}
	view := screen.Session(u)
	m := jobs.New(common.New(ctx, view, theme.New(true), nil, time.Now))
	m.SetSize(200, 60)
	_, cmd := m.Update(common.SweepCreatedMsg{Sweep: launch})
	deliverUntil(m, cmd, "jobs.compareMsg")
	events, cancel := view.Subscribe()
	defer cancel()

	b.ResetTimer()
	start := time.Now()
	w, err := worker.StartWorker(ctx, engine.WorkerOptions{Concurrency: model.MaxSweepRuns, SimSpeed: 200})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Stop(time.Minute)
	var lat, frames []time.Duration
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	deadline := time.After(10 * time.Minute)
	for open := len(launch.Jobs); open > 0; {
		select {
		case ev := <-events:
			if !ev.OnTable("training_jobs") {
				continue
			}
			got := time.Now()
			_, cmd := m.Update(common.EventMsg{Event: ev})
			deliverUntil(m, cmd, "jobs.compareMsg")
			drawn := time.Now()
			if m.View() == "" {
				b.Fatal("the sweep view drew nothing")
			}
			frames = append(frames, time.Since(drawn))
			lat = append(lat, time.Since(got))
		case <-tick.C:
			open = openRuns(b, view, launch.Jobs)
		case <-deadline:
			b.Fatalf("the race did not end within 10 minutes (%d runs open)", open)
		}
	}
	race := time.Since(start)
	b.StopTimer()
	reportPercentiles(b, lat)
	if len(frames) > 0 {
		b.ReportMetric(percentile(frames, 0.95), "frame-p95-ms")
	}
	b.ReportMetric(float64(len(lat)), "view-events")
	b.ReportMetric(race.Seconds(), "race-s")
}

// openRuns counts the runs of ids that have not ended yet.
func openRuns(b *testing.B, s *engine.Session, ids []uuid.UUID) int {
	b.Helper()
	open := 0
	for _, id := range ids {
		j, err := s.Job(context.Background(), id)
		if err != nil {
			b.Fatal(err)
		}
		if !j.Status.Final() {
			open++
		}
	}
	return open
}

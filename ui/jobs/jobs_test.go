package jobs

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

func TestGolden(t *testing.T) {
	golden.AtSizes(func(w, h int, name func(string) string) {
		t.Run(name("list"), func(t *testing.T) {
			m := newScreen(t, uitest.NewBackend(t), w, h)
			golden.Assert(t, name("list"), m.View())
		})
	})
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("job_%dx%d", w, h), func(t *testing.T) {
			m := newScreen(t, uitest.NewBackend(t), w, h)
			press(m, "down", "down", "enter") // the running job
			golden.Assert(t, fmt.Sprintf("job_%dx%d", w, h), m.View())
		})
	}
	t.Run("job_completed_80x24", func(t *testing.T) {
		m := newScreen(t, uitest.NewBackend(t), 80, 24)
		press(m, "down", "down", "down", "down", "down", "enter", "c")
		golden.Assert(t, "job_completed_80x24", m.View())
	})
	t.Run("failed_80x24", func(t *testing.T) {
		m := newScreen(t, uitest.NewBackend(t), 80, 24)
		press(m, "F", "F")
		golden.Assert(t, "failed_80x24", m.View())
	})
	t.Run("paged_120x40", func(t *testing.T) {
		b := withJobs(t, 10_000)
		m := newScreen(t, b, 120, 40)
		press(m, "right", "right", "down", "down")
		golden.Assert(t, "paged_120x40", m.View())
	})
}

func TestListShowsJoinAndBadges(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 120, 40)
	v := ansi.Strip(m.View())
	uitest.Holds(t, "list", v,
		"support-bot-v4", "support-2024-q4", "chat", "1,000", "● running", "42%", "2×A100-80GB",
		"○ queued", "~$", "✗ failed", "✓ completed", "– cancelled", "(deleted)", "1–8 of 8",
	)
	// Newest first.
	if strings.Index(v, "alpaca-mini (fast)") > strings.Index(v, "support-bot-v4") {
		t.Errorf("not newest first:\n%s", v)
	}
}

func TestPagingStaysOnePageAt10000(t *testing.T) {
	b := withJobs(t, 10_000)
	f := b.JobFixture()
	m := newScreen(t, b, 80, 24)
	per := m.fit()
	if len(m.jobs) != per || m.total != 10_000 {
		t.Fatalf("first page holds %d of %d, want %d of 10000", len(m.jobs), m.total, per)
	}
	if got := ansi.Strip(m.titleLine()); !strings.Contains(got, fmt.Sprintf("1–%d of 10,000", per)) {
		t.Errorf("title %q", got)
	}
	press(m, "right")
	if m.first != per || m.jobs[0].ID != f.Items[per].ID {
		t.Errorf("next page starts at %d with %v", m.first, m.jobs[0].Name)
	}
	press(m, "G")
	last := (10_000 - 1) / per * per
	if m.first != last || len(m.jobs) != 10_000-last {
		t.Errorf("last page at %d with %d rows, want %d with %d", m.first, len(m.jobs), last, 10_000-last)
	}
	press(m, "up")
	if want := 10_000 - last - 2; m.cursor != want {
		t.Errorf("cursor %d after G and up, want %d", m.cursor, want)
	}
	press(m, "g", "up")
	if m.first != 0 || m.cursor != 0 {
		t.Errorf("up on the first row of the first page moved to %d/%d", m.first, m.cursor)
	}
	// Down past the last row of a page goes on to the next one.
	for range per {
		press(m, "down")
	}
	if m.first != per || m.cursor != 0 {
		t.Errorf("down past the page: first %d cursor %d", m.first, m.cursor)
	}
	press(m, "up")
	if m.first != 0 || m.cursor != per-1 {
		t.Errorf("up past the page: first %d cursor %d", m.first, m.cursor)
	}
	for _, p := range f.LoadedPages {
		if p < 1 {
			t.Errorf("page %d asked for", p)
		}
	}
}

// g and G go to the first and the last row of the whole list (as in k9s
// and lazygit), loading its page; pgup/pgdn and ←/→ page.
func TestTopAndBottomGoToFirstAndLastRow(t *testing.T) {
	b := withJobs(t, 1_000)
	f := b.JobFixture()
	m := newScreen(t, b, 80, 24)
	press(m, "down", "down", "G")
	j, ok := m.selected()
	if !ok || j.ID != f.Items[999].ID || m.first+m.cursor != 999 {
		t.Fatalf("G: row %d (%v), want the last row 999", m.first+m.cursor, j.Name)
	}
	press(m, "G") // already there: stays
	if m.first+m.cursor != 999 {
		t.Errorf("G again: row %d", m.first+m.cursor)
	}
	press(m, "g")
	if j, _ := m.selected(); m.first != 0 || m.cursor != 0 || j.ID != f.Items[0].ID {
		t.Errorf("g: first %d cursor %d, want the first row", m.first, m.cursor)
	}
	// On the first page, g from a lower row moves the cursor without a load.
	press(m, "down", "down")
	loads := len(f.LoadedPages)
	press(m, "home")
	if m.cursor != 0 || len(f.LoadedPages) != loads {
		t.Errorf("home on the first page: cursor %d, %d loads", m.cursor, len(f.LoadedPages)-loads)
	}
	press(m, "pgdown")
	if m.first != m.limit || m.cursor != 0 {
		t.Errorf("pgdn: first %d cursor %d", m.first, m.cursor)
	}
}

func TestStatusFilter(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 120, 40)
	press(m, "f")
	if filters[m.filter] != "queued" || len(m.jobs) != 1 || m.jobs[0].Status != model.JobQueued {
		t.Fatalf("filter %q shows %d jobs", filters[m.filter], len(m.jobs))
	}
	if !strings.Contains(ansi.Strip(m.View()), "[queued]") {
		t.Error("the footer does not mark the filter")
	}
	press(m, "f")
	if !strings.Contains(ansi.Strip(m.View()), "◌ initializing") {
		t.Errorf("initializing filter:\n%s", ansi.Strip(m.View()))
	}
	press(m, "F", "F")
	if m.filter != 0 || m.total != 8 {
		t.Errorf("back to all: filter %d total %d", m.filter, m.total)
	}
	press(m, "F")
	if !strings.Contains(ansi.Strip(m.View()), "No cancelled jobs") && m.total == 0 {
		t.Error("empty filter not explained")
	}
}

func TestChangeEventsReloadThePageDebounced(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 120, 40)
	f := b.JobFixture()
	queued := m.jobs[0]
	loads := f.Loads
	if _, cmd := m.Update(common.EventMsg{Event: engine.Event{Table: "datasets", Op: "UPDATE"}}); cmd != nil {
		t.Error("an event of another table started something")
	}
	f.SetStatus(queued.ID, model.JobRunning, 10)
	_, first := m.Update(common.EventMsg{Event: engine.Event{Table: "training_jobs", ID: queued.ID, Op: "UPDATE"}})
	if first == nil {
		t.Fatal("no reload scheduled")
	}
	for range 5 {
		if _, cmd := m.Update(common.EventMsg{Event: engine.Event{Table: "training_jobs", ID: queued.ID, Op: "UPDATE"}}); cmd != nil {
			t.Fatal("a second reload was scheduled within the delay")
		}
	}
	send(m, reloadMsg{}) // the delay is over
	if f.Loads != loads+1 {
		t.Errorf("%d loads for a burst of events, want 1", f.Loads-loads)
	}
	if !strings.Contains(ansi.Strip(m.View()), "● running") || m.jobs[0].Status != model.JobRunning {
		t.Errorf("the changed row is not shown:\n%s", ansi.Strip(m.View()))
	}
	// The next burst schedules again.
	if _, cmd := m.Update(common.EventMsg{Event: engine.Event{Table: "training_jobs", Op: "INSERT"}}); cmd == nil {
		t.Error("no reload after the first burst ended")
	}
}

// A launch lands on the new job's view; behind it the list shows every
// status from the top, the new job under the cursor.
func TestJobCreatedLandsOnItsView(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 80, 24)
	press(m, "f", "f", "f", "f", "f") // completed
	if !m.Handles(common.JobCreatedMsg{}) || m.Handles(common.ConfigureDatasetMsg{}) {
		t.Error("Handles")
	}
	support, _ := b.DatasetFixture().Find("support-2024-q4")
	job, err := b.CreateJob(t.Context(), engine.JobRequest{DatasetID: support.ID, GPU: model.GPUConfig{Count: 2}})
	if err != nil {
		t.Fatal(err)
	}
	press(m, "down") // the cursor was elsewhere
	send(m, common.JobCreatedMsg{Job: job})
	if m.detail == nil || m.detail.ID != job.ID || !strings.Contains(ansi.Strip(m.View()), job.Name) {
		t.Fatalf("not on the new job's view:\n%s", ansi.Strip(m.View()))
	}
	press(m, "esc")
	if m.filter != 0 || m.first != 0 {
		t.Errorf("filter %d first %d, want every status from the top", m.filter, m.first)
	}
	if sel, _ := m.selected(); sel.ID != job.ID {
		t.Errorf("cursor on %q, want the new job", sel.Name)
	}
	if m.fresh != job.ID || !strings.Contains(ansi.Strip(m.View()), "1–9 of 9") {
		t.Errorf("new job not shown:\n%s", ansi.Strip(m.View()))
	}
}

func TestLoadError(t *testing.T) {
	b := uitest.NewBackend(t)
	b.JobFixture().LoadErr = fmt.Errorf("connection refused")
	c := newScreen(t, b, 80, 24)
	if !strings.Contains(ansi.Strip(c.View()), "Could not load the jobs: connection refused") {
		t.Errorf("no error:\n%s", ansi.Strip(c.View()))
	}
}

// TestNeverPanics presses random keys at several sizes, with events.
func TestNeverPanics(t *testing.T) {
	keys := []string{"up", "down", "left", "right", "g", "G", "f", "F", "enter", "esc", "r", "pgdown", "k", "j", "c", "x", "n", "y", "d"}
	r := rand.New(rand.NewPCG(3, 4))
	for _, size := range [][2]int{{20, 5}, {60, 15}, {80, 24}, {200, 60}} {
		b := withJobs(t, 300)
		m := newScreen(t, b, size[0], size[1])
		for range 200 {
			press(m, keys[r.IntN(len(keys))])
			_ = m.View()
		}
		send(m, common.EventMsg{Event: engine.Event{Table: "training_jobs", ID: uuid.New()}})
	}
}

// BenchmarkJobsList10k moves the cursor through a list of 10,000 jobs and
// draws it at 120×40; every page boundary loads the next page.
func BenchmarkJobsList10k(b *testing.B) {
	be := withJobs(b, 10_000)
	m := newScreen(b, be, 120, 40)
	down := uitest.Key("down")
	b.ResetTimer()
	for b.Loop() {
		if m.first+m.cursor == m.total-1 {
			b.StopTimer()
			press(m, "g")
			b.StartTimer()
		}
		_, cmd := m.Update(down)
		if cmd != nil {
			b.StopTimer()
			feed(m, cmd)
			b.StartTimer()
		}
		_ = m.View()
	}
}

// TestBadgesInColour checks that each status has its colour where colour
// is on, and that the cursor's row stays one style.
func TestBadgesInColour(t *testing.T) {
	b := uitest.NewBackend(t)
	c := common.New(t.Context(), b, theme.New(false), nil, uitest.Clock)
	m := New(c).(*Model)
	m.SetSize(120, 40)
	send(m, common.ActivatedMsg{})
	for _, st := range []model.JobStatus{model.JobInitializing, model.JobFailed, model.JobCompleted, model.JobCancelled} {
		if want := m.badgeStyle(st).Render(fitCell(badgeText(st), 14, false)); !strings.Contains(m.View(), want) {
			t.Errorf("no coloured %s badge", st)
		}
	}
	// One style over the whole row: a badge's reset would end it early.
	if row := m.rowLine(m.cursor); !strings.HasPrefix(row, "\x1b[") || strings.Count(row, "\x1b[m") != 1 {
		t.Errorf("cursor row is not drawn whole: %q", row)
	}
}

// A job with a cost cap shows it on the cost line, beside the estimate.
func TestJobViewShowsTheCap(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.JobFixture()
	f.Lock()
	capUSD := 1.0
	for i := range f.Items {
		f.Items[i].MaxCost = &capUSD
	}
	f.Unlock()
	m := newScreen(t, b, 160, 48)
	press(m, "down", "down", "enter") // the running job
	if v := ansi.Strip(m.View()); !strings.Contains(v, "est. · cap $1.00") {
		t.Fatalf("the cost line does not show the cap:\n%s", v)
	}
}

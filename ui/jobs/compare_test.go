package jobs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/chart"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// compareRows marks the fixture's rows from..from+n-1 with space and
// opens the comparison.
func compareRows(t *testing.T, m *Model, from, n int) {
	t.Helper()
	for range from {
		press(m, "down")
	}
	for range n {
		press(m, "space")
	}
	press(m, "C")
	if m.cmp == nil || !m.cmp.loaded {
		t.Fatalf("C did not open a loaded comparison:\n%s", ansi.Strip(m.View()))
	}
}

func TestCompareGolden(t *testing.T) {
	for _, tc := range []struct {
		name     string
		w, h     int
		from, n  int
		keys     []string
		contains []string
	}{
		// The running balanced job and the finalizing fast one.
		{"compare2_100x30", 100, 30, 2, 2, nil, []string{"Compare 2 jobs", "support-bot-v4", "≠ learning rate", "0.00005", "0.0001"}},
		{"compare2_200x60", 200, 60, 2, 2, []string{"v"}, []string{"[val loss]", "validation loss of job 1, 2", "train final/best"}},
		// Every job that has trained, one of them on a deleted dataset.
		{"compare6_100x30", 100, 30, 2, 6, nil, []string{"Compare 6 jobs", "◂ 1–", "of 6 ▸", "(deleted)"}},
		{"compare6_200x60", 200, 60, 2, 6, []string{"x"}, []string{"[epoch]", "legacy-faq", "✗ failed", "$1.21 final"}},
		// The queued and the initializing job have no metrics yet.
		{"compare_waiting_100x30", 100, 30, 0, 2, nil, []string{"Waiting for metrics", "(waiting for metrics)", "—"}},
		// Too narrow for more than one column: it scrolls, never wraps.
		{"compare6_narrow_50x30", 50, 30, 2, 6, []string{"right"}, []string{"◂ 2–2 of 6 ▸"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newScreen(t, uitest.NewBackend(t), tc.w, tc.h)
			compareRows(t, m, tc.from, tc.n)
			press(m, tc.keys...)
			assertFrame(t, tc.name, m.View(), tc.w, tc.h, tc.contains...)
		})
	}
}

func TestCompareColourDistinguishesSeries(t *testing.T) {
	b := uitest.NewBackend(t)
	c := common.New(t.Context(), b, theme.New(false), nil, uitest.Clock)
	m := New(c).(*Model)
	m.SetSize(160, 48)
	send(m, common.ActivatedMsg{})
	compareRows(t, m, 2, 3)
	v := m.View()
	// Each job's curve in its own colour: three series styles appear.
	seen := 0
	for i := range 3 {
		probe := m.seriesStyle(i).Render("─")
		if strings.Contains(v, strings.TrimSuffix(probe, "─\x1b[m")) {
			seen++
		}
	}
	if seen != 3 {
		t.Errorf("%d of 3 series colours drawn", seen)
	}
	if strings.ContainsFunc(v, chart.IsStandIn) {
		t.Error("a stand-in character leaked into the view")
	}
}

func TestCompareWithoutColourUsesMarks(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 120, 40)
	compareRows(t, m, 2, 3)
	press(m, "v")
	v := ansi.Strip(m.View())
	uitest.Holds(t, "legend", v, "── 1", "•• 2", "×× 3", "1 2 … validation loss")
	chart := strings.Join(strings.Split(v, "\n")[3:20], "\n")
	for _, mark := range []string{"•", "×", "1", "2"} {
		if !strings.Contains(chart, mark) {
			t.Errorf("chart lacks %q:\n%s", mark, chart)
		}
	}
}

func TestMarksAndLimits(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 120, 40)
	press(m, "C")
	if m.cmp != nil {
		t.Fatal("C with nothing marked opened a comparison")
	}
	press(m, "space")
	if len(m.marks) != 1 || m.cursor != 1 {
		t.Fatalf("space: %d marks, cursor %d", len(m.marks), m.cursor)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "✓1 alpaca-mini (fast)") || !strings.Contains(v, "1 marked (space marks more)") {
		t.Errorf("the mark is not shown:\n%s", v)
	}
	press(m, "up", "space")
	if len(m.marks) != 0 {
		t.Fatalf("space again did not unmark: %d marks", len(m.marks))
	}
	press(m, "g")
	for range 7 {
		press(m, "space")
	}
	if len(m.marks) != model.MaxCompareJobs {
		t.Fatalf("%d marks, the limit is %d", len(m.marks), model.MaxCompareJobs)
	}
	// The seventh is refused with the limit, as an error toast.
	_, cmd := m.Update(uitest.Key("space"))
	msg, ok := uitest.Find[common.ErrMsg](uitest.Run(cmd))
	if !ok || !strings.Contains(msg.Error(), "at most 6 jobs can be compared at once") {
		t.Errorf("a seventh mark: %v", msg)
	}
	// Marks stay across pages and filters; u clears them.
	press(m, "f", "F")
	if len(m.marks) != 6 || !strings.Contains(ansi.Strip(m.View()), "6 marked (C compares)") {
		t.Errorf("marks lost with the filter: %d", len(m.marks))
	}
	press(m, "u")
	if len(m.marks) != 0 {
		t.Errorf("u left %d marks", len(m.marks))
	}
}

func TestCompareKeysAndLiveUpdate(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 160, 48)
	compareRows(t, m, 2, 2)
	f := b.JobFixture()
	running := m.cmp.jobs[0]
	if running.Name != "support-bot-v4" || running.Step != 315 {
		t.Fatalf("first column %s at step %d", running.Name, running.Step)
	}
	if f.Lock(); len(f.Compared) != 1 || len(f.Compared[0]) != 2 {
		t.Errorf("compare calls %v", f.Compared)
	}
	f.Unlock()
	press(m, "x", "L", "v")
	c := m.cmp
	if c.axis != byEpoch || !c.lr || !c.val {
		t.Errorf("switches: axis %v lr %v val %v", c.axis, c.lr, c.val)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "[learning rate]") || !strings.Contains(v, "[epoch]") || strings.Contains(v, "val loss") {
		t.Errorf("switches not shown:\n%s", v)
	}
	press(m, "L")

	// An event on the running job reads its row and the points after its
	// curve; an event on another job reads nothing for the comparison.
	calls := len(f.MetricReads())
	f.SetStatus(running.ID, model.JobRunning, 80)
	jobUpdated(m, running.ID)
	newCalls := f.MetricReads()[calls:]
	if len(newCalls) != 1 || newCalls[0] != 315 {
		t.Errorf("metrics read from %v, want [315]", newCalls)
	}
	if got := m.cmp.jobs[0]; got.Step != 600 || got.Progress != 80 || !strings.Contains(ansi.Strip(m.View()), "● running 80%") {
		t.Errorf("after the event: step %d progress %.0f\n%s", got.Step, got.Progress, ansi.Strip(m.View()))
	}
	jobUpdated(m, f.Items[0].ID)
	if reads := f.MetricReads(); len(reads) != calls+1 {
		t.Errorf("another job's event read metrics: %v", reads[calls:])
	}

	press(m, "esc")
	if m.cmp != nil || len(m.marks) != 2 {
		t.Errorf("esc: comparison %v, %d marks", m.cmp != nil, len(m.marks))
	}
	// A late answer for a closed comparison is dropped.
	send(m, compareMetricsMsg{id: running.ID})
	if m.cmp != nil {
		t.Error("a late answer reopened the comparison")
	}
}

func TestCompareErrorsAreShown(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 100, 30)
	f := b.JobFixture()
	f.Lock()
	f.CompareErr = fmt.Errorf("compare jobs: job %s: %w", uuid.Nil, uitest.ErrNotFound)
	f.Unlock()
	press(m, "space", "space", "C")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Could not compare the jobs: compare jobs: job") || !strings.Contains(v, "not found") {
		t.Errorf("the error is not shown:\n%s", v)
	}
	f.Lock()
	f.CompareErr = nil
	f.Unlock()
	press(m, "r")
	if !m.cmp.loaded {
		t.Error("r did not load the comparison again")
	}
}

func TestCloneKeys(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 120, 40)
	press(m, "down", "down")
	_, cmd := m.Update(uitest.Key("y"))
	msg, ok := uitest.Find[common.CloneJobMsg](uitest.Run(cmd))
	if !ok || msg.Job.Name != "support-bot-v4" {
		t.Fatalf("y in the list: %+v", msg)
	}
	press(m, "enter")
	_, cmd = m.Update(uitest.Key("y"))
	if msg, ok := uitest.Find[common.CloneJobMsg](uitest.Run(cmd)); !ok || msg.Job.Name != "support-bot-v4" {
		t.Fatalf("y in the job view: %+v", msg)
	}
}

// At any size, down to a few cells, the comparison and the job view with
// its log draw within the area: cut, scrolled, never wrapped or wider.
func TestCompareAndLogFitAnySize(t *testing.T) {
	b := uitest.NewBackend(t)
	execRunning(t, b, 40)
	m := newScreen(t, b, 120, 40)
	compareRows(t, m, 2, 6)
	check := func(what string, w, h int) {
		t.Helper()
		m.SetSize(w, h)
		golden.Fits(t, what, m.View(), w, h)
	}
	sizes := [][2]int{{1, 1}, {8, 4}, {20, 8}, {30, 12}, {45, 20}, {64, 18}, {80, 24}, {250, 70}}
	for _, keys := range [][]string{nil, {"v"}, {"x", "L"}, {"right", "right", "down", "down"}} {
		press(m, keys...)
		for _, s := range sizes {
			check("comparison "+strings.Join(keys, "+"), s[0], s[1])
		}
	}
	press(m, "esc")
	m.SetSize(120, 40)
	openJob(t, m, "support-bot-v4")
	for _, keys := range [][]string{nil, {"z"}, {"/"}} {
		press(m, keys...)
		for _, s := range sizes {
			check("job view "+strings.Join(keys, "+"), s[0], s[1])
		}
	}
}

// TestLegendForEndedJobWithoutMetrics: a job that ended before its first
// step will never have metrics; the legend and the empty chart say so
// instead of waiting.
func TestLegendForEndedJobWithoutMetrics(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 100, 30)
	compareRows(t, m, 0, 2) // the queued and the initializing job: no metrics
	if v := ansi.Strip(m.View()); strings.Count(v, "(waiting for metrics)") != 2 {
		t.Fatalf("before: %s", v)
	}
	m.cmp.jobs[0].Status = model.JobFailed
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "(no metrics, failed)") || strings.Count(v, "(waiting for metrics)") != 1 || !strings.Contains(v, "Waiting for metrics") {
		t.Errorf("one failed, one still starting:\n%s", v)
	}
	m.cmp.jobs[1].Status = model.JobCancelled
	v = ansi.Strip(m.View())
	if !strings.Contains(v, "(no metrics, cancelled)") || strings.Contains(v, "aiting for metrics") ||
		!strings.Contains(v, "No metrics: none of these jobs reported a training step before it ended.") {
		t.Errorf("both ended:\n%s", v)
	}
}

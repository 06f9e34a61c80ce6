package jobs

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/components/chart"
	"brightrun/ui/internal/uitest"
)

// openJob opens the view on the job of the fixture list named name.
func openJob(t *testing.T, m *Model, name string) model.Job {
	t.Helper()
	for i, j := range m.jobs {
		if j.Name == name {
			m.moveCursor(i)
			press(m, "enter")
			if m.live == nil {
				t.Fatalf("enter did not open %s", name)
			}
			return j
		}
	}
	t.Fatalf("no job %s", name)
	return model.Job{}
}

func TestJobViewShowsTheRun(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 120, 40)
	openJob(t, m, "support-bot-v4")
	v := ansi.Strip(m.View())
	uitest.Holds(t, "job view", v,
		"support-bot-v4", "simulated", "● running", "42%", "epoch 2/3", "step 315/750", "elapsed 48m", "remaining ~",
		"so far of ~$", "[loss]", "training loss", "validation loss", "┤", "latest", "tok/s",
		"checkpoint saved after epoch 1", "grad norm spiked",
	)
	if got := len(strings.Split(m.View(), "\n")); got > 40 {
		t.Errorf("%d lines in 40", got)
	}
	press(m, "c", "c")
	if !strings.Contains(ansi.Strip(m.View()), "[grad norm]") {
		t.Errorf("c did not move to the grad norm chart:\n%s", ansi.Strip(m.View()))
	}
	press(m, "esc")
	if m.detail != nil || m.live != nil {
		t.Error("esc did not close the view")
	}
}

func TestJobViewFollowsTheJobIncrementally(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 200, 50)
	running := openJob(t, m, "support-bot-v4")
	f := b.JobFixture()
	if m.live.lastStep != 315 || len(m.live.train) != 315 || len(m.live.val) != 1 {
		t.Fatalf("read to step %d: %d training and %d validation points", m.live.lastStep, len(m.live.train), len(m.live.val))
	}
	f.SetStatus(running.ID, model.JobRunning, 80) // step 600: the second epoch's validation point too
	// The event alone updates the view: no waiting for the list's debounce.
	jobUpdated(m, running.ID)
	calls := f.MetricReads()
	if len(calls) != 2 || calls[0] != 0 || calls[1] != 315 {
		t.Errorf("metrics read from steps %v, want [0 315]", calls)
	}
	if m.live.lastStep != 600 || len(m.live.val) != 2 || m.detail.Progress != 80 {
		t.Errorf("after the event: step %d, %d validation points, progress %.0f", m.live.lastStep, len(m.live.val), m.detail.Progress)
	}
	seen := map[int64]bool{}
	for _, p := range append(slices.Clone(m.live.train), m.live.val...) {
		if seen[p.ID] {
			t.Errorf("point %d held twice", p.ID)
		}
		seen[p.ID] = true
	}
	// An event of another job reads nothing for the view.
	jobUpdated(m, f.Items[0].ID)
	send(m, reloadMsg{})
	if calls := f.MetricReads(); len(calls) != 2 {
		t.Errorf("another job's event read metrics: %v", calls)
	}
}

func TestLongSeriesStayCompact(t *testing.T) {
	j := model.Job{TotalSteps: 100_000, TotalEpochs: 4, CurrentStep: 100_000}
	l := &live{atLast: map[int64]bool{}}
	l.merge(uitest.MetricSeries(j, 0), 300)
	if len(l.train) > 300 || len(l.val) != 4 {
		t.Errorf("%d training points held for 100,000 steps, %d validation", len(l.train), len(l.val))
	}
	if last := l.train[len(l.train)-1]; last.Step != 100_000 {
		t.Errorf("the last point is at step %d", last.Step)
	}
	// The same read again adds nothing.
	n := len(l.train)
	l.merge(uitest.MetricSeries(j, 100_000), 300)
	if len(l.train) != n || len(l.val) != 4 {
		t.Errorf("a repeated read added points: %d → %d", n, len(l.train))
	}
	cols := columns(l, l.train, func(p model.MetricPoint) *float64 { return p.TrainLoss }, 1, 100_000, 70)
	if len(cols) != 70 || !chart.HasValue(cols) {
		t.Errorf("columns: %v", cols)
	}
}

func TestCancelAsksFirst(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 80, 24)
	running := openJob(t, m, "support-bot-v4")
	press(m, "x")
	if !m.InputFocused() || !strings.Contains(ansi.Strip(m.View()), "Cancel job “support-bot-v4”?") {
		t.Fatalf("no confirmation:\n%s", ansi.Strip(m.View()))
	}
	press(m, "enter", "n")
	f := b.JobFixture()
	if len(f.Cancelled) != 0 || m.live.confirm != nil {
		t.Fatalf("enter or n cancelled: %v", f.Cancelled)
	}
	press(m, "x", "y")
	if len(f.Cancelled) != 1 || f.Cancelled[0] != running.ID {
		t.Fatalf("cancelled %v", f.Cancelled)
	}
	if !strings.Contains(ansi.Strip(m.View()), "Cancel requested") {
		t.Errorf("the pending cancel is not shown:\n%s", ansi.Strip(m.View()))
	}
	press(m, "esc")
	openJob(t, m, "tone-tuner")
	press(m, "x")
	if m.live.confirm != nil {
		t.Error("a completed job offered to cancel")
	}
}

func TestCompletedJobCostAndDownload(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 120, 40)
	openJob(t, m, "tone-tuner")
	v := ansi.Strip(m.View())
	uitest.Holds(t, "completed view", v, "✓ completed", "ran 1h 40m", "final cost $", "storage $0.05", "completed")
	press(m, "d")
	if m.live.prompt == nil || m.live.prompt.Value() != "./tone-tuner-adapter" {
		t.Fatalf("no prompt with the default directory:\n%s", ansi.Strip(m.View()))
	}
	dir := filepath.Join(t.TempDir(), "out")
	m.live.prompt.SetValue(dir)
	press(m, "enter")
	if _, err := os.Stat(filepath.Join(dir, "adapter_config.json")); err != nil {
		t.Errorf("nothing downloaded: %v", err)
	}
	if f := b.JobFixture(); len(f.Downloads) != 1 || f.Downloads[0] != dir {
		t.Errorf("downloads %v", f.Downloads)
	}
	if adapterDir("legacy-faq (fast)") != "./legacy-faq--fast-adapter" {
		t.Errorf("adapterDir %q", adapterDir("legacy-faq (fast)"))
	}
}

func TestJobViewFollowsStatus(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 120, 40)
	running := openJob(t, m, "support-bot-v4")
	b.JobFixture().SetStatus(running.ID, model.JobFinalizing, 99)
	jobUpdated(m, running.ID)
	send(m, reloadMsg{})
	if m.detail == nil || m.detail.Status != model.JobFinalizing || !strings.Contains(ansi.Strip(m.View()), "◉ finalizing") {
		t.Errorf("the view did not follow the job:\n%s", ansi.Strip(m.View()))
	}
	// Answers for a view since closed are dropped.
	press(m, "esc")
	send(m, liveMsg{id: running.ID})
	if m.live != nil {
		t.Error("a late answer reopened the view")
	}
}

// A run that stopped early says why, which checkpoint its adapter is, and
// what it saved against the estimate; its checkpoints are listed, the
// best marked.
func TestJobViewShowsAnEarlyStop(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.JobFixture()
	for i := range f.Items {
		if j := &f.Items[i]; j.Name == "tone-tuner" {
			final, step := j.EstimatedTotalCost-3.5, 1200
			j.FinalCost, j.BestCheckpointStep = &final, &step
			j.StopReason = "stopped early at epoch 3 of 3: validation loss has not improved for 1 evaluation (best 0.62 at epoch 2)"
		}
	}
	m := newScreen(t, b, 160, 48)
	openJob(t, m, "tone-tuner")
	v := ansi.Strip(m.View())
	uitest.Holds(t, "job view", v,
		"■ stopped early at epoch 3 of 3", "adapter from the checkpoint at step 1,200", "$3.50 below the estimate",
		"checkpoints  3 saved · ★ best", "★ step 1,800", "  step 600",
	)
}

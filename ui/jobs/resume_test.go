package jobs

import (
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
)

// notices presses k and hands the screen what its command answers, and
// returns the notices among them.
func notices(m *Model, k string) []string {
	_, cmd := m.Update(uitest.Key(k))
	var out []string
	for range 3 {
		msgs := uitest.Run(cmd)
		var cmds []tea.Cmd
		for _, msg := range msgs {
			if n, ok := msg.(common.NoticeMsg); ok {
				out = append(out, string(n))
			}
			_, c := m.Update(msg)
			cmds = append(cmds, c)
		}
		cmd = tea.Batch(cmds...)
	}
	return out
}

// R on a failed job asks first, showing the checkpoint and the cost still
// to come; yes queues it again. A job without a checkpoint says to clone.
func TestResumeAsksWithTheRemainingCost(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 120, 40)
	failed := openJob(t, m, "support-bot-v3")
	press(m, "R")
	v := ansi.Strip(m.View())
	if m.live.confirm == nil || !strings.Contains(v, "Resume job “support-bot-v3” from its checkpoint at step") ||
		!strings.Contains(v, "more, on top of the $") {
		t.Fatalf("no question:\n%s", v)
	}
	press(m, "y")
	if f := b.JobFixture(); len(f.Resumed) != 1 || f.Resumed[0] != failed.ID || m.detail.Status != model.JobQueued {
		t.Fatalf("resumed %v, status %s", f.Resumed, m.detail.Status)
	}

	press(m, "esc")
	openJob(t, m, "alpaca-mini (balanced)")
	got := notices(m, "R")
	if len(got) != 1 || !strings.Contains(got[0], "has no checkpoint to resume from: clone it instead (y") || m.live.confirm != nil {
		t.Errorf("resume without a checkpoint: %v", got)
	}
}

// e writes the curve as CSV into the exports folder; over SSH it shows the
// command to run instead. a puts the chart's x axis on epochs.
func TestExportMetricsAndEpochAxis(t *testing.T) {
	b := uitest.NewBackend(t)
	b.JobFixture().ExportDir = t.TempDir()
	m := newScreen(t, b, 120, 40)
	openJob(t, m, "support-bot-v4")
	got := notices(m, "e")
	if len(got) != 1 || !strings.HasPrefix(got[0], "Metrics written to "+b.JobFixture().ExportDir) {
		t.Fatalf("notices %v", got)
	}
	path := strings.Fields(strings.TrimPrefix(got[0], "Metrics written to "))[0]
	data, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(data), "step,epoch,train_loss,") || strings.Count(string(data), "\n") < 300 {
		t.Fatalf("export %s: %v\n%.300s", path, err, data)
	}
	press(m, "a")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "a step [epoch]") {
		t.Errorf("a did not put the axis on epochs:\n%s", v)
	}

	r := newRemoteScreen(t, b, 120, 40)
	j := openJob(t, r, "support-bot-v4")
	if got := notices(r, "e"); len(got) != 1 || !strings.Contains(got[0], "brightrun job metrics "+j.ID.String()+" --format csv --out") {
		t.Errorf("over SSH: %v", got)
	}
}

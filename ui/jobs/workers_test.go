package jobs

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
)

// A queued job says why it waits in the list's footer (on the cursor) and
// in its view; w opens the Workers pane, which follows the fleet's events.
func TestWaitingReasonAndWorkersPane(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.JobFixture()
	const reason = "waiting for an exec worker with 2 × H100: none is running"
	f.Lock()
	for i := range f.Items {
		if f.Items[i].Status == model.JobQueued {
			f.Items[i].WaitingReason = reason
		}
	}
	f.Unlock()
	m := newScreen(t, b, 120, 40)
	for i, j := range m.jobs {
		if j.Status == model.JobQueued {
			m.moveCursor(i)
			break
		}
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "⏳ "+reason) {
		t.Fatalf("the list does not say why the queued job waits:\n%s", v)
	}

	press(m, "w")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Workers") || !strings.Contains(v, "No worker is running") {
		t.Fatalf("empty Workers pane:\n%s", v)
	}
	job := uuid.New()
	f.Lock()
	f.Fleet = []model.Worker{{ID: uuid.New(), Host: "gpu-box-1", PID: 4242, Trainers: []string{model.TrainerExec}, GPUType: "H100",
		GPUs: []int{0, 1}, GPUsFree: []int{1}, RunningJobs: []uuid.UUID{job}, StartedAt: uitest.Clock().Add(-time.Hour), HeartbeatAt: uitest.Clock()}}
	f.Unlock()
	send(m, common.EventMsg{Event: engine.Event{Table: "workers", Op: "INSERT"}})
	v := ansi.Strip(m.View())
	uitest.Holds(t, "Workers pane", v, "1 live", "gpu-box-1 · 4242", "exec", "2 × H100 (0,1)", "■□ 1/2", "runs job "+job.String())
	press(m, "esc")
	if v := ansi.Strip(m.View()); strings.Contains(v, "gpu-box-1") || !strings.Contains(v, "Jobs") {
		t.Fatalf("esc did not close the pane:\n%s", v)
	}
	press(m, "enter")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "⏳ "+reason) {
		t.Fatalf("the job view does not say why the job waits:\n%s", v)
	}
}

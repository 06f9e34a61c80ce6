package jobs

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/format"
)

// The Workers pane (w in the list) shows the live fleet as `worker list`
// does: each worker, what it runs, its GPUs in use and its jobs. It
// follows the registry's change events, so a worker that starts, stops,
// dies or takes a job shows at once.

// workersTable is the table whose change events concern the pane and
// the waiting reasons of queued jobs.
const workersTable = "workers"

// fleetPane is the open Workers pane.
type fleetPane struct {
	seq    int
	page   engine.WorkerPage
	loaded bool
	err    error
}

// workersMsg is a read of the fleet.
type workersMsg struct {
	seq  int
	page engine.WorkerPage
	err  error
}

// openWorkers opens the pane and reads the fleet.
func (m *Model) openWorkers() tea.Cmd {
	m.fleet = &fleetPane{}
	return m.loadWorkers()
}

func (m *Model) loadWorkers() tea.Cmd {
	if m.fleet == nil {
		return nil
	}
	m.fleet.seq++
	seq, c := m.fleet.seq, m.common
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		p, err := c.Backend.Workers(ctx)
		return workersMsg{seq: seq, page: p, err: err}
	}
}

func (m *Model) gotWorkers(msg workersMsg) {
	if m.fleet == nil || msg.seq != m.fleet.seq {
		return
	}
	m.fleet.err = msg.err
	if msg.err == nil {
		m.fleet.page, m.fleet.loaded = msg.page, true
	}
}

// workersKey: esc closes the pane, r reads it again.
func (m *Model) workersKey(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Back), key.Matches(k, m.keys.Workers):
		m.fleet = nil
		return m.reloadIfStale()
	case key.Matches(k, m.keys.Reload):
		return m.loadWorkers()
	}
	return nil
}

// workersView draws the pane: a title, a line per worker and a line per
// job it runs.
func (m *Model) workersView(w, h int) string {
	t := m.common.Theme
	f := m.fleet
	title := t.Title.Render("Workers") + "  " + t.Muted.Render(fmt.Sprintf("%d live · esc back", len(f.page.Workers)))
	lines := []string{title, t.Muted.Render(fmt.Sprintf("%-28s %-10s %-22s %-9s %-5s %s", "HOST · PID", "TRAINERS", "GPUS", "IN USE", "JOBS", "LAST SEEN"))}
	switch {
	case f.err != nil:
		lines = append(lines, t.Error.Render("✗ Could not load the workers: "+f.err.Error()))
	case !f.loaded:
		lines = append(lines, t.Empty.Render("  Loading workers…"))
	case len(f.page.Workers) == 0:
		lines = append(lines, t.Empty.Render("  No worker is running. Start one with `brightrun worker` (see `brightrun worker -h`)."))
	}
	now := m.common.Now()
	for _, wk := range f.page.Workers {
		lines = append(lines, fmt.Sprintf("%-28s %-10s %-22s %-9s %-5d %s",
			common.Truncate(fmt.Sprintf("%s · %d", wk.Host, wk.PID), 28, "…"), strings.Join(wk.Trainers, ","),
			common.Truncate(workerGPUs(wk), 22, "…"), gpusInUse(wk), len(wk.RunningJobs), format.Age(now, wk.HeartbeatAt)))
		for _, j := range wk.RunningJobs {
			lines = append(lines, t.Muted.Render("    runs job "+j.String()))
		}
	}
	return fitLines(lines, w, h)
}

// workerGPUs is "2 × H100 (0,1)", or "-" for a worker without GPUs.
func workerGPUs(wk model.Worker) string {
	if wk.GPUType == "" {
		return "-"
	}
	ids := make([]string, len(wk.GPUs))
	for i, id := range wk.GPUs {
		ids[i] = fmt.Sprint(id)
	}
	return fmt.Sprintf("%d × %s (%s)", len(wk.GPUs), wk.GPUType, strings.Join(ids, ","))
}

// gpusInUse draws the GPUs, busy ones filled: "■□ 1/2".
func gpusInUse(wk model.Worker) string {
	if len(wk.GPUs) == 0 {
		return "-"
	}
	busy := len(wk.GPUs) - len(wk.GPUsFree)
	return strings.Repeat("■", busy) + strings.Repeat("□", len(wk.GPUsFree)) + fmt.Sprintf(" %d/%d", busy, len(wk.GPUs))
}

package jobs

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
)

// sweepFixture makes every fixture job that has started a run of one
// sweep named "grid" and returns it.
func sweepFixture(t testing.TB, b *uitest.Backend) engine.SweepLaunch {
	t.Helper()
	f := b.JobFixture()
	f.Lock()
	defer f.Unlock()
	sw := model.Sweep{ID: uuid.MustParse("00000000-0000-4000-8000-00000000a5e1"), Name: "grid", CreatedAt: uitest.Now}
	for i := range f.Items {
		if f.Items[i].Status != model.JobQueued {
			f.Items[i].SweepID, f.Items[i].SweepName = &sw.ID, sw.Name
		}
	}
	f.Sweeps = append(f.Sweeps, sw)
	return engineLaunch(sw)
}

// openSweepView shows the Jobs screen at w × h and opens the sweep as a
// launch from Configure would.
func openSweepView(t testing.TB, b *uitest.Backend, w, h int) *Model {
	t.Helper()
	s := sweepFixture(t, b)
	m := newScreen(t, b, w, h)
	send(m, common.SweepCreatedMsg{Sweep: s})
	if m.cmp == nil || m.cmp.sweep == nil || !m.cmp.loaded {
		t.Fatalf("the sweep did not open loaded:\n%s", ansi.Strip(m.View()))
	}
	return m
}

func TestSweepViewGolden(t *testing.T) {
	for _, tc := range []struct {
		name     string
		w, h     int
		keys     []string
		contains []string
	}{
		{"sweep_100x30", 100, 30, nil, []string{"Sweep “grid” · ", "★ ", "VAL BEST", "› "}},
		{"sweep_200x60", 200, 60, []string{"v", "down"}, []string{"[val loss]", "● live", "✗ failed"}},
		{"sweep_narrow_60x20", 60, 20, []string{"x"}, []string{"[loss]", "★ ", "0  "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := openSweepView(t, uitest.NewBackend(t), tc.w, tc.h)
			press(m, tc.keys...)
			assertFrame(t, tc.name, m.View(), tc.w, tc.h, tc.contains...)
		})
	}
}

// The runs are ranked by best validation loss, the leader first and
// starred; p clones the run under the cursor into Configure; esc goes back
// to the list.
func TestSweepRankingAndPromote(t *testing.T) {
	b := uitest.NewBackend(t)
	m := openSweepView(t, b, 120, 40)
	c := m.cmp
	ranked := c.ranked()
	for k := 1; k < len(ranked); k++ {
		a, z := c.jobs[ranked[k-1]].BestValLoss, c.jobs[ranked[k]].BestValLoss
		if a == nil && z != nil || a != nil && z != nil && *a > *z {
			t.Fatalf("ranking out of order at %d: %v then %v", k, a, z)
		}
	}
	if c.leader() != ranked[0] || c.jobs[ranked[0]].BestValLoss == nil {
		t.Fatalf("leader %d, ranked %v", c.leader(), ranked)
	}
	leaderLine := ""
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
		if strings.Contains(l, "★") {
			leaderLine = l
		}
	}
	if !strings.Contains(leaderLine, "› ★") || !strings.Contains(leaderLine, c.jobs[ranked[0]].Name[:8]) {
		t.Fatalf("the leader's line %q does not carry the cursor and %q", leaderLine, c.jobs[ranked[0]].Name)
	}
	for i, keys := range [][]string{nil, {"down"}} {
		press(m, keys...)
		_, cmd := m.Update(uitest.Key("p"))
		msgs := uitest.Run(cmd)
		if len(msgs) != 1 {
			t.Fatalf("p gave %d messages", len(msgs))
		}
		clone, ok := msgs[0].(common.CloneJobMsg)
		if !ok || clone.Job.ID != c.jobs[ranked[i]].ID {
			t.Fatalf("p on rank %d cloned %+v, want job %s", i+1, msgs[0], c.jobs[ranked[i]].ID)
		}
	}
	press(m, "esc")
	if m.cmp != nil {
		t.Fatal("esc did not leave the sweep view")
	}
}

// A run's change event reads that run again: the view follows the race.
func TestSweepFollowsItsRuns(t *testing.T) {
	b := uitest.NewBackend(t)
	m := openSweepView(t, b, 120, 40)
	var running model.Job
	for _, cj := range m.cmp.jobs {
		if cj.Status == model.JobRunning {
			running = cj.Job
		}
	}
	if running.ID == uuid.Nil {
		t.Fatal("the fixture's sweep has no running run")
	}
	f := b.JobFixture()
	f.Lock()
	for i := range f.Items {
		if f.Items[i].ID == running.ID {
			f.Items[i].Status, f.Items[i].Progress = model.JobCancelled, 100
		}
	}
	f.Unlock()
	jobUpdated(m, running.ID)
	if cj := m.cmp.find(running.ID); cj == nil || cj.Status != model.JobCancelled {
		t.Fatalf("the run did not follow its row: %+v", cj)
	}
}

// engineLaunch is the launch a sweep's creation hands the Jobs screen.
func engineLaunch(sw model.Sweep) engine.SweepLaunch {
	return engine.SweepLaunch{Sweep: sw, ID: sw.ID, Name: sw.Name}
}

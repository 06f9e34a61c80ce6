package datasets

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
)

func TestGoldenList(t *testing.T) {
	for _, s := range [][2]int{{80, 24}, {120, 40}} {
		name := fmt.Sprintf("list_%dx%d", s[0], s[1])
		t.Run(name, func(t *testing.T) {
			m := newLoaded(t, uitest.NewBackend(t), s[0], s[1])
			press(m, "j") // the failed one: its reason shows under the table
			golden.Assert(t, name, m.View())
		})
	}
}

func TestListShowsEveryColumn(t *testing.T) {
	m := newLoaded(t, uitest.NewBackend(t), 120, 40)
	v := ansi.Strip(m.View())
	uitest.Holds(t, "list", v,
		"Datasets  4 datasets · 1 validating · 1 not training-ready",
		"Name", "Format", "Size", "Pairs", "Tokens", "Status", "Training", "Created",
		"support-2024-q4", "chat", "12.3 MiB", "1,000", "13,268,572", "✓ ready", "1d ago",
		"scraped-faq", "sharegpt", "✓ ready      ✗ 12 errors", "5h ago",
		"tone-tuner-v2", "⠋ validating", "1m ago",
	)
	// The line under the table says why the selected dataset cannot be
	// trained on.
	press(m, "down")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "✗ ready · not training-ready: 12 errors: line 4: ") {
		t.Errorf("selected line of scraped-faq:\n%s", v)
	}
	// Narrow: compact counts, no format column.
	m.SetSize(80, 24)
	v = ansi.Strip(m.View())
	if !strings.Contains(v, "13.3M") || strings.Contains(v, "Format") {
		t.Errorf("narrow list:\n%s", v)
	}
}

func TestShowsSpinnerUntilLoaded(t *testing.T) {
	m := newScreen(t, uitest.NewBackend(t), 80, 20)
	m.Init()
	if v := m.View(); !strings.Contains(v, "Loading datasets…") {
		t.Errorf("no loading state:\n%s", v)
	}
}

func TestEmptyAndErrorStates(t *testing.T) {
	b := uitest.NewBackend(t)
	b.DatasetFixture().Items = nil
	m := newLoaded(t, b, 80, 20)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "No datasets yet") || !strings.Contains(v, "u uploads a JSONL file") {
		t.Errorf("empty state missing:\n%s", v)
	}
	b.DatasetFixture().LoadErr = errors.New("database is down")
	m = newScreen(t, b, 80, 20)
	passed := deliver(m, uitest.Run(m.Init()))
	if e, ok := uitest.Find[common.ErrMsg](passed); !ok || e.Op != "load datasets" {
		t.Errorf("load failure not passed to the shell: %v", passed)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Could not load datasets") || !strings.Contains(v, "database is down") {
		t.Errorf("error state missing:\n%s", v)
	}
}

func TestFilterByName(t *testing.T) {
	m := newLoaded(t, uitest.NewBackend(t), 80, 24)
	press(m, "/")
	if !m.InputFocused() {
		t.Fatal("/ did not focus the filter")
	}
	typeText(m, "SUP")
	// While typing, d is text, not delete.
	press(m, "d")
	if m.mode != modeList || m.filter.Value() != "SUPd" {
		t.Fatalf("typing d: mode %v, filter %q", m.mode, m.filter.Value())
	}
	press(m, "backspace", "enter")
	if m.InputFocused() {
		t.Error("enter did not leave the filter")
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "support-2024-q4") || strings.Contains(v, "scraped-faq") ||
		!strings.Contains(v, "Filter “SUP”: 1 dataset shown · esc clears") {
		t.Errorf("filter not applied:\n%s", v)
	}
	if d, _ := m.selected(); d.Name != "support-2024-q4" {
		t.Errorf("selected %q under the filter", d.Name)
	}
	press(m, "esc")
	if m.filter.Value() != "" || len(m.shown) != 4 {
		t.Errorf("esc left the filter %q with %d shown", m.filter.Value(), len(m.shown))
	}
}

func TestDeleteAsksFirst(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.DatasetFixture()
	m := newLoaded(t, b, 80, 24)
	press(m, "j", "d")
	if m.mode != modeDelete || !m.InputFocused() {
		t.Fatalf("d did not ask: mode %v", m.mode)
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "Delete “scraped-faq”?") || !strings.Contains(v, "Its file goes from storage too (812.0 KiB)") {
		t.Errorf("question:\n%s", v)
	}
	golden.Assert(t, "delete_80x24", m.View())
	press(m, "n")
	if m.mode != modeList || len(f.Deleted) != 0 {
		t.Fatalf("n deleted: mode %v, deleted %v", m.mode, f.Deleted)
	}
	passed := press(m, "d", "y")
	if len(f.Deleted) != 1 || f.Deleted[0] != f.Items[0].ID && len(f.Items) != 3 {
		t.Fatalf("deleted %v", f.Deleted)
	}
	if got := notices(passed); len(got) != 1 || got[0] != "Deleted “scraped-faq” and its file" {
		t.Errorf("notices %q", got)
	}
	if _, ok := f.Find("scraped-faq"); ok || strings.Contains(m.View(), "scraped-faq") {
		t.Errorf("still listed:\n%s", m.View())
	}
}

func TestDeleteFailureIsReported(t *testing.T) {
	b := uitest.NewBackend(t)
	b.DatasetFixture().DeleteErr = errors.New("object storage unreachable")
	m := newLoaded(t, b, 80, 24)
	passed := press(m, "d", "y")
	if e, ok := uitest.Find[common.ErrMsg](passed); !ok || e.Error() != "delete “tone-tuner-v2”: object storage unreachable" {
		t.Errorf("error %v", passed)
	}
}

func TestRevalidate(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.DatasetFixture()
	m := newLoaded(t, b, 80, 24)
	// The validating one is left be.
	passed := press(m, "r")
	if len(f.Revalidated) != 0 || notices(passed)[0] != "“tone-tuner-v2” is being validated already" {
		t.Fatalf("revalidated a validating dataset: %v %q", f.Revalidated, notices(passed))
	}
	passed = press(m, "j", "j", "r")
	support, _ := f.Find("support-2024-q4")
	if len(f.Revalidated) != 1 || f.Revalidated[0] != support.ID {
		t.Fatalf("revalidated %v", f.Revalidated)
	}
	if got := notices(passed); len(got) != 1 || got[0] != "Validating “support-2024-q4” again" {
		t.Errorf("notices %q", got)
	}
	if !strings.Contains(ansi.Strip(m.View()), "2 validating") {
		t.Errorf("reload did not show it validating:\n%s", m.View())
	}
}

func TestPollsWhileSomethingIsUnderWay(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.DatasetFixture()
	m := newLoaded(t, b, 80, 24)
	if !m.polling {
		t.Fatal("a validating dataset did not start the poll")
	}
	tone, _ := f.Find("tone-tuner-v2")
	f.SetStatus(tone.ID, model.DatasetReady)
	loads := f.Loads
	deliver(m, []tea.Msg{pollMsg{}})
	if f.Loads != loads+1 {
		t.Fatalf("poll did not reload: %d loads", f.Loads)
	}
	v := ansi.Strip(m.View())
	if strings.Contains(v, "validating") || !strings.Contains(v, "4 datasets · 1 not training-ready") {
		t.Errorf("status not updated:\n%s", v)
	}
	if m.polling {
		t.Error("still polling with nothing under way")
	}
}

func TestReloadOnActivationAndCtrlR(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.DatasetFixture()
	m := newLoaded(t, b, 80, 24)
	press(m, "ctrl+r")
	_, cmd := m.Update(common.ActivatedMsg{})
	deliver(m, uitest.Run(cmd))
	if f.Loads != 3 {
		t.Errorf("loads %d, want 3", f.Loads)
	}
}

func TestStaleLoadIsDropped(t *testing.T) {
	m := newLoaded(t, uitest.NewBackend(t), 80, 24)
	m.Update(loadedMsg{seq: m.seq - 1})
	if len(m.items) != 4 {
		t.Errorf("an older load replaced a newer one: %d items", len(m.items))
	}
}

func TestHelpFollowsTheSelection(t *testing.T) {
	m := newLoaded(t, uitest.NewBackend(t), 80, 24)
	keys := func() string {
		var s []string
		for _, b := range m.ShortHelp() {
			s = append(s, b.Help().Key)
		}
		return strings.Join(s, " ")
	}
	if got := keys(); got != "↑↓/jk enter u U d / ctrl+r" {
		t.Errorf("validating: %q", got)
	}
	press(m, "j")
	if got := keys(); got != "↑↓/jk enter u U r t d / ctrl+r" {
		t.Errorf("ready, not training-ready: %q", got)
	}
}

func TestPushedDatasetEventReloads(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newLoaded(t, b, 80, 24)
	_, cmd := m.Update(common.EventMsg{Event: engine.Event{Table: "datasets", Op: "UPDATE"}})
	if cmd == nil {
		t.Fatal("a datasets event did not reload the list")
	}
	if _, cmd := m.Update(common.EventMsg{Event: engine.Event{Table: "notifications", Op: "INSERT"}}); cmd != nil {
		t.Fatal("a notifications event reloaded the datasets")
	}
}

func TestTrainKeyOpensConfigureOnlyForReadyDatasets(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newLoaded(t, b, 120, 40)
	ready := map[string]bool{}
	for _, d := range b.DatasetFixture().Items {
		ready[d.ID.String()] = d.Status == model.DatasetReady && d.TrainingReady
	}
	opened, refused := 0, 0
	for i := 0; i < len(ready); i++ {
		msgs := press(m, "t")
		if msg, ok := uitest.Find[common.ConfigureDatasetMsg](msgs); ok {
			if !ready[msg.DatasetID.String()] {
				t.Fatalf("t opened Configure on a dataset that is not ready: %s", msg.DatasetID)
			}
			opened++
		} else if _, ok := uitest.Find[common.NoticeMsg](msgs); ok {
			refused++
		}
		press(m, "j")
	}
	if opened == 0 || refused == 0 {
		t.Fatalf("opened %d, refused %d: want both among the fixture's datasets", opened, refused)
	}
}

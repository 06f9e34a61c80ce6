package notifications

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"brightrun/engine"
	"brightrun/ui/common"
	"brightrun/ui/internal/screentest"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// newLoaded builds the screen on the fixture, sized, with its first load
// delivered.
func newLoaded(t *testing.T, b *uitest.Backend) *Model {
	t.Helper()
	return screentest.New(t, b, New, 80, 20).Screen.(*Model)
}

func driver(m *Model) screentest.Driver {
	return screentest.Driver{Screen: m, Backend: m.common.Backend.(*uitest.Backend)}
}

// press sends keys and delivers what their commands answer, returning the
// messages the screen passed on (errors, notices) for the shell.
func press(m *Model, keys ...string) []tea.Msg { return driver(m).Press(keys...) }
func send(m *Model, msg tea.Msg) []tea.Msg     { return driver(m).Send(msg) }

func TestLoadsNewestFirst(t *testing.T) {
	m := newLoaded(t, uitest.NewBackend(t))
	v := m.View()
	first := strings.Index(v, "Job failed: support-bot-v3")
	second := strings.Index(v, "Training finished: tone-tuner")
	if first < 0 || second < 0 || first > second {
		t.Fatalf("not newest first:\n%s", v)
	}
	uitest.Holds(t, "view", v, "2 unread · 5 total", "3m ago", "job_failed", "high", "2h ago")
	if m.Badge() != "2" {
		t.Errorf("badge %q, want 2", m.Badge())
	}
}

func TestShowsSpinnerUntilLoaded(t *testing.T) {
	c := common.New(t.Context(), uitest.NewBackend(t), theme.New(true), nil, uitest.Clock)
	m := New(c).(*Model)
	m.SetSize(80, 20)
	m.Init()
	if v := m.View(); !strings.Contains(v, "Loading notifications…") {
		t.Errorf("no loading state:\n%s", v)
	}
}

func TestMarkReadCallsBackend(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newLoaded(t, b)
	press(m, "enter")
	if len(b.Marked) != 1 || b.Marked[0] != b.Items[0].ID {
		t.Fatalf("marked %v, want the newest %v", b.Marked, b.Items[0].ID)
	}
	if m.Badge() != "1" {
		t.Errorf("badge %q after marking one read", m.Badge())
	}
	// r does the same on the next one.
	press(m, "j", "r")
	if len(b.Marked) != 2 || b.Marked[1] != b.Items[1].ID {
		t.Fatalf("marked %v after j r", b.Marked)
	}
	if m.Badge() != "" || !strings.Contains(m.View(), "0 unread") {
		t.Errorf("still unread after marking both: badge %q", m.Badge())
	}
}

func TestMarkReadFailurePutsTheMarkBack(t *testing.T) {
	b := uitest.NewBackend(t)
	b.MarkErr = errors.New("connection refused")
	m := newLoaded(t, b)
	passed := press(m, "enter")
	e, ok := uitest.Find[common.ErrMsg](passed)
	if !ok || e.Op != "mark read" {
		t.Fatalf("no error for the shell: %v", passed)
	}
	if m.Badge() != "2" {
		t.Errorf("badge %q, want the unread mark restored", m.Badge())
	}
}

func TestMarkAll(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newLoaded(t, b)
	passed := press(m, "R")
	if b.MarkAllCalls != 1 {
		t.Fatalf("mark all calls %d", b.MarkAllCalls)
	}
	n, ok := uitest.Find[common.NoticeMsg](passed)
	if !ok || string(n) != "2 notifications marked read" {
		t.Errorf("notice %q", n)
	}
	if m.Badge() != "" {
		t.Errorf("badge %q after mark all", m.Badge())
	}
	// Nothing left: no second call.
	press(m, "R")
	if b.MarkAllCalls != 1 {
		t.Errorf("mark all called again with nothing unread")
	}
}

func TestTopAndBottom(t *testing.T) {
	m := newLoaded(t, uitest.NewBackend(t))
	press(m, "G")
	if got := m.list.Index(); got != 4 {
		t.Errorf("G: index %d, want 4", got)
	}
	press(m, "g")
	if got := m.list.Index(); got != 0 {
		t.Errorf("g: index %d, want 0", got)
	}
}

func TestReloadOnActivationAndCtrlR(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newLoaded(t, b)
	b.Items = b.Items[:1]
	press(m, "ctrl+r")
	if b.Loads != 2 || !strings.Contains(m.View(), "1 unread · 1 total") {
		t.Errorf("ctrl+r: loads %d\n%s", b.Loads, m.View())
	}
	send(m, common.ActivatedMsg{})
	if b.Loads != 3 {
		t.Errorf("activation: loads %d, want 3", b.Loads)
	}
}

func TestEmptyAndErrorStates(t *testing.T) {
	b := uitest.NewBackend(t)
	b.Items = nil
	m := newLoaded(t, b)
	if v := m.View(); !strings.Contains(v, "No notifications yet") {
		t.Errorf("empty state missing:\n%s", v)
	}
	b.LoadErr = errors.New("database is down")
	c := common.New(t.Context(), b, theme.New(true), nil, uitest.Clock)
	m = New(c).(*Model)
	m.SetSize(80, 20)
	d := driver(m)
	passed := d.Deliver(d.Run(m.Init()))
	if _, ok := uitest.Find[common.ErrMsg](passed); !ok {
		t.Error("load failure not passed to the shell")
	}
	if v := m.View(); !strings.Contains(v, "Could not load notifications") || !strings.Contains(v, "database is down") {
		t.Errorf("error state missing:\n%s", v)
	}
}

func TestFilterTakesTheKeyboard(t *testing.T) {
	m := newLoaded(t, uitest.NewBackend(t))
	press(m, "/")
	if !m.InputFocused() {
		t.Fatal("/ did not focus the filter")
	}
	press(m, "t", "o", "n", "e")
	// While typing, r is text, not "mark read".
	press(m, "r")
	if m.InputFocused() != true {
		t.Error("typing left the filter")
	}
	press(m, "esc")
	if m.InputFocused() {
		t.Error("esc did not leave the filter")
	}
}

func TestStaleLoadIsDropped(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newLoaded(t, b)
	old := loadedMsg{seq: m.seq - 1, items: nil}
	m.Update(old)
	if len(m.items) != 5 {
		t.Errorf("an older load replaced a newer one: %d items", len(m.items))
	}
}

func TestPushedEventReloads(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newLoaded(t, b)
	before := b.Loads
	send(m, common.EventMsg{Event: engine.Event{Table: "notifications", Op: "INSERT"}})
	if b.Loads != before+1 {
		t.Fatalf("loads %d → %d, want a reload on a notifications event", before, b.Loads)
	}
	if _, cmd := m.Update(common.EventMsg{Event: engine.Event{Table: "datasets", Op: "UPDATE"}}); cmd != nil {
		t.Fatal("a datasets event reloaded notifications")
	}
}

package costs

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// newScreen is the Costs tab on b at w × h with its first load done.
func newScreen(t *testing.T, b *uitest.Backend, w, h int) *Model {
	t.Helper()
	m := New(common.New(t.Context(), b, theme.New(true), nil, uitest.Clock)).(*Model)
	m.SetSize(w, h)
	feed(m, m.Init())
	return m
}

// feed runs cmd and hands its messages to the screen, and theirs, to the end.
func feed(m *Model, cmd tea.Cmd) {
	for _, msg := range uitest.Run(cmd) {
		if _, ok := msg.(loadedMsg); ok {
			_, next := m.Update(msg)
			feed(m, next)
		}
	}
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		_, cmd := m.Update(uitest.Key(k))
		feed(m, cmd)
	}
}

func TestGolden(t *testing.T) {
	golden.AtSizes(func(w, h int, name func(string) string) {
		t.Run(name("month"), func(t *testing.T) {
			golden.Assert(t, name("month"), newScreen(t, uitest.NewBackend(t), w, h).View())
		})
	})
}

// The month's days are bars with their totals, the costliest jobs are
// listed, and the header sums the month; ←/→ change the month (never into
// the future) and an empty month says so.
func TestCostsByDayAndMonths(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 120, 40)
	v := ansi.Strip(m.View())
	uitest.Holds(t, "the view", v, "Costs  2026-03", "$36.19 total (compute $35.19 + storage $1.00)", "10.05 GPU hours", "3 jobs",
		"09", "$25.50", "Costliest jobs", "tone-tuner", "support-bot-v3")
	press(m, "right")
	if got := b.CostFixture().Asked; len(got) != 1 || got[0] != "2026-03 day" {
		t.Fatalf("→ on the current month asked %v; the future has no costs", got)
	}
	press(m, "left")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "No costs recorded in 2026-02") {
		t.Fatalf("an empty month:\n%s", v)
	}
	press(m, "]")
	if got := b.CostFixture().Asked; got[len(got)-1] != "2026-03 day" || !strings.Contains(ansi.Strip(m.View()), "tone-tuner") {
		t.Fatalf("back to March: %v", got)
	}
}

func TestCostsLoadError(t *testing.T) {
	b := uitest.NewBackend(t)
	b.CostFixture().LoadErr = errors.New("connection refused")
	if v := ansi.Strip(newScreen(t, b, 80, 24).View()); !strings.Contains(v, "connection refused") {
		t.Fatalf("a failed load:\n%s", v)
	}
}

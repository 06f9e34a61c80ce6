package estimate

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

func newScreen(t *testing.T, w, h int) (*Model, *uitest.Backend) {
	t.Helper()
	b := uitest.NewBackend(t)
	c := common.New(t.Context(), b, theme.New(true), nil, uitest.Clock)
	m := New(c).(*Model)
	m.SetSize(w, h)
	return m, b
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		m.Update(uitest.Key(k))
	}
}

func typeText(m *Model, s string) {
	for _, msg := range uitest.Type(s) {
		m.Update(msg)
	}
}

// goTo activates the form and moves the cursor to f.
func goTo(m *Model, f field) {
	m.Update(common.ActivatedMsg{})
	for m.focus != f {
		press(m, "tab")
	}
}

func clear(m *Model) {
	for range 20 {
		press(m, "backspace")
	}
}

func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("idle_%dx%d", w, h), func(t *testing.T) {
			m, _ := newScreen(t, w, h)
			golden.Assert(t, fmt.Sprintf("idle_%dx%d", w, h), m.View())
		})
		t.Run(fmt.Sprintf("invalid_%dx%d", w, h), func(t *testing.T) {
			m, _ := newScreen(t, w, h)
			goTo(m, fBatch)
			typeText(m, "65")
			goTo(m, fLR)
			typeText(m, "0.5")
			golden.Assert(t, fmt.Sprintf("invalid_%dx%d", w, h), m.View())
		})
	}
	t.Run("compare_80x24", func(t *testing.T) {
		m, _ := newScreen(t, 80, 24)
		press(m, "c")
		golden.Assert(t, "compare_80x24", m.View())
	})
}

func TestWorkedExample(t *testing.T) {
	// docs/formats.md#cost-estimate: 1,000 pairs, 13,268,572 tokens, 2 × A100-80GB,
	// balanced → 250 steps/epoch, 750 steps, 3.57 h, $7.00/h, $25.00 + $0.50.
	m, _ := newScreen(t, 120, 40)
	goTo(m, fCount)
	press(m, "right")
	v := m.View()
	uitest.Holds(t, "view", v, "$25.50", "$25.00", "$0.50", "3.57 h", "$7.00/h", "250", "750", "3,600 tok/s")
}

func TestEveryKeystrokeRecomputes(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	goTo(m, fPairs)
	before := b.EstimateCalls
	typeText(m, "0") // 1000 → 10000 pairs
	if b.EstimateCalls != before+1 {
		t.Errorf("estimate calls %d → %d, want one per key", before, b.EstimateCalls)
	}
	if got := m.result.TrainingDetails.StepsPerEpoch; got != 2500 {
		t.Errorf("steps/epoch %d after typing a 0, want 2500", got)
	}
	if !strings.Contains(m.View(), "2,500") {
		t.Error("view not updated")
	}
	press(m, "backspace")
	if got := m.result.TrainingDetails.StepsPerEpoch; got != 250 {
		t.Errorf("steps/epoch %d after backspace, want 250", got)
	}
}

func TestInvalidBatchShowsMessage(t *testing.T) {
	m, _ := newScreen(t, 80, 24)
	goTo(m, fBatch)
	typeText(m, "65")
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "✗ must be between 1 and 64") {
		t.Errorf("no range message:\n%s", v)
	}
	if strings.Contains(v, "Total cost") || m.valid {
		t.Error("a result is shown for invalid input")
	}
	press(m, "backspace") // 6 is fine
	if !m.valid || !strings.Contains(m.View(), "Total cost") {
		t.Errorf("no result after fixing the batch:\n%s", m.View())
	}
}

func TestNumberInputs(t *testing.T) {
	m, _ := newScreen(t, 80, 24)
	goTo(m, fTokens)
	clear(m)
	typeText(m, "13,268,572")
	if m.tokens != 13268572 {
		t.Errorf("tokens %d from 13,268,572", m.tokens)
	}
	typeText(m, "abc x")
	if m.inputs[fTokens].Value() != "13,268,572" {
		t.Errorf("letters reached a number field: %q", m.inputs[fTokens].Value())
	}
	m.Update(tea.PasteMsg{Content: "1_0x0"})
	if m.inputs[fTokens].Value() != "13,268,5721_00" {
		t.Errorf("paste not filtered: %q", m.inputs[fTokens].Value())
	}
	clear(m)
	if _, ok := m.fieldErrs[fTokens]; !ok || !strings.Contains(m.View(), "is required") {
		t.Error("an empty token count is not flagged")
	}
}

func TestLearningRateOverride(t *testing.T) {
	m, _ := newScreen(t, 120, 40)
	goTo(m, fLR)
	typeText(m, "1e-4")
	if m.result.Hyperparameters.LearningRate != 1e-4 {
		t.Errorf("lr %v", m.result.Hyperparameters.LearningRate)
	}
	if !strings.Contains(m.View(), "lr 0.0001") {
		t.Errorf("effective lr not shown:\n%s", m.View())
	}
}

func TestSelectors(t *testing.T) {
	m, _ := newScreen(t, 120, 40)
	goTo(m, fPreset)
	press(m, "right")
	if m.result.Preset != "quality" || m.result.Hyperparameters.Epochs != 5 {
		t.Errorf("preset %q epochs %d", m.result.Preset, m.result.Hyperparameters.Epochs)
	}
	press(m, "tab", "left")
	if got := m.result.GPUConfig.Type; got != "V100-32GB" {
		t.Errorf("gpu %q after left from the first, want wrap to the last", got)
	}
	press(m, "tab", "-")
	if got := m.result.GPUConfig.Count; got != 1 {
		t.Errorf("count %d below 1", got)
	}
	for range 10 {
		press(m, "+")
	}
	if got := m.result.GPUConfig.Count; got != 8 {
		t.Errorf("count %d, want capped at 8", got)
	}
}

func TestEditingMode(t *testing.T) {
	m, _ := newScreen(t, 80, 24)
	if m.InputFocused() {
		t.Fatal("editing before activation")
	}
	m.Update(common.ActivatedMsg{})
	if !m.InputFocused() {
		t.Fatal("activation did not start editing")
	}
	press(m, "shift+tab")
	if m.focus != fRank {
		t.Errorf("shift+tab from the first row went to %v, want the last", m.focus)
	}
	press(m, "esc")
	if m.InputFocused() {
		t.Error("esc did not leave the form")
	}
	press(m, "enter")
	if !m.InputFocused() || m.focus != fRank {
		t.Error("enter did not resume editing where it stopped")
	}
}

func TestCompareMarksCheapest(t *testing.T) {
	m, _ := newScreen(t, 120, 40)
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "★ │ fast     │ V100-32GB │  $7.65") {
		t.Errorf("cheapest row not starred:\n%s", v)
	}
	press(m, "c")
	if strings.Contains(m.View(), "★ │") {
		t.Error("c did not hide the comparison")
	}
}

// TestNeverPanics presses random keys on every row at several sizes.
func TestNeverPanics(t *testing.T) {
	keys := []string{"tab", "shift+tab", "up", "down", "left", "right", "backspace", "enter", "esc",
		"0", "9", "_", ",", ".", "e", "-", "+", "c", "x", "space", "ctrl+u"}
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range [][2]int{{20, 5}, {60, 15}, {80, 24}, {200, 60}} {
		m, _ := newScreen(t, size[0], size[1])
		m.Update(common.ActivatedMsg{})
		for range 600 {
			press(m, keys[r.IntN(len(keys))])
			_ = m.View()
		}
	}
}

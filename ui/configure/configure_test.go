package configure

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
)

func plain(m *Model) string { return ansi.Strip(m.View()) }

// flat is the view with every run of spaces and line breaks made one
// space, for phrases that wrap.
func flat(m *Model) string { return strings.Join(strings.Fields(plain(m)), " ") }

func TestGolden(t *testing.T) {
	golden.AtSizes(func(w, h int, name func(string) string) {
		t.Run(name("form"), func(t *testing.T) {
			m, _ := newScreen(t, w, h)
			goTo(m, fDataset)
			golden.Assert(t, name("form"), m.View())
		})
		t.Run(name("invalid"), func(t *testing.T) {
			m, _ := newScreen(t, w, h)
			goTo(m, fBatch)
			typeText(m, "00") // 400
			goTo(m, fEpochs)
			typeText(m, "0") // 30
			golden.Assert(t, name("invalid"), m.View())
		})
		t.Run(name("compare"), func(t *testing.T) {
			m, _ := newScreen(t, w, h)
			goTo(m, fDataset)
			press(m, "c")
			golden.Assert(t, name("compare"), m.View())
		})
		t.Run(name("compare_all"), func(t *testing.T) {
			m, _ := newScreen(t, w, h)
			goTo(m, fDataset)
			press(m, "c", "a", "s")
			golden.Assert(t, name("compare_all"), m.View())
		})
		t.Run(name("confirm"), func(t *testing.T) {
			m, _ := newScreen(t, w, h)
			goTo(m, fCount)
			press(m, "right", "enter")
			golden.Assert(t, name("confirm"), m.View())
		})
	})
	t.Run("cap_120x40", func(t *testing.T) {
		m, _ := newScreen(t, 120, 40)
		goTo(m, fMaxCost)
		typeText(m, "10") // below the $23.75 estimate
		golden.Assert(t, "cap_120x40", m.View())
	})
	t.Run("custom_120x40", func(t *testing.T) {
		m, _ := newScreen(t, 120, 40)
		typeInto(m, fEpochs, "4")
		golden.Assert(t, "custom_120x40", m.View())
	})
}

func TestOnlyUsableDatasetsOffered(t *testing.T) {
	m, _ := newScreen(t, 120, 40)
	if got := strings.Join(m.dataset.Options, ","); got != "support-2024-q4,alpaca-mini" {
		t.Errorf("offered %q, want the two ready ones", got)
	}
	v := plain(m)
	uitest.Holds(t, "view", v, "Not ready for training", "tone-tuner-v2", "validation has not finished yet (status validating)", "scraped-faq", "ready but not training-ready: 12 errors (line 4")
	goTo(m, fDataset)
	press(m, "right")
	if m.chosen.Name != "alpaca-mini" || m.result.TrainingDetails.StepsPerEpoch != 12 {
		t.Errorf("chose %q, %d steps/epoch", m.chosen.Name, m.result.TrainingDetails.StepsPerEpoch)
	}
	press(m, "right")
	if m.chosen.Name != "support-2024-q4" {
		t.Errorf("did not wrap to the first: %q", m.chosen.Name)
	}
}

func TestWorkedExample(t *testing.T) {
	// docs/formats.md#cost-estimate: support-2024-q4 is 1,000 pairs and 13,268,572 tokens;
	// 2 × A100-80GB, balanced → $25.50.
	m, _ := newScreen(t, 120, 40)
	goTo(m, fCount)
	press(m, "right")
	v := plain(m)
	uitest.Holds(t, "view", v, "$25.50", "$25.00", "$0.50", "3.57 h", "$7.00/h", "250", "750", "3,600 tok/s", "enter ▸ launch on support-2024-q4 · $25.50")
}

func TestEveryKeystrokeRecomputes(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	goTo(m, fBatch)
	before := b.EstimateCalls
	typeText(m, "0") // 4 → 40
	if b.EstimateCalls != before+1 {
		t.Errorf("estimate calls %d → %d, want one per key", before, b.EstimateCalls)
	}
	if got := m.result.TrainingDetails.StepsPerEpoch; got != 25 {
		t.Errorf("steps/epoch %d with batch 40, want 25", got)
	}
	press(m, "backspace")
	if got := m.result.TrainingDetails.StepsPerEpoch; got != 250 {
		t.Errorf("steps/epoch %d after backspace, want 250", got)
	}
	typeText(m, "x")
	if m.inputs[fBatch].Value() != "4" {
		t.Errorf("a letter reached the batch size: %q", m.inputs[fBatch].Value())
	}
}

func TestOutOfRangeBlocksLaunch(t *testing.T) {
	m, b := newScreen(t, 80, 24)
	goTo(m, fBatch)
	typeText(m, "0") // 40 is fine
	goTo(m, fBatch)
	typeText(m, "0") // 400 is not
	v := plain(m)
	if !strings.Contains(v, "✗ must be between 1 and 64") || !strings.Contains(v, "✗ Launch blocked: fix the 1 marked field") {
		t.Errorf("range not marked:\n%s", v)
	}
	goTo(m, fDropout)
	press(m, "enter")
	if m.mode != modeForm || m.focus != fBatch {
		t.Errorf("enter with a bad field: mode %v focus %v, want the form on the batch size", m.mode, m.focus)
	}
	if len(b.JobFixture().Requests) != 0 {
		t.Error("a job was requested")
	}
	press(m, "backspace")
	press(m, "enter")
	if m.mode != modeConfirm {
		t.Error("no confirmation once fixed")
	}
}

func TestCustomAfterPreset(t *testing.T) {
	m, _ := newScreen(t, 120, 40)
	typeInto(m, fEpochs, "4")
	if !m.custom || m.result.Preset != "custom" || !strings.Contains(plain(m), "‹ custom   ›") {
		t.Errorf("not custom after changing epochs:\n%s", plain(m))
	}
	if !strings.Contains(plain(m), "from balanced") {
		t.Error("the base preset is not named")
	}
	press(m, "backspace")
	typeText(m, "3")
	if m.custom {
		t.Error("still custom with the preset's values back")
	}
	goTo(m, fPreset)
	press(m, "right")
	if m.hyper != model.Presets()[2].Hyperparameters || m.inputs[fEpochs].Value() != "5" {
		t.Errorf("quality did not fill the fields: %+v", m.hyper)
	}
}

func TestAlphaFollowsRankUntilTyped(t *testing.T) {
	m, _ := newScreen(t, 120, 40)
	typeInto(m, fRank, "8")
	if m.inputs[fAlpha].Value() != "16" {
		t.Errorf("alpha %q after rank 8, want 16", m.inputs[fAlpha].Value())
	}
	typeInto(m, fAlpha, "12")
	goTo(m, fRank)
	typeText(m, "0") // 80
	if m.inputs[fAlpha].Value() != "12" || m.hyper.Alpha != 12 || m.hyper.Rank != 80 {
		t.Errorf("typed alpha was overwritten: %+v", m.hyper)
	}
	goTo(m, fAlpha)
	clearField(m)
	if !strings.Contains(plain(m), "✗ is required") {
		t.Error("an empty alpha is not flagged")
	}
}

func TestConfigureDatasetMsg(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	if !m.Handles(common.ConfigureDatasetMsg{}) || m.Handles(common.JobCreatedMsg{}) {
		t.Error("Handles")
	}
	alpaca, _ := b.DatasetFixture().Find("alpaca-mini")
	_, cmd := m.Update(common.ConfigureDatasetMsg{DatasetID: alpaca.ID})
	feed(m, cmd)
	if m.chosen.ID != alpaca.ID || !m.valid || m.focus != fDataset || !m.InputFocused() {
		t.Errorf("chose %q valid %v focus %v", m.chosen.Name, m.valid, m.focus)
	}
	tone, _ := b.DatasetFixture().Find("tone-tuner-v2")
	_, cmd = m.Update(common.ConfigureDatasetMsg{DatasetID: tone.ID})
	feed(m, cmd)
	if m.valid || !strings.Contains(plain(m), "cannot be trained on: validation has not finished yet") {
		t.Errorf("an unusable dataset is not explained:\n%s", plain(m))
	}
}

func TestConfigureBeforeLoad(t *testing.T) {
	b := uitest.NewBackend(t)
	c := common.New(t.Context(), b, nil, nil, uitest.Clock)
	m := New(c).(*Model)
	m.SetSize(80, 24)
	alpaca, _ := b.DatasetFixture().Find("alpaca-mini")
	_, cmd := m.Update(common.ConfigureDatasetMsg{DatasetID: alpaca.ID})
	feed(m, cmd)
	if m.chosen.ID != alpaca.ID {
		t.Errorf("chose %q before the first load, want alpaca-mini", m.chosen.Name)
	}
}

func TestNoDatasetReady(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.DatasetFixture()
	for _, n := range []string{"support-2024-q4", "alpaca-mini"} {
		d, _ := f.Find(n)
		_ = b.DeleteDataset(t.Context(), d.ID)
	}
	c := common.New(t.Context(), b, nil, nil, uitest.Clock)
	m := New(c).(*Model)
	m.SetSize(80, 24)
	feed(m, m.Init())
	v := plain(m)
	if m.valid || !strings.Contains(v, "none ready") || !strings.Contains(v, "no dataset is ready for training yet") {
		t.Errorf("no-dataset state:\n%s", v)
	}
	goTo(m, fDataset)
	press(m, "c")
	if !strings.Contains(plain(m), "Pick a dataset first") {
		t.Errorf("comparison without a dataset:\n%s", plain(m))
	}
}

// TestNeverPanics presses random keys in every mode at several sizes.
func TestNeverPanics(t *testing.T) {
	keys := []string{"tab", "shift+tab", "up", "down", "left", "right", "backspace", "enter", "esc",
		"0", "9", ".", "e", "-", "+", "c", "a", "s", "S", "g", "G", "n", "x", "space", "pgdown"}
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range [][2]int{{20, 5}, {60, 15}, {80, 24}, {200, 60}} {
		m, _ := newScreen(t, size[0], size[1])
		m.Update(common.ActivatedMsg{})
		for range 600 {
			// Commands are not run: a cursor blink would make each key
			// wait; the launch path has its own tests.
			m.Update(uitest.Key(keys[r.IntN(len(keys))]))
			_ = m.View()
		}
	}
}

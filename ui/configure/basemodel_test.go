package configure

import (
	"strings"
	"testing"

	"brightrun/ui/internal/golden"
)

// chooseModel moves the Model row to the model with id.
func chooseModel(t *testing.T, m *Model, id string) {
	t.Helper()
	goTo(m, fModel)
	for range len(m.models.Models) {
		if m.currentModel().ID == id {
			return
		}
		press(m, "right")
	}
	t.Fatalf("no model %s in the selector", id)
}

// A model the chosen GPU cannot hold blocks the launch with the reason
// under the Model row; a GPU big enough lifts the block, and the launch
// carries the model.
func TestModelTooBigBlocksLaunch(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	if m.currentModel().ID != "Qwen/Qwen2.5-0.5B-Instruct" || !m.valid {
		t.Fatalf("the form starts on %s, valid %v", m.currentModel().ID, m.valid)
	}
	chooseModel(t, m, "Qwen/Qwen2.5-32B-Instruct")
	goTo(m, fGPU)
	for m.gpu.Value() != "V100-32GB" {
		press(m, "right")
	}
	v := plain(m)
	if m.valid || !strings.Contains(m.fieldErrs[fModel], "needs 75 GB on each GPU; V100-32GB has 32 GB") ||
		!strings.Contains(v, "✗ Launch blocked: fix the 1 marked field") || !strings.Contains(v, "V100-32GB has 32 GB: pick a bigger") {
		t.Fatalf("a 32B model on a V100 is not blocked: valid %v, errors %v\n%s", m.valid, m.fieldErrs, v)
	}
	golden.Assert(t, "model_blocked_120x40", m.View())
	press(m, "enter")
	if m.mode != modeForm || m.focus != fModel || len(b.JobFixture().Requests) != 0 {
		t.Fatalf("enter on a blocked form: mode %v focus %v, %d requests", m.mode, m.focus, len(b.JobFixture().Requests))
	}

	goTo(m, fGPU)
	for m.gpu.Value() != "H100" {
		press(m, "right")
	}
	if !m.valid || !strings.Contains(plain(m), "33B · needs 75 of 80 GB") {
		t.Fatalf("a 32B model on an H100 is blocked: %v\n%s", m.fieldErrs, plain(m))
	}
	press(m, "enter")
	if v := plain(m); !strings.Contains(v, "training Qwen2.5 32B") {
		t.Fatalf("the confirmation does not name the model:\n%s", v)
	}
	press(m, "y")
	f := b.JobFixture()
	if len(f.Created) != 1 || f.Requests[0].BaseModel != "Qwen/Qwen2.5-32B-Instruct" || f.Created[0].BaseModel != "Qwen/Qwen2.5-32B-Instruct" {
		t.Fatalf("launched %+v", f.Requests)
	}
}

// The 70B model fits no GPU of the built-in catalog.
func TestModel70BFitsNoGPU(t *testing.T) {
	m, _ := newScreen(t, 80, 24)
	chooseModel(t, m, "meta-llama/Llama-3.3-70B-Instruct")
	for _, g := range m.catalog.Types() {
		goTo(m, fGPU)
		for m.gpu.Value() != g {
			press(m, "right")
		}
		if m.valid || m.fieldErrs[fModel] == "" {
			t.Errorf("70B on %s is not blocked", g)
		}
	}
}

package configure

import (
	"strings"
	"testing"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
)

// fixtureJob is the fixture's job named name.
func fixtureJob(t *testing.T, b *uitest.Backend, name string) model.Job {
	t.Helper()
	for _, j := range b.JobFixture().Items {
		if j.Name == name {
			return j
		}
	}
	t.Fatalf("no job %s", name)
	return model.Job{}
}

func TestClonePrefillsAPresetJob(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	src := fixtureJob(t, b, "support-2024-q4 (fast)") // fast on 8 × A100-80GB
	if !m.Handles(common.CloneJobMsg{Job: src}) {
		t.Fatal("Configure does not handle a clone")
	}
	_, cmd := m.Update(common.CloneJobMsg{Job: src})
	feed(m, cmd)
	if m.chosen.ID != src.DatasetID || m.preset.Value() != "fast" || m.custom || m.gpu.Value() != "A100-80GB" ||
		m.gpuCount() != 8 || m.hyper != src.Hyperparameters {
		t.Fatalf("form: dataset %s preset %s custom %v gpu %d × %s hyper %+v", m.chosen.Name, m.preset.Value(), m.custom,
			m.gpuCount(), m.gpu.Value(), m.hyper)
	}
	if !m.editing || m.focus != fLR {
		t.Errorf("editing %v at %v, want the learning rate", m.editing, m.focus)
	}
	if v := plain(m); !strings.Contains(v, "like support-2024-q4 (fast)") {
		t.Errorf("the header does not say where the form came from:\n%s", v)
	}
}

func TestCloneCustomChangeOneValueAndLaunch(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	src := fixtureJob(t, b, "support-bot-v4") // balanced on 2 × A100-80GB
	src.Hyperparameters.LearningRate = 7e-5   // a run that was tuned
	src.Hyperparameters.Alpha = 48
	src.Trainer = model.TrainerExec
	src.BaseModel = "meta-llama/Llama-3.1-8B-Instruct"
	_, cmd := m.Update(common.CloneJobMsg{Job: src})
	feed(m, cmd)
	if !m.custom || m.preset.Value() != "balanced" || m.hyper != src.Hyperparameters || m.alphaAuto {
		t.Fatalf("custom form: preset %s custom %v hyper %+v alphaAuto %v", m.preset.Value(), m.custom, m.hyper, m.alphaAuto)
	}
	golden.Assert(t, "clone_custom_120x40", m.View())
	clearField(m)
	typeText(m, "0.0002")
	press(m, "enter", "y")
	f := b.JobFixture()
	if len(f.Requests) != 1 || len(f.Created) != 1 {
		t.Fatalf("%d requests, %d created", len(f.Requests), len(f.Created))
	}
	req, job := f.Requests[0], f.Created[0]
	want := src.Hyperparameters
	want.LearningRate = 2e-4
	if job.Hyperparameters != want || job.DatasetID != src.DatasetID || job.GPUConfig != src.GPUConfig ||
		req.ClonedFrom == nil || *req.ClonedFrom != src.ID || job.Name != "support-bot-v4 · clone" || job.Trainer != model.TrainerExec ||
		job.BaseModel != src.BaseModel {
		t.Fatalf("launched %+v from %+v", job, req)
	}
	if m.cloneOf != nil {
		t.Error("the form still says it is a clone after the launch")
	}
}

func TestCloneOfDeletedDatasetSaysSo(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	src := fixtureJob(t, b, "legacy-faq (fast)") // its dataset is gone
	_, cmd := m.Update(common.CloneJobMsg{Job: src})
	feed(m, cmd)
	if m.problem == "" || m.valid || !strings.Contains(plain(m), "no longer exists") {
		t.Fatalf("a clone onto a deleted dataset: problem %q valid %v\n%s", m.problem, m.valid, plain(m))
	}
	press(m, "enter") // refused: the cursor goes to the problem
	if len(b.JobFixture().Requests) != 0 {
		t.Error("a job was launched on a deleted dataset")
	}
}

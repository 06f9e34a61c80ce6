package simulate

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	"brightrun/model"
)

func simFor(t *testing.T, id uuid.UUID, preset string, pairs int, tokens int64) Simulation {
	t.Helper()
	p, err := model.PresetByKey(preset)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSimulation(SimInput{JobID: id, Hyperparameters: p.Apply(model.HyperOverrides{}),
		GPU: model.GPU{Type: "A100-80GB", HourlyRate: 3.5, TokensPerSec: 1800}, GPUCount: 2, Pairs: pairs, Tokens: tokens})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var simJob = uuid.MustParse("6f1c2a7e-1111-4000-8000-000000000001")

// The simulated run lasts exactly as long as the estimate says, so its
// compute cost is the estimate's.
func TestSimulationDurationIsTheEstimates(t *testing.T) {
	s := simFor(t, simJob, "balanced", 1000, 13268572)
	est, err := model.Catalog{GPUs: []model.GPU{{Type: "A100-80GB", HourlyRate: 3.5, TokensPerSec: 1800}}}.Estimate(model.EstimateInput{
		Pairs: 1000, Tokens: 13268572, GPU: model.GPUConfig{Type: "A100-80GB", Count: 2}, Hyperparameters: s.in.Hyperparameters})
	if err != nil {
		t.Fatal(err)
	}
	if got := math.Round(s.Duration()/36) / 100; got != est.EstimatedDurationHours {
		t.Fatalf("duration %.0f s = %.2f h, estimate %.2f h", s.Duration(), got, est.EstimatedDurationHours)
	}
	if got := model.ComputeCost(s.Duration(), 3.5, 2); got != est.CostBreakdown.Compute {
		t.Fatalf("compute cost %.2f, estimate %.2f", got, est.CostBreakdown.Compute)
	}
	if s.TotalSteps() != 750 || s.StepsPerEpoch() != 250 {
		t.Fatalf("steps %d/%d", s.TotalSteps(), s.StepsPerEpoch())
	}
}

func TestSimulationIsDeterministicPerJob(t *testing.T) {
	a, b := simFor(t, simJob, "balanced", 300, 120000), simFor(t, simJob, "balanced", 300, 120000)
	other := simFor(t, uuid.MustParse("6f1c2a7e-2222-4000-8000-000000000002"), "balanced", 300, 120000)
	differs := false
	for step := 1; step <= a.TotalSteps(); step++ {
		if !reflect.DeepEqual(a.Point(step), b.Point(step)) {
			t.Fatalf("step %d differs between two simulations of one job", step)
		}
		differs = differs || *a.Point(step).TrainLoss != *other.Point(step).TrainLoss
	}
	if !differs {
		t.Fatal("two jobs got the same curve")
	}
	fa, _ := a.SimulatedAdapter("j", map[string]float64{"train_loss": 1})
	fb, _ := b.SimulatedAdapter("j", map[string]float64{"train_loss": 1})
	if !reflect.DeepEqual(fa, fb) {
		t.Fatal("the simulated adapter is not deterministic")
	}
}

// The curve trends down, stays in sane ranges, and its schedule warms up
// and then decays, for every preset and dataset size.
func TestSimulationCurveShapeAndRanges(t *testing.T) {
	tests := []struct {
		preset string
		pairs  int
		tokens int64
	}{
		{"fast", 15, 600}, {"balanced", 15, 600}, {"balanced", 1000, 13268572}, {"quality", 5000, 2_000_000}, {"fast", 200000, 60_000_000},
	}
	for _, tt := range tests {
		t.Run(tt.preset, func(t *testing.T) {
			s := simFor(t, simJob, tt.preset, tt.pairs, tt.tokens)
			n := s.TotalSteps()
			tenth := max(1, n/10)
			var head, tail float64
			peak := s.in.Hyperparameters.LearningRate
			maxLR, maxAt := 0.0, 0
			for step := 1; step <= n; step++ {
				p := s.Point(step)
				switch {
				case *p.TrainLoss <= 0 || *p.TrainLoss > 4:
					t.Fatalf("step %d: train loss %g", step, *p.TrainLoss)
				case *p.LearningRate < 0 || *p.LearningRate > peak*(1+1e-9):
					t.Fatalf("step %d: learning rate %g, peak %g", step, *p.LearningRate, peak)
				case *p.GPUUtilization < 0 || *p.GPUUtilization > 100 || *p.TokensPerSec <= 0 || *p.GradNorm <= 0:
					t.Fatalf("step %d: %+v", step, p)
				case p.Epoch <= 0 || p.Epoch > float64(s.in.Hyperparameters.Epochs):
					t.Fatalf("step %d: epoch %g", step, p.Epoch)
				}
				if *p.LearningRate > maxLR {
					maxLR, maxAt = *p.LearningRate, step
				}
				if step <= tenth {
					head += *p.TrainLoss
				}
				if step > n-tenth {
					tail += *p.TrainLoss
				}
			}
			if n >= 10 && tail >= head*0.9 {
				t.Errorf("loss does not fall: first tenth %.3f, last tenth %.3f", head/float64(tenth), tail/float64(tenth))
			}
			if n >= 20 && (maxAt == 1 || maxAt > n/4) {
				t.Errorf("learning rate peaks at step %d of %d", maxAt, n)
			}
			for e := 1; e <= s.in.Hyperparameters.Epochs; e++ {
				v := s.Validation(e)
				if *v.ValLoss <= 0 || *v.ValLoss > 4 || v.Step != e*s.StepsPerEpoch() {
					t.Fatalf("validation %d: %+v", e, v)
				}
			}
			if e := s.in.Hyperparameters.Epochs; e >= 2 && *s.Validation(1).ValLoss <= *s.Validation(2).ValLoss*0.98 && tt.pairs > 500 {
				t.Errorf("validation loss rises from epoch 1 to 2 on a big dataset: %g → %g", *s.Validation(1).ValLoss, *s.Validation(2).ValLoss)
			}
		})
	}
}

func TestSimulationTimeline(t *testing.T) {
	s := simFor(t, simJob, "balanced", 15, 600) // 4 steps per epoch, 3 epochs
	var stages []string
	for _, p := range s.Phases() {
		stages = append(stages, p.Stage)
	}
	want := "provisioning loading_dataset training validating training validating training validating saving"
	if strings.Join(stages, " ") != want {
		t.Fatalf("phases %v", stages)
	}
	prev := SimState{}
	for i := 0; i <= 1000; i++ {
		st := s.At(s.Duration() * float64(i) / 1000)
		if st.Step < prev.Step || st.Progress < prev.Progress || st.Phase < prev.Phase {
			t.Fatalf("went backwards at %d: %+v after %+v", i, st, prev)
		}
		prev = st
	}
	if !prev.Done || prev.Step != 12 || prev.Progress != 100 {
		t.Fatalf("end state %+v", prev)
	}
	if st := s.At(0); st.Status != model.JobInitializing || st.Stage != model.StageProvisioning || st.Step != 0 {
		t.Fatalf("start state %+v", st)
	}
	// Resuming after step 6 lands in epoch 2's training; after a validated
	// epoch end, after its validation.
	if st := s.At(s.ResumeTime(6, false)); st.Stage != model.StageTraining || st.Epoch != 2 || st.Step != 6 {
		t.Fatalf("resume at 6: %+v", st)
	}
	if st := s.At(s.ResumeTime(4, true) + 1e-6); st.Stage != model.StageTraining || st.Epoch != 2 || st.Step != 4 {
		t.Fatalf("resume after validated epoch 1: %+v", st)
	}
	if st := s.At(s.ResumeTime(4, false) + 1e-6); st.Stage != model.StageValidating || st.Epoch != 1 {
		t.Fatalf("resume before epoch 1's validation: %+v", st)
	}
}

func TestSimPlayback(t *testing.T) {
	s := simFor(t, simJob, "balanced", 1000, 13268572)
	auto := s.Playback(0)
	if got := auto.Real(s.Duration()); math.Abs(got-AutoSimSeconds) > 1 {
		t.Fatalf("auto playback lasts %.1f s", got)
	}
	var train float64
	for _, p := range s.Phases() {
		if p.Training() {
			train += auto.Real(p.End) - auto.Real(p.Start)
		}
	}
	if math.Abs(train-SimAutoTrainingSeconds) > 1 {
		t.Fatalf("auto playback trains for %.1f s", train)
	}
	fixed := s.Playback(100)
	if got := fixed.Real(s.Duration()); math.Abs(got-s.Duration()/100) > 1e-6 {
		t.Fatalf("100× playback lasts %.1f s of %.0f", got, s.Duration())
	}
	for _, r := range []float64{0, 3, 17.5, 42, 59} {
		if got := auto.Real(auto.Sim(r)); math.Abs(got-r) > 1e-6 {
			t.Fatalf("Real(Sim(%g)) = %g", r, got)
		}
	}
	// A tiny job never plays slower than real time.
	tiny := simFor(t, simJob, "fast", 15, 600)
	if got := tiny.Playback(0).Real(tiny.Duration()); got > AutoSimSeconds+1 || got <= 0 {
		t.Fatalf("tiny job plays %.1f s", got)
	}
}

func TestSimulatedAdapterIsLabelledAndReadable(t *testing.T) {
	s := simFor(t, simJob, "balanced", 300, 120000)
	files, err := s.SimulatedAdapter("coach", map[string]float64{"train_loss": 0.9})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]byte{}
	for _, f := range files {
		byName[f.Name] = f.Data
	}
	var cfg map[string]any
	if err := json.Unmarshal(byName["adapter_config.json"], &cfg); err != nil || cfg["peft_type"] != "LORA" || cfg["r"] != 16.0 || cfg["brightrun_simulated"] != true {
		t.Fatalf("config %v %v", cfg, err)
	}
	if !bytes.Contains(byName["README.md"], []byte("SIMULATED")) {
		t.Fatal("README does not say simulated")
	}
	st := byName["adapter_model.safetensors"]
	n := binary.LittleEndian.Uint64(st[:8])
	var header map[string]json.RawMessage
	if err := json.Unmarshal(st[8:8+n], &header); err != nil {
		t.Fatal(err)
	}
	var a struct {
		Shape   []int `json:"shape"`
		Offsets []int `json:"data_offsets"`
	}
	json.Unmarshal(header["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"], &a)
	if len(header) != 5 || !bytes.Contains(header["__metadata__"], []byte("SIMULATED")) || a.Shape[0] != 16 ||
		uint64(len(st)) != 8+n+uint64(4*4*16*simHidden) || a.Offsets[1]-a.Offsets[0] != 16*simHidden*4 {
		t.Fatalf("safetensors: %d bytes, header %d keys, tensor %+v", len(st), len(header), a)
	}
}

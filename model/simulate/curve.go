package simulate

import (
	"fmt"
	"math"

	"github.com/google/uuid"

	"brightrun/model"
)

// The simulated trainer plays a LoRA run on the estimate's own timeline:
// provisioning and dataset loading (the estimate's 10 minutes of
// initialisation), then per epoch the training steps (tokens / throughput)
// and a 5-minute validation, then a 5-minute save. Its simulated duration is
// therefore exactly the estimate's, and so is its compute cost. Everything
// here is a pure function of the job, so a rescued job resumes on another
// worker at the same curve.

// Phase lengths in simulated seconds; together they are the estimate's
// initialisation (model.InitSeconds), validation and save overheads.
const (
	simProvisionSeconds = model.InitSeconds * 7 / 10
	simLoadSeconds      = model.InitSeconds - simProvisionSeconds
)

// AutoSimSeconds is how long a simulated job plays at the default speed:
// about a minute, of which SimAutoTrainingSeconds are training steps.
const (
	AutoSimSeconds         = 60
	SimAutoTrainingSeconds = 40
)

// SimInput is what the simulated trainer knows of a job.
type SimInput struct {
	JobID           uuid.UUID
	Hyperparameters model.Hyperparameters
	GPU             model.GPU // the catalog entry of the job's GPU type
	GPUCount        int
	Pairs           int   // the dataset's valid examples
	Tokens          int64 // the dataset's tokens
}

// SimPhase is one stretch of the simulated timeline. Training phases cover
// steps FirstStep..LastStep of their epoch; validation phases end with the
// epoch's validation point.
type SimPhase struct {
	Stage     string
	Status    model.JobStatus
	Epoch     int // 1-based; 0 before the first epoch
	Start     float64
	End       float64
	FirstStep int
	LastStep  int
}

// Training reports whether the phase runs training steps.
func (p SimPhase) Training() bool { return p.Stage == model.StageTraining }

// SimState is where the simulated run is at one moment.
type SimState struct {
	Phase    int // index into Phases
	Stage    string
	Status   model.JobStatus
	Epoch    int
	Step     int     // steps completed
	Progress float64 // percent of the simulated duration, 0–100
	Done     bool
}

// Simulation is a job's simulated run: its timeline and its curve.
type Simulation struct {
	in            SimInput
	seed          uint64
	stepsPerEpoch int
	totalSteps    int
	phases        []SimPhase
	duration      float64
	curve         simCurve
}

// NewSimulation lays out the run of a job. The step counts are those of the
// job's plan: ceil(pairs / batch_size) per epoch.
func NewSimulation(in SimInput) (Simulation, error) {
	h := in.Hyperparameters
	if err := h.Validate(); err != nil {
		return Simulation{}, fmt.Errorf("simulate job %s: %w", in.JobID, err)
	}
	if in.Pairs < 1 || in.Tokens < 1 || in.GPUCount < 1 || in.GPU.TokensPerSec <= 0 {
		return Simulation{}, fmt.Errorf("simulate job %s: need pairs, tokens, GPUs and a throughput (got %d pairs, %d tokens, %d × %q at %g tokens/s)",
			in.JobID, in.Pairs, in.Tokens, in.GPUCount, in.GPU.Type, in.GPU.TokensPerSec)
	}
	s := Simulation{in: in, seed: seedOf(in.JobID)}
	s.stepsPerEpoch = (in.Pairs + h.BatchSize - 1) / h.BatchSize
	s.totalSteps = s.stepsPerEpoch * h.Epochs
	trainPerEpoch := float64(in.Tokens) / (in.GPU.TokensPerSec * float64(in.GPUCount))

	t := 0.0
	add := func(p SimPhase, length float64) {
		p.Start, p.End = t, t+length
		t = p.End
		s.phases = append(s.phases, p)
	}
	add(SimPhase{Stage: model.StageProvisioning, Status: model.JobInitializing}, simProvisionSeconds)
	add(SimPhase{Stage: model.StageLoadingDataset, Status: model.JobInitializing}, simLoadSeconds)
	for e := 1; e <= h.Epochs; e++ {
		first, last := (e-1)*s.stepsPerEpoch+1, e*s.stepsPerEpoch
		add(SimPhase{Stage: model.StageTraining, Status: model.JobRunning, Epoch: e, FirstStep: first, LastStep: last}, trainPerEpoch)
		add(SimPhase{Stage: model.StageValidating, Status: model.JobRunning, Epoch: e, FirstStep: last, LastStep: last}, model.ValidationPerEpochSeconds)
	}
	add(SimPhase{Stage: model.StageSaving, Status: model.JobFinalizing, Epoch: h.Epochs, FirstStep: s.totalSteps, LastStep: s.totalSteps}, model.FinalSaveSeconds)
	s.duration = t
	s.curve = newSimCurve(s)
	return s, nil
}

// Duration is the simulated length of the run in seconds: the estimate's.
func (s Simulation) Duration() float64 { return s.duration }

// TotalSteps and StepsPerEpoch are the job's plan.
func (s Simulation) TotalSteps() int    { return s.totalSteps }
func (s Simulation) StepsPerEpoch() int { return s.stepsPerEpoch }

// Phases is the timeline, in order.
func (s Simulation) Phases() []SimPhase { return append([]SimPhase(nil), s.phases...) }

// At is the state of the run t simulated seconds after it began.
func (s Simulation) At(t float64) SimState {
	if t >= s.duration {
		last := len(s.phases) - 1
		return SimState{Phase: last, Stage: s.phases[last].Stage, Status: model.JobFinalizing, Epoch: s.in.Hyperparameters.Epochs,
			Step: s.totalSteps, Progress: 100, Done: true}
	}
	t = math.Max(t, 0)
	i := 0
	for i < len(s.phases)-1 && t >= s.phases[i].End {
		i++
	}
	p := s.phases[i]
	st := SimState{Phase: i, Stage: p.Stage, Status: p.Status, Epoch: p.Epoch, Progress: 100 * t / s.duration}
	switch {
	case p.Training():
		frac := (t - p.Start) / (p.End - p.Start)
		st.Step = p.FirstStep - 1 + int(frac*float64(p.LastStep-p.FirstStep+1))
	case p.Epoch > 0:
		st.Step = p.LastStep
	}
	return st
}

// ResumeTime is where a run resumes from a checkpoint: just after step
// (and after its epoch's validation when that was recorded). Step 0 is the
// start.
func (s Simulation) ResumeTime(step int, validated bool) float64 {
	if step <= 0 {
		return 0
	}
	step = min(step, s.totalSteps)
	for _, p := range s.phases {
		if !p.Training() || step > p.LastStep {
			continue
		}
		if step == p.LastStep && validated {
			return p.End + model.ValidationPerEpochSeconds
		}
		n := float64(p.LastStep - p.FirstStep + 1)
		return p.Start + float64(step-p.FirstStep+1)/n*(p.End-p.Start)
	}
	return s.duration
}

// SimPlayback maps simulated time to the wall clock of a worker.
type SimPlayback struct {
	phases []SimPhase
	speeds []float64 // per phase: simulated seconds per real second
}

// Playback plays the run speed times faster than the estimate's wall clock.
// Speed 0 is the default: the whole run in about AutoSimSeconds, of which
// about SimAutoTrainingSeconds are training steps, so the curve grows
// visibly even when set-up dominates the estimate; no phase plays slower
// than real time.
func (s Simulation) Playback(speed float64) SimPlayback {
	pb := SimPlayback{phases: s.phases, speeds: make([]float64, len(s.phases))}
	if speed > 0 {
		for i := range pb.speeds {
			pb.speeds[i] = speed
		}
		return pb
	}
	var train, other float64
	for _, p := range s.phases {
		if p.Training() {
			train += p.End - p.Start
		} else {
			other += p.End - p.Start
		}
	}
	trainSpeed := math.Max(1, train/SimAutoTrainingSeconds)
	otherSpeed := math.Max(1, other/(AutoSimSeconds-SimAutoTrainingSeconds))
	for i, p := range s.phases {
		pb.speeds[i] = otherSpeed
		if p.Training() {
			pb.speeds[i] = trainSpeed
		}
	}
	return pb
}

// Real is the wall-clock seconds from the start of the run to simulated
// time t.
func (pb SimPlayback) Real(t float64) float64 {
	r := 0.0
	for i, p := range pb.phases {
		if t <= p.Start {
			break
		}
		r += (math.Min(t, p.End) - p.Start) / pb.speeds[i]
	}
	return r
}

// Sim is the simulated time reached r wall-clock seconds after the start of
// the run (the inverse of Real).
func (pb SimPlayback) Sim(r float64) float64 {
	t := 0.0
	for i, p := range pb.phases {
		length := (p.End - p.Start) / pb.speeds[i]
		if r <= length {
			return p.Start + r*pb.speeds[i]
		}
		r -= length
		t = p.End
	}
	return t + r
}

package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

// The exec trainer protocol: an operator's trainer command prints one JSON
// object per line on its stdout, each with a "type". Blank lines are
// ignored; anything else that is not such an object is a protocol error and
// fails the job (a trainer that prints garbage must not pass as healthy).
// Unknown keys are ignored, so trainers can add their own.
//
//	{"type":"progress","stage":"training","step":10,"total_steps":100,"epoch":0.4,"progress":10,"message":"…"}
//	{"type":"metrics","step":10,"epoch":0.4,"train_loss":1.9,"learning_rate":5e-5,"grad_norm":1.1,"tokens_per_sec":3400,"gpu_utilization":93}
//	{"type":"metrics","step":25,"epoch":1,"val_loss":1.7}
//	{"type":"checkpoint","step":25,"path":"checkpoint-25","val_loss":1.7}  a dir in BRIGHTRUN_CHECKPOINT_DIR, uploaded
//	{"type":"artifact","path":"adapter_model.safetensors"}        relative to BRIGHTRUN_OUTPUT_DIR (a file or a directory)
//	{"type":"log","level":"warning","message":"…"}                level info, warning or error
//	{"type":"error","message":"CUDA out of memory"}               the job fails with this reason
//	{"type":"done","metrics":{"train_loss":0.8}}                   optional; exit status 0 ends the run

// Trainer message types.
const (
	MsgProgress   = "progress"
	MsgMetrics    = "metrics"
	MsgCheckpoint = "checkpoint"
	MsgArtifact   = "artifact"
	MsgLog        = "log"
	MsgError      = "error"
	MsgDone       = "done"
)

// TrainerMessage is one decoded protocol line.
type TrainerMessage struct {
	Type       string             `json:"type"`
	Stage      string             `json:"stage,omitempty"`
	Message    string             `json:"message,omitempty"`
	Level      string             `json:"level,omitempty"`
	Path       string             `json:"path,omitempty"`
	Step       *int               `json:"step,omitempty"`
	TotalSteps *int               `json:"total_steps,omitempty"`
	Epoch      *float64           `json:"epoch,omitempty"`
	Progress   *float64           `json:"progress,omitempty"`
	Metrics    map[string]float64 `json:"metrics,omitempty"`

	TrainLoss      *float64 `json:"train_loss,omitempty"`
	ValLoss        *float64 `json:"val_loss,omitempty"`
	LearningRate   *float64 `json:"learning_rate,omitempty"`
	GradNorm       *float64 `json:"grad_norm,omitempty"`
	TokensPerSec   *float64 `json:"tokens_per_sec,omitempty"`
	GPUUtilization *float64 `json:"gpu_utilization,omitempty"`

	// The mean token accuracy (0–1) of a metrics or checkpoint message.
	TrainAccuracy *float64 `json:"mean_token_accuracy,omitempty"`
	ValAccuracy   *float64 `json:"val_mean_token_accuracy,omitempty"`
	// A done message of a run that stopped before its plan: why, and the
	// step of the checkpoint whose weights the adapter is.
	StopReason string `json:"stop_reason,omitempty"`
	BestStep   *int   `json:"best_step,omitempty"`
}

// Accuracy is the message's mean token accuracy by current-metrics keys.
func (m TrainerMessage) Accuracy() map[string]float64 {
	return Checkpoint{TrainAccuracy: m.TrainAccuracy, ValAccuracy: m.ValAccuracy}.Metrics()
}

// Point is a metrics message as a metrics point (without its time).
func (m TrainerMessage) Point() MetricPoint {
	p := MetricPoint{TrainLoss: m.TrainLoss, ValLoss: m.ValLoss, LearningRate: m.LearningRate, GradNorm: m.GradNorm,
		TokensPerSec: m.TokensPerSec, GPUUtilization: m.GPUUtilization}
	if m.Step != nil {
		p.Step = *m.Step
	}
	if m.Epoch != nil {
		p.Epoch = *m.Epoch
	}
	return p
}

// ErrBlankLine is ParseTrainerLine's answer to an empty line: skip it.
var ErrBlankLine = errors.New("blank line")

// ParseTrainerLine decodes and checks one line of a trainer's stdout.
func ParseTrainerLine(line []byte) (TrainerMessage, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return TrainerMessage{}, ErrBlankLine
	}
	if line[0] != '{' {
		return TrainerMessage{}, fmt.Errorf("not a JSON object: %s", quoteLine(line))
	}
	var m TrainerMessage
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&m); err != nil {
		return TrainerMessage{}, fmt.Errorf("bad JSON (%v): %s", err, quoteLine(line))
	}
	if dec.More() {
		return TrainerMessage{}, fmt.Errorf("more than one JSON value on the line: %s", quoteLine(line))
	}
	if err := m.check(); err != nil {
		return TrainerMessage{}, fmt.Errorf("%v: %s", err, quoteLine(line))
	}
	return m, nil
}

func (m TrainerMessage) check() error {
	for name, v := range map[string]*int{"step": m.Step, "total_steps": m.TotalSteps} {
		if v != nil && *v < 0 {
			return fmt.Errorf("%s %d is negative", name, *v)
		}
	}
	for name, v := range map[string]*float64{"epoch": m.Epoch, "train_loss": m.TrainLoss, "val_loss": m.ValLoss,
		"learning_rate": m.LearningRate, "grad_norm": m.GradNorm, "tokens_per_sec": m.TokensPerSec, "gpu_utilization": m.GPUUtilization} {
		if v != nil && (math.IsInf(*v, 0) || *v < 0) {
			return fmt.Errorf("%s %g is out of range", name, *v)
		}
	}
	for name, v := range map[string]*float64{"mean_token_accuracy": m.TrainAccuracy, "val_mean_token_accuracy": m.ValAccuracy} {
		if v != nil && !(*v >= 0 && *v <= 1) {
			return fmt.Errorf("%s %g is out of range: must be between 0 and 1", name, *v)
		}
	}
	if m.Progress != nil && (*m.Progress < 0 || *m.Progress > 100) {
		return fmt.Errorf("progress %g is out of range: must be between 0 and 100", *m.Progress)
	}
	switch m.Type {
	case MsgProgress, MsgDone:
	case MsgMetrics:
		if m.Step == nil {
			return errors.New(`a "metrics" message needs "step"`)
		}
		if len(m.Point().Metrics()) == 0 && len(m.Accuracy()) == 0 {
			return errors.New(`a "metrics" message needs at least one metric`)
		}
	case MsgCheckpoint:
		if m.Step == nil {
			return errors.New(`a "checkpoint" message needs "step"`)
		}
	case MsgArtifact:
		if m.Path == "" {
			return errors.New(`an "artifact" message needs "path"`)
		}
	case MsgLog:
		switch m.Level {
		case "", "info", "warning", "error":
		default:
			return fmt.Errorf("log level %q: want info, warning or error", m.Level)
		}
	case MsgError:
		if m.Message == "" {
			return errors.New(`an "error" message needs "message"`)
		}
	case "":
		return errors.New(`no "type"`)
	default:
		return fmt.Errorf("unknown type %q (want progress, metrics, checkpoint, artifact, log, error or done)", m.Type)
	}
	return nil
}

// quoteLine quotes a line for an error message, cut to 200 bytes.
func quoteLine(line []byte) string {
	const limit = 200
	if len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		return fmt.Sprintf("%q…", line[:cut])
	}
	return fmt.Sprintf("%q", line)
}

package model

import (
	"errors"
	"strings"
	"testing"
)

func TestParseTrainerLine(t *testing.T) {
	tests := []struct {
		name string
		line string
		want func(TrainerMessage) bool
		err  string // part of the error; "" for none
	}{
		{"progress", `{"type":"progress","stage":"training","step":10,"total_steps":100,"epoch":0.4,"progress":10,"message":"going"}`,
			func(m TrainerMessage) bool {
				return m.Type == MsgProgress && m.Stage == "training" && *m.Step == 10 && *m.TotalSteps == 100 && *m.Epoch == 0.4 && *m.Progress == 10
			}, ""},
		{"metrics", `{"type":"metrics","step":3,"train_loss":1.5,"learning_rate":5e-5,"grad_norm":0.9,"tokens_per_sec":3000,"gpu_utilization":91.5}`,
			func(m TrainerMessage) bool {
				p := m.Point()
				return p.Step == 3 && *p.TrainLoss == 1.5 && *p.LearningRate == 5e-5 && p.ValLoss == nil && len(p.Metrics()) == 5
			}, ""},
		{"validation", `{"type":"metrics","step":25,"epoch":1,"val_loss":1.2}`,
			func(m TrainerMessage) bool { return *m.Point().ValLoss == 1.2 && m.Point().Epoch == 1 }, ""},
		{"surrounding space and CRLF", "  {\"type\":\"done\",\"metrics\":{\"train_loss\":0.8}}\r", func(m TrainerMessage) bool { return m.Metrics["train_loss"] == 0.8 }, ""},
		{"unknown keys are ignored", `{"type":"log","level":"warning","message":"slow disk","host":"gpu-7"}`,
			func(m TrainerMessage) bool { return m.Level == "warning" && m.Message == "slow disk" }, ""},
		{"artifact", `{"type":"artifact","path":"adapter_model.safetensors"}`, func(m TrainerMessage) bool { return m.Path == "adapter_model.safetensors" }, ""},
		{"checkpoint", `{"type":"checkpoint","step":50,"path":"ckpt-50"}`, func(m TrainerMessage) bool { return *m.Step == 50 }, ""},
		{"error", `{"type":"error","message":"CUDA out of memory"}`, func(m TrainerMessage) bool { return m.Message == "CUDA out of memory" }, ""},

		{"plain text", `Loading checkpoint shards: 100%`, nil, `not a JSON object: "Loading checkpoint shards: 100%"`},
		{"truncated JSON", `{"type":"metrics","step":`, nil, "bad JSON"},
		{"two values", `{"type":"done"} {"type":"done"}`, nil, "more than one JSON value"},
		{"no type", `{"step":1}`, nil, `no "type"`},
		{"unknown type", `{"type":"telemetry"}`, nil, `unknown type "telemetry"`},
		{"metrics without step", `{"type":"metrics","train_loss":1}`, nil, `needs "step"`},
		{"metrics without a metric", `{"type":"metrics","step":1}`, nil, "at least one metric"},
		{"fractional step", `{"type":"progress","step":1.5}`, nil, "bad JSON"},
		{"negative step", `{"type":"progress","step":-1}`, nil, "step -1 is negative"},
		{"progress over 100", `{"type":"progress","progress":150}`, nil, "progress 150 is out of range"},
		{"negative loss", `{"type":"metrics","step":1,"train_loss":-2}`, nil, "train_loss -2 is out of range"},
		{"NaN is not JSON", `{"type":"metrics","step":1,"train_loss":NaN}`, nil, "bad JSON"},
		{"artifact without path", `{"type":"artifact"}`, nil, `needs "path"`},
		{"error without message", `{"type":"error"}`, nil, `needs "message"`},
		{"bad log level", `{"type":"log","level":"debug","message":"x"}`, nil, `log level "debug"`},
		{"array", `[1,2]`, nil, "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseTrainerLine([]byte(tt.line))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.want(m) {
				t.Fatalf("decoded %+v", m)
			}
		})
	}
	if _, err := ParseTrainerLine([]byte("  \t")); !errors.Is(err, ErrBlankLine) {
		t.Fatalf("blank line: %v", err)
	}
	long := `{"type":"nope","pad":"` + strings.Repeat("é", 300) + `"}`
	if _, err := ParseTrainerLine([]byte(long)); err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "…") {
		t.Fatalf("a long bad line is not cut: %v", err)
	}
}

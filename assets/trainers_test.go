package assets_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"brightrun/assets"
	"brightrun/model/dataset"
)

// TestTrainerPythonUnitTests runs the Python trainers' own unit tests
// (assets/trainers/test_*.py: the label masking of peft_lora.py, on a
// tokenizer-shaped fake), which need python3 and nothing else; `make test`
// installs python3 when it is missing (scripts/ensure-python.sh).
func TestTrainerPythonUnitTests(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is not installed: run scripts/ensure-python.sh (make test does)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "-m", "unittest", "discover", "-v", "-s", "trainers", "-p", "test_*.py")
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3 -m unittest discover -s assets/trainers: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "OK") {
		t.Fatalf("the Python unit tests did not say OK:\n%s", out)
	}
	t.Logf("%s", out)
}

// TestTrainerCheckDataset: the built-in dataset of `brightrun trainer check`
// is training ready, with at least 40 examples (so there is a validation
// split), system turns, multi-turn examples and an answer of weight 0.
func TestTrainerCheckDataset(t *testing.T) {
	rep, err := dataset.NewValidator().Validate(bytes.NewReader(assets.TrainerCheckDataset), "check_dataset.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !rep.TrainingReady || rep.Valid < 40 || rep.Shape != "chat" || rep.Messages.Max < 5 {
		t.Errorf("ready %v, %d valid, shape %s, at most %d messages", rep.TrainingReady, rep.Valid, rep.Shape, rep.Messages.Max)
	}
	text := string(assets.TrainerCheckDataset)
	if !strings.Contains(text, `"weight": 0`) || strings.Count(text, `"role": "system"`) != rep.Valid {
		t.Error("want a system turn in every example and one answer of weight 0")
	}
}

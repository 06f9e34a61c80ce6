package assets_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
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

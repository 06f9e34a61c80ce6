package estimatepanel

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

func TestPanels(t *testing.T) {
	th := theme.New(true)
	e := model.Estimate{
		EstimatedCost: 25.5, CostBreakdown: model.CostBreakdown{Compute: 25, Storage: 0.5},
		EstimatedDurationHours: 3.57, HourlyRate: 7,
		TrainingDetails: model.TrainingDetails{TotalSteps: 750, StepsPerEpoch: 250, EstimatedThroughputTokensPerSec: 3600},
		Hyperparameters: model.Hyperparameters{LearningRate: 5e-5, BatchSize: 4, Epochs: 3, Rank: 16, Alpha: 32, Dropout: 0.05},
	}
	v := ansi.Strip(Result(th, 40, e, "balanced · 2 × A100-80GB"))
	uitest.Holds(t, "result", v, "$25.50", "$25.00", "$0.50", "3.57 h (3h 34m)", "$7.00/h", "250", "750", "3,600 tok/s", "lr 5e-05", "dropout 0.05")
	for _, l := range strings.Split(v, "\n") {
		if ansi.StringWidth(l) != 40 {
			t.Errorf("line %q is not 40 wide", l)
		}
	}
	b := ansi.Strip(Blocked(th, 40, 2, []string{"pairs must be at least 1"}))
	if !strings.Contains(b, "Fix the 2 marked fields.") || !strings.Contains(b, "• pairs must be at least 1") {
		t.Errorf("blocked:\n%s", b)
	}
}

func TestWrapJoinNeverSplitsAnItem(t *testing.T) {
	got := WrapJoin([]string{"epochs 3", "rank 16", "alpha 32"}, " · ", 18)
	if strings.Join(got, "|") != "epochs 3 · rank 16|alpha 32" {
		t.Errorf("%q", got)
	}
}

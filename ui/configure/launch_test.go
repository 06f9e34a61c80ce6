package configure

import (
	"strings"
	"testing"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
)

func TestLaunchCreatesJobAndLandsOnJobs(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	goTo(m, fCount)
	press(m, "right", "enter")
	v := plain(m)
	if m.mode != modeConfirm || !strings.Contains(v, "Launch this job on “support-2024-q4”?") || !strings.Contains(v, "$25.50") {
		t.Fatalf("no confirmation with the estimate:\n%s", v)
	}
	press(m, "n")
	if m.mode != modeForm || len(b.JobFixture().Requests) != 0 {
		t.Fatal("n did not go back without launching")
	}
	press(m, "enter")
	rest := press(m, "y")
	f := b.JobFixture()
	if len(f.Created) != 1 {
		t.Fatalf("%d jobs created", len(f.Created))
	}
	job := f.Created[0]
	req := f.Requests[0]
	if req.Preset != "balanced" || req.GPU != (model.GPUConfig{Type: "A100-80GB", Count: 2}) || *req.Overrides.BatchSize != 4 {
		t.Errorf("request %+v", req)
	}
	if job.EstimatedTotalCost != 25.50 || job.TotalSteps != 750 || job.Status != model.JobQueued {
		t.Errorf("job %+v", job)
	}
	created, ok := uitest.Find[common.JobCreatedMsg](rest)
	if !ok || created.Job.ID != job.ID {
		t.Errorf("no JobCreatedMsg for the job: %v", rest)
	}
	if n, ok := uitest.Find[common.NoticeMsg](rest); !ok || !strings.Contains(string(n), "queued") {
		t.Errorf("no notice: %v", rest)
	}
	if m.mode != modeForm || m.launched != "" {
		t.Errorf("mode %v, launched %q", m.mode, m.launched)
	}
}

func TestLaunchRefusedNotTrainable(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	support, _ := b.DatasetFixture().Find("support-2024-q4")
	b.DatasetFixture().SetStatus(support.ID, model.DatasetValidating) // revalidated elsewhere, no event yet
	goTo(m, fDataset)
	press(m, "enter")
	rest := press(m, "y")
	if len(b.JobFixture().Created) != 0 {
		t.Fatal("a job was written")
	}
	if _, ok := uitest.Find[common.JobCreatedMsg](rest); ok {
		t.Fatal("landed on Jobs after a refusal")
	}
	v := flat(m)
	if !strings.Contains(v, "Not launched: dataset “support-2024-q4” cannot be trained on: validation has not finished yet (status validating). No job was created.") {
		t.Errorf("refusal not explained:\n%s", plain(m))
	}
	if m.valid || !strings.Contains(v, "✗ Launch blocked: pick a usable dataset") {
		t.Error("launching is not blocked on a dataset that is validating again")
	}
}

func TestStaleFormAfterDatasetDeleted(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	support, _ := b.DatasetFixture().Find("support-2024-q4")
	if err := b.DeleteDataset(t.Context(), support.ID); err != nil {
		t.Fatal(err)
	}
	// The form was filled in before the delete, and no event came.
	goTo(m, fDataset)
	press(m, "enter")
	press(m, "y")
	f := b.JobFixture()
	if len(f.Requests) != 1 || len(f.Created) != 0 {
		t.Fatalf("requests %d created %d", len(f.Requests), len(f.Created))
	}
	v := flat(m)
	if !strings.Contains(v, "Not launched: dataset “support-2024-q4” no longer exists: it was deleted. Pick another dataset (←/→). No job was created.") {
		t.Errorf("no clear message:\n%s", plain(m))
	}
	if m.valid || !strings.Contains(v, "✗ Launch blocked: pick a usable dataset") {
		t.Error("launching is not blocked")
	}
	press(m, "enter")
	if m.mode != modeForm {
		t.Error("enter opened the confirmation on a deleted dataset")
	}
	press(m, "right")
	if m.chosen.Name != "alpaca-mini" || !m.valid || strings.Contains(plain(m), "Not launched") {
		t.Errorf("picking another did not clear it: %q valid %v", m.chosen.Name, m.valid)
	}
}

func TestDeleteEventMarksTheForm(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	support, _ := b.DatasetFixture().Find("support-2024-q4")
	_ = b.DeleteDataset(t.Context(), support.ID)
	_, cmd := m.Update(common.EventMsg{Event: engine.Event{Table: "datasets", ID: support.ID, Op: "UPDATE"}})
	if cmd == nil {
		t.Fatal("no reload scheduled")
	}
	if _, again := m.Update(common.EventMsg{Event: engine.Event{Table: "datasets", ID: support.ID}}); again != nil {
		t.Error("a second reload within the delay")
	}
	_, cmd = m.Update(reloadMsg{}) // the delay is over
	feed(m, cmd)
	if m.valid || !strings.Contains(plain(m), "no longer exists: it was deleted") {
		t.Errorf("the form does not say the dataset is gone:\n%s", plain(m))
	}
}

func TestLaunchRefusedValidation(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	b.JobFixture().CreateErr = &model.ValidationError{Errors: []model.FieldError{
		{Field: "gpu_type", Value: `"A100-80GB"`, Message: "is not a known GPU type: known types are H100"},
	}}
	goTo(m, fDataset)
	press(m, "enter")
	press(m, "y")
	v := flat(m)
	if !strings.Contains(v, "Not launched: the configuration was refused: gpu_type") || !strings.Contains(v, "No job was created.") {
		t.Errorf("validation refusal not explained:\n%s", plain(m))
	}
	if len(b.JobFixture().Created) != 0 || m.mode != modeForm {
		t.Error("a job was written or the form was left")
	}
}

// Early stopping is off unless set; a value out of range is refused under
// its row; one in range goes with the launch and is said in the question.
func TestLaunchWithEarlyStopping(t *testing.T) {
	m, b := newScreen(t, 120, 40)
	typeInto(m, fPatience, "101")
	if _, bad := m.fieldErrs[fPatience]; !bad || !strings.Contains(plain(m), "early_stopping_patience 101 is out of range") {
		t.Fatalf("101 accepted:\n%s", plain(m))
	}
	clearField(m)
	typeText(m, "2")
	press(m, "enter")
	if v := plain(m); !strings.Contains(v, "It stops early after 2") {
		t.Fatalf("the confirmation does not say so:\n%s", v)
	}
	press(m, "y")
	if reqs := b.JobFixture().Requests; len(reqs) != 1 || reqs[0].EarlyStoppingPatience != 2 {
		t.Fatalf("requests %+v", reqs)
	}
}

// A Max cost below the estimate is allowed: the field says the run stops
// early, so does the confirmation, and the launch carries the cap; one out
// of range blocks the launch.
func TestLaunchWithMaxCost(t *testing.T) {
	for _, tt := range []struct {
		typed, hint string
		want        float64
		blocked     bool
	}{
		{"10", "Max cost 10 estimate $23.75 · run stops early", 10, false},
		{"30", "Max cost 30 estimate $23.75 │", 30, false},
		{"0", "max cost 0 is out of range", 0, true},
	} {
		t.Run(tt.typed, func(t *testing.T) {
			m, b := newScreen(t, 120, 40)
			goTo(m, fMaxCost)
			typeText(m, tt.typed)
			if v := flat(m); !strings.Contains(v, tt.hint) {
				t.Fatalf("the Max cost row lacks %q:\n%s", tt.hint, plain(m))
			}
			press(m, "enter")
			if tt.blocked {
				if m.mode != modeForm || m.focus != fMaxCost {
					t.Fatalf("a bad cap did not block the launch: mode %v focus %v", m.mode, m.focus)
				}
				return
			}
			if early := strings.Contains(flat(m), "below the estimate, so it") && strings.Contains(flat(m), "stop early."); early != (tt.want < 23.75) {
				t.Fatalf("the confirmation on stopping early says %v:\n%s", early, plain(m))
			}
			press(m, "y")
			f := b.JobFixture()
			if len(f.Requests) != 1 || f.Requests[0].MaxCost == nil || *f.Requests[0].MaxCost != tt.want || *f.Created[0].MaxCost != tt.want {
				t.Fatalf("the launch did not carry the cap $%v: %+v", tt.want, f.Requests)
			}
		})
	}
}

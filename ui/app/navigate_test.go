package app_test

import (
	tea "charm.land/bubbletea/v2"

	"strings"
	"testing"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/app"
	"brightrun/ui/common"
	"brightrun/ui/configure"
	"brightrun/ui/datasets"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/jobs"
	"brightrun/ui/notifications"
)

// TestNavigation follows a dataset to the Configure tab, a new job to its
// view in the Jobs tab and a job to clone back to Configure, whichever tab was
// showing.
func TestNavigation(t *testing.T) {
	b := uitest.NewBackend(t)
	m := start(t, b, 120, 40, app.Options{Screens: []common.ScreenFactory{notifications.New, configure.New, jobs.New}})
	alpaca, _ := b.DatasetFixture().Find("alpaca-mini")
	feed(m, []tea.Msg{common.ConfigureDatasetMsg{DatasetID: alpaca.ID}})
	if v := plain(m); !strings.Contains(v, "Configure  a training job") || !strings.Contains(v, "‹ alpaca-mini") {
		t.Fatalf("not on Configure with the dataset:\n%s", v)
	}
	support, _ := b.DatasetFixture().Find("support-2024-q4")
	job, err := b.CreateJob(t.Context(), engine.JobRequest{DatasetID: support.ID, GPU: model.GPUConfig{Count: 2}, Name: "fresh-job"})
	if err != nil {
		t.Fatal(err)
	}
	press(m, "esc", "1") // leave the form, go elsewhere
	feed(m, []tea.Msg{common.JobCreatedMsg{Job: job}})
	if v := plain(m); !strings.Contains(v, "fresh-job  simulated") || !strings.Contains(v, "not started · cost ~$25.50 est.") {
		t.Fatalf("not on the new job's view:\n%s", v)
	}
	// A clone, from wherever, lands on Configure filled in like the job.
	feed(m, []tea.Msg{common.CloneJobMsg{Job: job}})
	if v := plain(m); !strings.Contains(v, "Configure  a training job · like fresh-job") || !strings.Contains(v, "‹ support-2024-q4") {
		t.Fatalf("not on Configure with the clone:\n%s", v)
	}
}

// enter on a notification opens what it is about: its job's view in Jobs,
// its dataset's report in Datasets; it is marked read on the way.
func TestNotificationOpensItsTarget(t *testing.T) {
	b := uitest.NewBackend(t)
	m := start(t, b, 120, 40, app.Options{Screens: []common.ScreenFactory{notifications.New, datasets.New, jobs.New}})
	press(m, "enter")
	if v := plain(m); !strings.Contains(v, "support-bot-v3") || !strings.Contains(v, "CUDA out of memory") || len(b.Marked) != 1 {
		t.Fatalf("enter on the failed job's notification (marked %v):\n%s", b.Marked, v)
	}
	press(m, "esc", "esc", "1", "j", "j", "enter")
	if v := plain(m); !strings.Contains(v, "support-2024-q4") || !strings.Contains(v, "1,000") {
		t.Fatalf("enter on the dataset's notification:\n%s", v)
	}
}

package main_test

import (
	"strings"
	"testing"
)

type jobRow struct {
	ID                 string             `json:"id"`
	Status             string             `json:"status"`
	CurrentStage       string             `json:"current_stage"`
	Progress           float64            `json:"progress"`
	CurrentEpoch       int                `json:"current_epoch"`
	TotalEpochs        int                `json:"total_epochs"`
	CurrentStep        int                `json:"current_step"`
	TotalSteps         int                `json:"total_steps"`
	GPUConfig          map[string]any     `json:"gpu_config"`
	Hyperparameters    map[string]float64 `json:"hyperparameters"`
	EstimatedTotalCost float64            `json:"estimated_total_cost"`
	CurrentCost        float64            `json:"current_cost"`
	FinalCost          *float64           `json:"final_cost"`
	CurrentMetrics     map[string]float64 `json:"current_metrics"`
	QueuedAt           string             `json:"queued_at"`
	StartedAt          *string            `json:"started_at"`
	DatasetID          string             `json:"dataset_id"`
	DatasetName        string             `json:"dataset_name"`
	Preset             string             `json:"preset"`
}

// An operator uploads a dataset, prices it, launches a job on it and finds
// it queued; a dataset that failed validation, a bad GPU and a missing
// dataset are refused with one line and the right exit code, writing nothing.
func TestE2EJobCreateFromDataset(t *testing.T) {
	d := dataDir(t)
	ds := uploadDataset(t, nil, d, writeChat(t, 15), "cash")

	r := run(t, nil, "estimate", "--dataset", ds.ID, "--gpu", "H100", "--gpus", "2", "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("estimate --dataset: exit %d %s", r.code, r.stderr)
	}
	var est struct {
		EstimatedCost float64        `json:"estimated_cost"`
		Details       map[string]any `json:"training_details"`
	}
	decode(t, r, &est)
	if est.Details["dataset_name"] != "cash" || est.Details["steps_per_epoch"] != float64(4) || est.Details["total_steps"] != float64(12) || est.EstimatedCost <= 0.5 {
		t.Fatalf("estimate of the dataset: %+v", est)
	}

	r = run(t, nil, "job", "create", "--dataset", ds.ID, "--gpu", "H100", "--gpus", "2", "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("job create: exit %d %s", r.code, r.stderr)
	}
	var job jobRow
	decode(t, r, &job)
	if job.Status != "queued" || job.CurrentStage != "queued" || job.Progress != 0 || job.CurrentEpoch != 0 || job.TotalEpochs != 3 ||
		job.CurrentStep != 0 || job.TotalSteps != 12 || job.GPUConfig["type"] != "H100" || job.GPUConfig["count"] != float64(2) ||
		job.Hyperparameters["batch_size"] != 4 || job.Hyperparameters["alpha"] != 32 || job.Hyperparameters["dropout"] != 0.05 ||
		job.EstimatedTotalCost != est.EstimatedCost || job.CurrentCost != 0 || job.FinalCost != nil || job.CurrentMetrics == nil ||
		job.QueuedAt == "" || job.StartedAt != nil || job.DatasetID != ds.ID || job.DatasetName != "cash" || job.Preset != "balanced" {
		t.Fatalf("created job: %+v\n%s", job, r.stdout)
	}

	listJobs := func() (page struct {
		Jobs  []jobRow `json:"jobs"`
		Page  int      `json:"page"`
		Total int      `json:"total"`
	}) {
		t.Helper()
		// Every status: the services' worker starts the job at once.
		r := run(t, nil, "job", "list", "--json", "--data-dir", d)
		if r.code != 0 {
			t.Fatalf("job list: exit %d %s", r.code, r.stderr)
		}
		decode(t, r, &page)
		return page
	}
	page := listJobs()
	if page.Page != 1 || page.Total != 1 || len(page.Jobs) != 1 || page.Jobs[0].ID != job.ID ||
		page.Jobs[0].DatasetName != "cash" {
		t.Fatalf("job list: %+v", page)
	}
	r = run(t, nil, "job", "show", job.ID, "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "status    ") || !strings.Contains(r.stdout, "2 × H100") {
		t.Fatalf("job show: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A dataset with a bad line is ready, not training-ready: job create
	// exits 1 with one line naming the error by line.
	r = run(t, nil, "dataset", "upload", writeChat(t, 15, `{"messages":[{"role":"user","content":"hi"}]}`), "--name", "broken", "--json", "--data-dir", d)
	var bad datasetRow
	decode(t, r, &bad)
	if r.code != 1 || bad.Status != "ready" || bad.TrainingReady {
		t.Fatalf("bad upload: exit %d %+v", r.code, bad)
	}
	// A dataset still waiting for its file cannot even be priced.
	r = run(t, nil, "dataset", "upload-url", "--name", "later", "--json", "--data-dir", d)
	var ticket struct {
		Dataset datasetRow `json:"dataset"`
	}
	decode(t, r, &ticket)

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"not training-ready", []string{"job", "create", "--dataset", bad.ID}, 1,
			`dataset "broken" (` + bad.ID + `) cannot be trained on: ready but not training-ready: 1 error (line 16: no_assistant_message: `},
		{"not uploaded", []string{"job", "create", "--dataset", ticket.Dataset.ID}, 1, "has not been uploaded yet"},
		{"estimate without counts", []string{"estimate", "--dataset", ticket.Dataset.ID}, 1, "cannot be trained on"},
		{"unknown GPU", []string{"job", "create", "--dataset", ds.ID, "--gpu", "TPU"}, 2, "known types are A100-80GB, A100-40GB, H100, V100-32GB"},
		{"out of range", []string{"job", "create", "--dataset", ds.ID, "--gpus", "9", "--epochs", "21"}, 2, "epochs 21 is out of range"},
		{"no such dataset", []string{"job", "create", "--dataset", "6f1c2a7e-0000-4000-8000-000000000000"}, 1, "not found"},
		{"no dataset flag", []string{"job", "create"}, 2, "--dataset ID is required"},
		{"bad status", []string{"job", "list", "--status", "paused"}, 2, "valid values are queued"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, append(tt.args, "--data-dir", d)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || r.stdout != "" {
				t.Fatalf("exit %d, want %d with %q\nstderr: %s\nstdout: %s", r.code, tt.code, tt.want, r.stderr, r.stdout)
			}
		})
	}
	if page := listJobs(); page.Total != 1 {
		t.Fatalf("refused jobs were written: %+v", page)
	}
}

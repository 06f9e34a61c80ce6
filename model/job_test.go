package model

import (
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func readyDataset() Dataset {
	return Dataset{
		ID: uuid.MustParse("11111111-1111-1111-1111-111111111111"), UserID: uuid.MustParse("22222222-2222-2222-2222-222222222222"),
		Name: "cash", Format: "chat", Status: DatasetReady, TrainingReady: true,
		TotalTrainingPairs: 1001, TotalTokens: 13268572,
	}
}

func intp(v int) *int { return &v }

func TestResolveJobConfig(t *testing.T) {
	c := testCatalog(t)
	tests := []struct {
		name    string
		preset  string
		gpu     GPUConfig
		o       HyperOverrides
		want    JobConfig
		wantErr []string // fields of the *ValidationError, or a message part
	}{
		{
			name: "defaults: balanced on the first GPU", gpu: GPUConfig{Count: 1},
			want: JobConfig{Preset: "balanced", GPU: GPUConfig{Type: "A100-80GB", Count: 1},
				Hyperparameters: Hyperparameters{LearningRate: 5e-5, BatchSize: 4, Epochs: 3, Rank: 16, Alpha: 32, Dropout: 0.05}},
		},
		{
			name: "type in any case, overrides keep alpha in step", preset: " Quality ", gpu: GPUConfig{Type: "h100", Count: 8},
			o: HyperOverrides{Rank: intp(64), Epochs: intp(2)},
			want: JobConfig{Preset: "quality", GPU: GPUConfig{Type: "H100", Count: 8},
				Hyperparameters: Hyperparameters{LearningRate: 3e-5, BatchSize: 2, Epochs: 2, Rank: 64, Alpha: 128, Dropout: 0.05}},
		},
		{
			name: "every problem at once", gpu: GPUConfig{Type: "TPU", Count: 9},
			o:       HyperOverrides{BatchSize: intp(65), Epochs: intp(0), Rank: intp(2)},
			wantErr: []string{"batch_size", "epochs", "gpu_count", "gpu_type", "rank"},
		},
		{name: "unknown preset", preset: "turbo", gpu: GPUConfig{Count: 1}, wantErr: []string{"unknown preset", "fast, balanced, quality"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.ResolveJobConfig(tt.preset, tt.gpu, tt.o)
			if tt.wantErr == nil {
				if err != nil || got != tt.want {
					t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
				}
				return
			}
			var ve *ValidationError
			if errors.As(err, &ve) {
				var fields []string
				for _, fe := range ve.Errors {
					fields = append(fields, fe.Field)
				}
				sort.Strings(fields)
				if !reflect.DeepEqual(fields, tt.wantErr) {
					t.Fatalf("fields %v, want %v (%v)", fields, tt.wantErr, err)
				}
				if !strings.Contains(err.Error(), "known types are A100-80GB, A100-40GB, H100, V100-32GB") {
					t.Errorf("gpu error does not list the types: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, part := range tt.wantErr {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q lacks %q", err, part)
				}
			}
		})
	}
}

func TestCheckTrainable(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(d *Dataset)
		reason string // "" means trainable
	}{
		{"ready and training ready", func(d *Dataset) {}, ""},
		{"uploading", func(d *Dataset) { d.Status, d.TrainingReady = DatasetUploading, false }, "not been uploaded"},
		{"validating", func(d *Dataset) { d.Status, d.TrainingReady = DatasetValidating, false }, "validation has not finished"},
		{"error, with the reason validation could not run", func(d *Dataset) {
			d.Status, d.TrainingReady, d.ErrorMessage = DatasetError, false, "could not read the dataset file: gone"
		}, "could not run (status error): could not read the dataset file: gone"},
		{"ready, not training ready: the first errors by line", func(d *Dataset) {
			d.TrainingReady, d.ErrorCount = false, 4
			d.ValidationErrors = json.RawMessage(`[{"line":3,"code":"invalid_json","message":"bad"},` +
				`{"line":7,"code":"bad_weight","message":"w"},{"line":9,"code":"missing_role","message":"r"},{"line":12,"code":"x","message":"y"}]`)
		}, "ready but not training-ready: 4 errors (line 3: invalid_json: bad; line 7: bad_weight: w; line 9: missing_role: r) and 1 more"},
		{"ready, too few examples", func(d *Dataset) { d.TrainingReady, d.TotalTrainingPairs = false, 4 }, "not training-ready: only 4 valid examples (10 needed)"},
		{"unknown status", func(d *Dataset) { d.Status = "archived" }, `"archived"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := readyDataset()
			tt.edit(&d)
			err := CheckTrainable(d)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			var nt *NotTrainableError
			if !errors.As(err, &nt) || nt.DatasetID != d.ID || nt.Status != d.Status || !strings.Contains(nt.Reason, tt.reason) {
				t.Fatalf("err = %v, want a NotTrainableError with %q", err, tt.reason)
			}
			if !strings.HasPrefix(err.Error(), `dataset "cash" (11111111-1111-1111-1111-111111111111) cannot be trained on: `) {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestPlanJobIsTheSeedsRow(t *testing.T) {
	c := testCatalog(t)
	cfg, err := c.ResolveJobConfig("balanced", GPUConfig{Type: "A100-80GB", Count: 2}, HyperOverrides{})
	if err != nil {
		t.Fatal(err)
	}
	d := readyDataset()
	j, est, err := c.PlanJob(cfg, d, "")
	if err != nil {
		t.Fatal(err)
	}
	want := Job{
		UserID: d.UserID, DatasetID: d.ID, Name: "cash (balanced)", Status: JobQueued, CurrentStage: "queued",
		TotalEpochs: 3, TotalSteps: 251 * 3, // ceil(1001 / 4) × 3
		GPUConfig: GPUConfig{Type: "A100-80GB", Count: 2}, Hyperparameters: cfg.Hyperparameters,
		Preset: "balanced", Trainer: "simulated", EstimatedTotalCost: est.EstimatedCost, CurrentMetrics: map[string]float64{},
		DatasetName: "cash", DatasetFormat: "chat", DatasetPairs: 1001,
	}
	if !reflect.DeepEqual(j, want) {
		t.Fatalf("job\n%+v\nwant\n%+v", j, want)
	}
	if est.EstimatedCost != 25.50 || est.TrainingDetails.DatasetName != "cash" || est.Preset != "balanced" {
		t.Fatalf("estimate %+v", est)
	}
	if j, _, _ := c.PlanJob(cfg, d, "  tone tuner "); j.Name != "tone tuner" {
		t.Errorf("given name: %q", j.Name)
	}
	d.Status, d.TrainingReady = DatasetError, false
	var nt *NotTrainableError
	if _, _, err := c.PlanJob(cfg, d, ""); !errors.As(err, &nt) {
		t.Fatalf("plan on a failed dataset: %v", err)
	}
}

func TestEstimateDataset(t *testing.T) {
	c := testCatalog(t)
	cfg, _ := c.ResolveJobConfig("fast", GPUConfig{Type: "H100", Count: 1}, HyperOverrides{})
	d := readyDataset()
	d.Status, d.TrainingReady = DatasetError, false // has counts: still priced
	if e, err := c.EstimateDataset(cfg, d); err != nil || e.TrainingDetails.StepsPerEpoch != 126 || e.Preset != "fast" {
		t.Fatalf("estimate of a failed dataset with counts: %+v %v", e, err)
	}
	var nt *NotTrainableError
	d.Status, d.TotalTrainingPairs, d.TotalTokens = DatasetValidating, 0, 0
	if _, err := c.EstimateDataset(cfg, d); !errors.As(err, &nt) || !strings.Contains(err.Error(), "validation has not finished") {
		t.Fatalf("estimate of a validating dataset: %v", err)
	}
	d = readyDataset()
	d.TotalTokens = 0
	if _, err := c.EstimateDataset(cfg, d); !errors.As(err, &nt) || !strings.Contains(err.Error(), "no valid examples or tokens") {
		t.Fatalf("estimate of a dataset without tokens: %v", err)
	}
}

func TestJobQueuedNotificationAndJSONKeys(t *testing.T) {
	j := Job{ID: uuid.MustParse("33333333-3333-3333-3333-333333333333"), UserID: uuid.New(), DatasetName: `cash "v2"`}
	n := JobQueuedNotification(j)
	if n.Type != "job_queued" || n.Title != "Training Job Queued" || n.Priority != PriorityLow || n.UserID != j.UserID ||
		n.Message != `Your training job for "cash "v2"" has been queued and will start shortly` ||
		n.Action != (NotificationAction{Kind: "job", ID: j.ID.String(), Label: "View job"}) {
		t.Fatalf("notification %+v", n)
	}
	b, err := json.Marshal(Job{})
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	_ = json.Unmarshal(b, &keys)
	for _, k := range []string{"id", "status", "current_stage", "progress", "current_epoch", "total_epochs", "current_step",
		"total_steps", "gpu_config", "hyperparameters", "estimated_total_cost", "current_cost", "final_cost", "current_metrics",
		"queued_at", "started_at", "completed_at", "error_message", "dataset_id", "dataset_name", "preset", "trainer", "created_at"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("job JSON lacks %q", k)
		}
	}
}

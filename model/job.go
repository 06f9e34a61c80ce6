package model

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Job defaults and names shared by the engine, the worker and the faces.
const (
	// DefaultTrainer is the trainer a new job runs with until an operator
	// plugs in a real one.
	DefaultTrainer = "simulated"
	// StageQueued is a new job's current_stage, as the seed app wrote it.
	StageQueued = "queued"
	// NotificationJobQueued is the notification type written with a new job.
	NotificationJobQueued = "job_queued"
)

// Job is a row of training_jobs, joined with the name, format and size of
// its dataset (the seed's GET /api/jobs join). The JSON keys are those of
// docs/cli.md, which scripts rely on.
type Job struct {
	ID                    uuid.UUID          `json:"id"`
	UserID                uuid.UUID          `json:"user_id"`
	DatasetID             uuid.UUID          `json:"dataset_id"`
	Name                  string             `json:"name"`
	Status                JobStatus          `json:"status"`
	CurrentStage          string             `json:"current_stage"`
	Progress              float64            `json:"progress"` // 0–100
	CurrentEpoch          int                `json:"current_epoch"`
	TotalEpochs           int                `json:"total_epochs"`
	CurrentStep           int                `json:"current_step"`
	TotalSteps            int                `json:"total_steps"`
	GPUConfig             GPUConfig          `json:"gpu_config"`
	Hyperparameters       Hyperparameters    `json:"hyperparameters"`
	Preset                string             `json:"preset"`
	Trainer               string             `json:"trainer"`
	EstimatedTotalCost    float64            `json:"estimated_total_cost"`
	CurrentCost           float64            `json:"current_cost"`
	FinalCost             *float64           `json:"final_cost"` // nil until the job ends
	CurrentMetrics        map[string]float64 `json:"current_metrics"`
	ClonedFrom            *uuid.UUID         `json:"cloned_from,omitempty"`
	ArtifactID            *uuid.UUID         `json:"artifact_id,omitempty"`
	ExternalJobID         string             `json:"external_job_id,omitempty"`
	RetryCount            int                `json:"retry_count"`
	ErrorMessage          string             `json:"error_message"`
	EstimatedCompletionAt *time.Time         `json:"estimated_completion_at"`
	QueuedAt              time.Time          `json:"queued_at"`
	StartedAt             *time.Time         `json:"started_at"`
	CompletedAt           *time.Time         `json:"completed_at"`
	CancelledAt           *time.Time         `json:"cancelled_at"`
	CancelRequestedAt     *time.Time         `json:"cancel_requested_at"`
	CreatedAt             time.Time          `json:"created_at"`
	UpdatedAt             time.Time          `json:"updated_at"`

	// BaseModel is the model catalog id the adapter is trained on.
	BaseModel string `json:"base_model"`
	// EvalFraction is the share held out for validation; nil leaves it to
	// the trainer (DefaultEvalFraction), 0 is no validation.
	EvalFraction *float64 `json:"eval_fraction"`
	// ValidationDatasetID is a dataset used for validation instead of a
	// split, with its valid examples counted when the job was created.
	ValidationDatasetID  *uuid.UUID `json:"validation_dataset_id"`
	TotalValidationPairs *int       `json:"total_validation_pairs"`
	// MaxCost is the job's cost cap in USD (nil: none): the worker stops
	// the run, cancelled, when its cost reaches it.
	MaxCost *float64 `json:"max_cost"`

	// EarlyStoppingPatience is how many evaluations in a row without a
	// better validation loss end the run; 0 is off.
	EarlyStoppingPatience int `json:"early_stopping_patience"`
	// StopReason says why a run ended before its plan (early stopping, a
	// cost cap); empty when it ran its course.
	StopReason string `json:"stop_reason,omitempty"`
	// SweepID is the sweep the job is a run of; nil for a job launched on
	// its own. SweepName is read with it, never written.
	SweepID   *uuid.UUID `json:"sweep_id,omitempty"`
	SweepName string     `json:"sweep_name,omitempty"`
	// BestCheckpointStep is the step of the checkpoint whose adapter the
	// job kept, once it has one.
	BestCheckpointStep *int `json:"best_checkpoint_step"`

	// The dataset join: read with the job, never written.
	DatasetName   string `json:"dataset_name"`
	DatasetFormat string `json:"dataset_format"`
	DatasetPairs  int    `json:"dataset_total_training_pairs"`

	// WaitingReason says why a queued job is not running yet (no live
	// worker can take it now); computed from the worker registry when the
	// job is read, never stored.
	WaitingReason string `json:"waiting_reason,omitempty"`
}

// JobConfig is a checked choice of preset, GPUs and hyperparameters: what a
// job runs with and what its estimate prices.
type JobConfig struct {
	Preset          string // the preset's key
	GPU             GPUConfig
	Hyperparameters Hyperparameters
}

// ResolveJobConfig lays the overrides over the preset and checks every range
// and the GPU type at once, before anything is read or written, so a user
// sees all input problems in one go (a *ValidationError). An empty preset is
// DefaultPreset and an empty GPU type the catalog's first, as on the seed's
// configure page; the type is returned in the catalog's spelling.
func (c Catalog) ResolveJobConfig(presetKey string, gpu GPUConfig, o HyperOverrides) (JobConfig, error) {
	if strings.TrimSpace(presetKey) == "" {
		presetKey = DefaultPreset
	}
	p, err := PresetByKey(presetKey)
	if err != nil {
		return JobConfig{}, err
	}
	if gpu.Type == "" && len(c.GPUs) > 0 {
		gpu.Type = c.GPUs[0].Type
	}
	h := p.Apply(o)
	errs := h.fieldErrors(nil)
	errs = gpu.fieldErrors(c, errs)
	if err := validationErr(errs); err != nil {
		return JobConfig{}, err
	}
	g, _ := c.find(gpu.Type) // present: checked above
	return JobConfig{Preset: p.Key, GPU: GPUConfig{Type: g.Type, Count: gpu.Count}, Hyperparameters: h}, nil
}

// NotTrainableError says why a dataset cannot be trained on (yet). It is the
// seed's 400 answer: the dataset exists and is the user's, but its status or
// its validation rules it out.
type NotTrainableError struct {
	DatasetID   uuid.UUID
	DatasetName string
	Status      DatasetStatus
	Reason      string
}

// Error renders e.g. `dataset "cash" (…) cannot be trained on: validation has
// not finished yet (status validating)`.
func (e *NotTrainableError) Error() string {
	return fmt.Sprintf("dataset %q (%s) cannot be trained on: %s", e.DatasetName, e.DatasetID, e.Reason)
}

// CheckTrainable applies the seed's checks after "exists and is the user's",
// in its order: the status is ready, then training_ready is true. It returns
// a *NotTrainableError or nil.
func CheckTrainable(d Dataset) error {
	var reason string
	switch {
	case d.Status == DatasetUploading:
		reason = "its file has not been uploaded yet (status uploading)"
	case d.Status == DatasetValidating:
		reason = "validation has not finished yet (status validating)"
	case d.Status == DatasetError:
		reason = "its validation could not run (status error)" + detail(d.ErrorMessage)
	case d.Status != DatasetReady:
		reason = fmt.Sprintf("its status is %q, not ready", string(d.Status))
	case !d.TrainingReady:
		reason = notTrainingReadyReason(d)
	default:
		return nil
	}
	return &NotTrainableError{DatasetID: d.ID, DatasetName: d.Name, Status: d.Status, Reason: reason}
}

func detail(msg string) string {
	if msg = strings.TrimSpace(msg); msg == "" {
		return ""
	}
	return ": " + msg
}

// EstimateDataset prices cfg on a dataset's valid examples and tokens, with
// the dataset's name in the training details. It needs only the dataset's
// counts, so a dataset that failed validation can still be priced as long as
// it has valid examples; one with none yet gets a *NotTrainableError.
func (c Catalog) EstimateDataset(cfg JobConfig, d Dataset) (Estimate, error) {
	if d.TotalTrainingPairs < 1 || d.TotalTokens < 1 {
		if err := CheckTrainable(d); err != nil {
			return Estimate{}, err
		}
		return Estimate{}, &NotTrainableError{DatasetID: d.ID, DatasetName: d.Name, Status: d.Status,
			Reason: "it has no valid examples or tokens to price"}
	}
	e, err := c.Estimate(EstimateInput{
		Pairs: d.TotalTrainingPairs, Tokens: d.TotalTokens,
		GPU: cfg.GPU, Hyperparameters: cfg.Hyperparameters, DatasetName: d.Name,
	})
	if err != nil {
		return Estimate{}, err
	}
	e.Preset = cfg.Preset
	return e, nil
}

// PlanJob is the training_jobs row the seed's POST /api/jobs wrote for cfg on
// d: queued at stage queued, nothing done yet, steps_per_epoch =
// ceil(pairs / batch_size) and total_steps = steps_per_epoch × epochs, and the
// estimate's total as estimated_total_cost. The dataset must pass
// CheckTrainable. The caller gives the job its ID; the database its times.
func (c Catalog) PlanJob(cfg JobConfig, d Dataset, name string) (Job, Estimate, error) {
	if err := CheckTrainable(d); err != nil {
		return Job{}, Estimate{}, err
	}
	est, err := c.EstimateDataset(cfg, d)
	if err != nil {
		return Job{}, Estimate{}, err
	}
	if name = strings.TrimSpace(name); name == "" {
		name = ClipName(fmt.Sprintf("%s (%s)", d.Name, cfg.Preset))
	}
	if err := CheckLength("job name", name, MaxNameLen); err != nil {
		return Job{}, Estimate{}, err
	}
	h := cfg.Hyperparameters
	return Job{
		UserID:             d.UserID,
		DatasetID:          d.ID,
		Name:               name,
		Status:             JobQueued,
		CurrentStage:       StageQueued,
		TotalEpochs:        h.Epochs,
		TotalSteps:         est.TrainingDetails.TotalSteps,
		GPUConfig:          est.GPUConfig,
		Hyperparameters:    h,
		Preset:             cfg.Preset,
		Trainer:            DefaultTrainer,
		EstimatedTotalCost: est.EstimatedCost,
		CurrentMetrics:     map[string]float64{},
		DatasetName:        d.Name,
		DatasetFormat:      d.Format,
		DatasetPairs:       d.TotalTrainingPairs,
	}, est, nil
}

// JobQueuedNotification is the seed's notification for a new job: low
// priority, pointing at the job.
func JobQueuedNotification(j Job) Notification {
	return Notification{
		UserID:   j.UserID,
		Type:     NotificationJobQueued,
		Title:    "Training Job Queued",
		Message:  "Your training job for \"" + j.DatasetName + "\" has been queued and will start shortly",
		Priority: PriorityLow,
		Action:   NotificationAction{Kind: "job", ID: j.ID.String(), Label: "View job"},
	}
}

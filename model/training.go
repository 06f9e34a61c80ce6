package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Trainers a job can run with (training_jobs.trainer).
const (
	// TrainerSimulated plays a plausible, deterministic LoRA run in compressed
	// time and writes a clearly labelled simulated adapter.
	TrainerSimulated = "simulated"
	// TrainerExec runs the operator's command (`brightrun worker
	// --exec-trainer CMD`) and reads the JSON-lines protocol on its stdout.
	TrainerExec = "exec"
)

// ParseTrainer checks a trainer name; "" is the default trainer.
func ParseTrainer(s string) (string, error) {
	switch t := strings.ToLower(strings.TrimSpace(s)); t {
	case "":
		return DefaultTrainer, nil
	case TrainerSimulated, TrainerExec:
		return t, nil
	}
	return "", fmt.Errorf("unknown trainer %q: valid values are %s, %s", s, TrainerSimulated, TrainerExec)
}

// Stages a running job reports in training_jobs.current_stage. A trainer may
// report others (the exec trainer passes its own through); these are the
// ones Brightrun itself writes.
const (
	StageProvisioning   = "provisioning"
	StageLoadingDataset = "loading_dataset"
	StageTraining       = "training"
	StageValidating     = "validating"
	StageSaving         = "saving"
	StageCompleted      = "completed"
	StageFailed         = "failed"
	StageCancelled      = "cancelled"
)

// Notification types written as a job runs (job_queued is written when it
// is created).
const (
	NotificationJobStarted   = "job_started"
	NotificationJobCompleted = "job_completed"
	NotificationJobFailed    = "job_failed"
	NotificationJobCancelled = "job_cancelled"
)

// MetricPoint is one row of metrics_points: the training curve at a step. A
// validation point carries ValLoss (and no TrainLoss) at the last step of its
// epoch; a training point carries TrainLoss. Fields a trainer did not report
// are nil.
type MetricPoint struct {
	ID             int64     `json:"id"`
	Step           int       `json:"step"`
	Epoch          float64   `json:"epoch"` // fractional: 1.5 is half-way through epoch 2
	TrainLoss      *float64  `json:"train_loss"`
	ValLoss        *float64  `json:"val_loss"`
	LearningRate   *float64  `json:"learning_rate"`
	GradNorm       *float64  `json:"grad_norm"`
	GPUUtilization *float64  `json:"gpu_utilization"` // percent, 0–100
	TokensPerSec   *float64  `json:"tokens_per_sec"`
	RecordedAt     time.Time `json:"recorded_at"`
}

// Metrics are the point's reported values by their current_metrics keys.
func (p MetricPoint) Metrics() map[string]float64 {
	m := map[string]float64{}
	put := func(k string, v *float64) {
		if v != nil {
			m[k] = *v
		}
	}
	put("train_loss", p.TrainLoss)
	put("val_loss", p.ValLoss)
	put("learning_rate", p.LearningRate)
	put("grad_norm", p.GradNorm)
	put("gpu_utilization", p.GPUUtilization)
	put("tokens_per_sec", p.TokensPerSec)
	return m
}

// Artifact formats (model_artifacts.format).
const (
	ArtifactFormatPEFT          = "peft-lora"
	ArtifactFormatPEFTSimulated = "peft-lora-simulated"
)

// Artifact is a row of model_artifacts: a trained adapter, stored as files
// under StoragePath (a key prefix) in the model-artifacts bucket.
type Artifact struct {
	ID            uuid.UUID        `json:"id"`
	UserID        uuid.UUID        `json:"user_id"`
	JobID         uuid.UUID        `json:"job_id"`
	Name          string           `json:"name"`
	StorageBucket string           `json:"storage_bucket"`
	StoragePath   string           `json:"storage_path"`
	FileSize      int64            `json:"file_size"` // all files together
	SHA256        string           `json:"sha256"`    // of the manifest: one "sha256  name" line per file
	Format        string           `json:"format"`
	Metadata      ArtifactMetadata `json:"metadata"`
	CreatedAt     time.Time        `json:"created_at"`
}

// ArtifactMetadata is model_artifacts.metadata: the adapter's files and the
// metrics it ended with.
type ArtifactMetadata struct {
	Trainer      string             `json:"trainer"`
	Simulated    bool               `json:"simulated"`
	Note         string             `json:"note,omitempty"`
	Files        []ArtifactFile     `json:"files"`
	FinalMetrics map[string]float64 `json:"final_metrics"`
}

// ArtifactFile is one file of an adapter; Name is relative to the adapter.
type ArtifactFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// ArtifactManifest is what Artifact.SHA256 is the digest of: the files in
// order, one "sha256  name" line each (the sha256sum format).
func ArtifactManifest(files []ArtifactFile) string {
	var b strings.Builder
	for _, f := range files {
		b.WriteString(f.SHA256 + "  " + f.Name + "\n")
	}
	return b.String()
}

// FileDigest takes a file's bytes as they are written to it and gives the
// record an artifact keeps of them: their size and SHA-256.
type FileDigest struct {
	h    hash.Hash
	size int64
}

// NewFileDigest is a digest of no bytes yet.
func NewFileDigest() *FileDigest { return &FileDigest{h: sha256.New()} }

func (d *FileDigest) Write(p []byte) (int, error) {
	d.size += int64(len(p))
	return d.h.Write(p)
}

// File is the record of the bytes written so far, as the file name.
func (d *FileDigest) File(name string) ArtifactFile {
	return ArtifactFile{Name: name, Size: d.size, SHA256: hex.EncodeToString(d.h.Sum(nil))}
}

// ArtifactSHA256 is an artifact's checksum: the SHA-256 of its manifest.
func ArtifactSHA256(files []ArtifactFile) string {
	sum := sha256.Sum256([]byte(ArtifactManifest(files)))
	return hex.EncodeToString(sum[:])
}

// Cost record kinds (cost_records.kind).
const (
	CostFinal   = "final"   // the job completed
	CostPartial = "partial" // it failed or was cancelled: the cost so far
)

// CostRecord is a row of cost_records: what a finished job cost.
type CostRecord struct {
	ID          uuid.UUID `json:"id"`
	UserID      uuid.UUID `json:"user_id"`
	JobID       uuid.UUID `json:"job_id"`
	Kind        string    `json:"kind"`
	GPUType     string    `json:"gpu_type"`
	GPUCount    int       `json:"gpu_count"`
	Hours       float64   `json:"hours"`
	HourlyRate  float64   `json:"hourly_rate"` // per GPU
	ComputeCost float64   `json:"compute_cost"`
	StorageCost float64   `json:"storage_cost"`
	TotalCost   float64   `json:"total_cost"`
	RecordedAt  time.Time `json:"recorded_at"`
}

// ComputeCost is what seconds of GPU time cost on count GPUs at rate dollars
// per GPU-hour, rounded to cents: the job's current_cost while it runs.
func ComputeCost(seconds, rate float64, count int) float64 {
	return roundCents(seconds / secondsPerHour * rate * float64(count))
}

// NewCostRecord prices a finished job the way the estimate does: compute
// from the GPU time billed, plus the flat storage charge when the job
// completed and stored an adapter. Hours keep four decimals.
func NewCostRecord(gpu GPUConfig, rate, seconds float64, completed bool) CostRecord {
	r := CostRecord{
		Kind: CostPartial, GPUType: gpu.Type, GPUCount: gpu.Count,
		Hours:       math.Round(seconds/secondsPerHour*1e4) / 1e4,
		HourlyRate:  rate,
		ComputeCost: ComputeCost(seconds, rate, gpu.Count),
	}
	if completed {
		r.Kind, r.StorageCost = CostFinal, StorageCost
	}
	r.TotalCost = roundCents(r.ComputeCost + r.StorageCost)
	return r
}

// Job event kinds (JobEvent.Kind).
const (
	EventStage      = "stage"
	EventCheckpoint = "checkpoint"
	EventInfo       = "info"
	EventWarning    = "warning"
	EventError      = "error"
)

// JobEvent is one entry of a job's event log: a stage change, a checkpoint,
// a trainer's warning, a rescue.
type JobEvent struct {
	At      time.Time `json:"at"`
	Kind    string    `json:"kind"`
	Stage   string    `json:"stage,omitempty"`
	Step    int       `json:"step,omitempty"`
	Message string    `json:"message"`
}

package model

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// MaxDatasetBytes is the largest dataset file accepted (500 MiB), checked
// before any byte is sent.
const MaxDatasetBytes = 500 << 20

// Dataset is a row of the datasets table: an uploaded JSONL file and what
// its validation found. Validation fills the stats, TrainingReady and the
// report columns.
type Dataset struct {
	ID                      uuid.UUID       `json:"id"`
	UserID                  uuid.UUID       `json:"user_id"`
	Name                    string          `json:"name"`
	Description             string          `json:"description"`
	Format                  string          `json:"format"`
	Status                  DatasetStatus   `json:"status"`
	StorageBucket           string          `json:"storage_bucket"`
	StoragePath             string          `json:"storage_path"`
	FileName                string          `json:"file_name"`
	FileSize                int64           `json:"file_size"`
	TrainingFileID          *uuid.UUID      `json:"training_file_id,omitempty"`
	TotalTrainingPairs      int             `json:"total_training_pairs"`
	TotalValidationPairs    int             `json:"total_validation_pairs"`
	TotalTokens             int64           `json:"total_tokens"`
	AvgTurnsPerConversation float64         `json:"avg_turns_per_conversation"`
	AvgTokensPerExample     float64         `json:"avg_tokens_per_example"`
	TrainingReady           bool            `json:"training_ready"`
	ValidatedAt             *time.Time      `json:"validated_at,omitempty"`
	ValidationErrors        json.RawMessage `json:"validation_errors"`
	ValidationReport        json.RawMessage `json:"validation_report,omitempty"`
	SampleData              json.RawMessage `json:"sample_data"`
	ErrorMessage            string          `json:"error_message,omitempty"`
	// UploadVia and UploadExpiresAt say how an uploading dataset waits for
	// its file and until when (model.UploadViaClient, UploadViaURL).
	UploadVia       string     `json:"upload_via,omitempty"`
	UploadExpiresAt *time.Time `json:"upload_expires_at,omitempty"`
	// ErrorCount is every error of the report (ValidationErrors lists the
	// first 100); MaxTokens the too_many_tokens limit it was made with (0:
	// made before the limit was recorded).
	ErrorCount int `json:"error_count"`
	MaxTokens  int `json:"max_tokens,omitempty"`
	DatasetLineage
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// DatasetLineage is set on a copy made by `brightrun dataset clean`: the
// dataset it was made from, and what was dropped (a DatasetCleanReport).
type DatasetLineage struct {
	SourceDatasetID *uuid.UUID      `json:"source_dataset_id,omitempty"`
	CleanReport     json.RawMessage `json:"clean_report,omitempty"`
}

// DatasetValidation is what validation writes onto a dataset row.
type DatasetValidation struct {
	Format                  string
	TrainingReady           bool
	TotalTrainingPairs      int
	TotalTokens             int64
	AvgTurnsPerConversation float64
	AvgTokensPerExample     float64
	Errors                  json.RawMessage // [{line, code, message}], first 100
	Report                  json.RawMessage // the whole report
	Samples                 json.RawMessage // up to 5 examples
	ErrorMessage            string          // a summary when not training-ready
}

package model

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Training-file artifact formats an operator can export.
const (
	ArtifactJSON  = "json"
	ArtifactJSONL = "jsonl"
)

// ByArtifactFormat picks what stands for format among a training file's
// two artifacts (its storage key, its bytes): json for "json", jsonl for
// "jsonl"; any other format is an error naming the two.
func ByArtifactFormat[T any](format string, json, jsonl T) (T, error) {
	switch format {
	case ArtifactJSON:
		return json, nil
	case ArtifactJSONL:
		return jsonl, nil
	}
	var none T
	return none, fmt.Errorf("unknown format %q: want json or jsonl", format)
}

// TrainingFileMeta is the part of a training file's row that goes into its
// artifacts. CreatedAt comes from the row, never from the clock, so a
// rebuild gives the same bytes.
type TrainingFileMeta struct {
	ID          uuid.UUID `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
}

// TrainingFileStats are a training file's counts; the same object is the
// "stats" of training.json and the stats column of the row. Distributions
// count conversations.
type TrainingFileStats struct {
	ConversationCount  int            `json:"conversation_count"`
	TotalTrainingPairs int            `json:"total_training_pairs"`
	TotalTokens        int64          `json:"total_tokens"`
	Personas           map[string]int `json:"personas"`
	EmotionalArcs      map[string]int `json:"emotional_arcs"`
	Tiers              map[string]int `json:"tiers"`
}

// TrainingFile is one row of training_files: a named, ordered selection of
// enriched conversations and what its last build wrote.
type TrainingFile struct {
	ID                 uuid.UUID         `json:"id"`
	Name               string            `json:"name"`
	Description        string            `json:"description"`
	Format             string            `json:"format"`
	ConversationCount  int               `json:"conversation_count"`
	TotalTrainingPairs int               `json:"total_training_pairs"`
	TotalTokens        int64             `json:"total_tokens"`
	StorageBucket      string            `json:"storage_bucket"`
	JSONStoragePath    string            `json:"json_storage_path"`
	JSONLStoragePath   string            `json:"jsonl_storage_path"`
	JSONFileSize       int64             `json:"json_file_size"`
	JSONLFileSize      int64             `json:"jsonl_file_size"`
	Stats              TrainingFileStats `json:"stats"`
	BuiltAt            *time.Time        `json:"built_at"`
	CreatedAt          time.Time         `json:"created_at"`
	UpdatedAt          time.Time         `json:"updated_at"`
}

// Meta is the part of the row that goes into the artifacts.
func (t TrainingFile) Meta() TrainingFileMeta {
	return TrainingFileMeta{ID: t.ID, Name: t.Name, Description: t.Description, CreatedAt: t.CreatedAt}
}

// TrainingFileBuild is what one build wrote, for the store to record on the row.
type TrainingFileBuild struct {
	Stats            TrainingFileStats
	JSONStoragePath  string
	JSONLStoragePath string
	JSONFileSize     int64
	JSONLFileSize    int64
}

// TrainingFileObjectKeys are the keys of a training file's artifacts in
// the training-files bucket (docs/formats.md#training-files-brightrun-lora-v4).
func TrainingFileObjectKeys(id uuid.UUID) (jsonKey, jsonlKey string) {
	return id.String() + "/training.json", id.String() + "/training.jsonl"
}

// ConversationObjectKey is where a conversation file of one flavour lives
// in the conversation-files bucket.
func ConversationObjectKey(userID uuid.UUID, conversationID, flavour string) string {
	return userID.String() + "/" + conversationID + "/" + flavour + ".json"
}

// ValidateTrainingFileName checks a name an operator typed.
func ValidateTrainingFileName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("training file name is empty")
	case utf8.RuneCountInString(name) > MaxNameLen:
		return CheckLength("training file name", name, MaxNameLen)
	case strings.ContainsRune(name, 0):
		return fmt.Errorf("training file name must not contain NUL characters")
	}
	return nil
}

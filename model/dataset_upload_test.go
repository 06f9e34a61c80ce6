package model

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestUploadState(t *testing.T) {
	now := time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	for _, c := range []struct {
		d    Dataset
		want string
	}{
		{Dataset{Status: DatasetUploading, UploadVia: UploadViaURL, UploadExpiresAt: at(52*time.Minute + UploadURLGrace)}, "awaiting file (URL expires in 52m)"},
		{Dataset{Status: DatasetUploading, UploadVia: UploadViaURL, UploadExpiresAt: at(time.Minute)}, "awaiting file (URL expired 4m ago)"},
		{Dataset{Status: DatasetUploading, UploadVia: UploadViaClient, UpdatedAt: now.Add(-10 * time.Second)}, "uploading (client seen 10s ago)"},
		{Dataset{Status: DatasetUploading}, "uploading"},
		{Dataset{Status: DatasetReady, UploadVia: UploadViaURL}, ""},
	} {
		if got := c.d.UploadState(now); got != c.want {
			t.Errorf("%+v: %q, want %q", c.d, got, c.want)
		}
	}
}

// TestCleanedAndWhy: a clean copy's report reads back, any other dataset
// has none; a ready dataset that is not training-ready says why in a few
// words.
func TestCleanedAndWhy(t *testing.T) {
	src := uuid.New()
	copyOf := Dataset{DatasetLineage: DatasetLineage{SourceDatasetID: &src,
		CleanReport: json.RawMessage(`{"kept":17,"dropped":3,"dropped_lines":[{"line":18,"code":"invalid_json","message":"m"}]}`)}}
	if r, ok := copyOf.Cleaned(); !ok || r.Kept != 17 || r.Dropped != 3 || r.DroppedLines[0].Line != 18 {
		t.Errorf("Cleaned() = %+v, %v", r, ok)
	}
	if _, ok := (Dataset{DatasetLineage: DatasetLineage{CleanReport: copyOf.CleanReport}}).Cleaned(); ok {
		t.Error("a dataset without a source read as a clean copy")
	}
	for _, tt := range []struct {
		d    Dataset
		want string
	}{
		{Dataset{TrainingReady: true, ErrorCount: 0}, ""},
		{Dataset{ErrorCount: 1}, "1 error"},
		{Dataset{ErrorCount: 3}, "3 errors"},
		{Dataset{TotalTrainingPairs: 1}, "only 1 valid example (10 needed)"},
	} {
		if got := tt.d.NotTrainingReadyWhy(); got != tt.want {
			t.Errorf("NotTrainingReadyWhy(%+v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

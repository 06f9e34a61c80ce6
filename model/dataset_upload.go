package model

import (
	"fmt"
	"time"
)

// How an uploading dataset waits for its bytes (datasets.upload_via).
const (
	// UploadViaClient: a Brightrun process sends the file and renews the
	// row's deadline while it does.
	UploadViaClient = "client"
	// UploadViaURL: someone holding a presigned URL is to PUT the file.
	UploadViaURL = "url"
)

// UploadURLGrace is how long past its URL's expiry an upload-url dataset
// still waits, for a PUT that started just before the URL expired.
const UploadURLGrace = 5 * time.Minute

// UploadState says how an uploading dataset waits, for the status column
// and detail views: "uploading (client seen 10s ago)" for a file being
// sent, "awaiting file (URL expires in 52m)" for an upload URL still
// waiting for its file. It is "" for a dataset that is not uploading.
func (d Dataset) UploadState(now time.Time) string {
	if d.Status != DatasetUploading {
		return ""
	}
	if d.UploadVia == UploadViaURL && d.UploadExpiresAt != nil {
		urlEnd := d.UploadExpiresAt.Add(-UploadURLGrace)
		if now.Before(urlEnd) {
			return fmt.Sprintf("awaiting file (URL expires in %s)", roughDuration(urlEnd.Sub(now)))
		}
		return fmt.Sprintf("awaiting file (URL expired %s ago)", roughDuration(now.Sub(urlEnd)))
	}
	if d.UploadVia == UploadViaClient {
		return fmt.Sprintf("uploading (client seen %s ago)", roughDuration(now.Sub(d.UpdatedAt)))
	}
	return "uploading"
}

// roughDuration renders a wait in its largest unit: 10s, 52m, 3h, 2d.
func roughDuration(d time.Duration) string {
	d = max(d, 0)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	default:
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	}
}

package model

import (
	"testing"
	"time"
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

package datasets

import (
	"testing"
	"time"

	"brightrun/model"
)

func TestFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Bytes(0), "0 B"},
		{Bytes(1023), "1023 B"},
		{Bytes(831_488), "812.0 KiB"},
		{Bytes(12_897_484), "12.3 MiB"},
		{Bytes(model.MaxDatasetBytes), "500.0 MiB"},
		{Compact(980), "980"},
		{Compact(9_821), "9,821"},
		{Compact(17_352), "17.4k"},
		{Compact(13_268_572), "13.3M"},
		{Compact(2_500_000_000), "2.5G"},
		{Left(1400 * time.Millisecond), "1s"},
		{Left(65 * time.Second), "1m 05s"},
		{Left(time.Hour), "1h 00m"},
		{Left(2*time.Hour + 3*time.Minute), "2h 03m"},
		{edge(0), "0"},
		{edge(256), "256"},
		{edge(1024), "1K"},
		{edge(65536), "64K"},
		{badgeText(model.DatasetReady, "⠋"), "✓ ready"},
		{badgeText(model.DatasetError, "⠋"), "✗ error"},
		{badgeText(model.DatasetUploading, "⠙"), "⠙ uploading"},
		{badgeText(model.DatasetValidating, "⠋"), "⠋ validating"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

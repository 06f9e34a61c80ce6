package datasets

import (
	"testing"

	"brightrun/model"
)

func TestFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
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

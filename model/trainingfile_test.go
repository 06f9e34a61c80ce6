package model

import "testing"

func TestByArtifactFormat(t *testing.T) {
	for _, tc := range []struct {
		format, want, err string
	}{
		{ArtifactJSON, "doc.json", ""},
		{ArtifactJSONL, "lines.jsonl", ""},
		{"csv", "", `unknown format "csv": want json or jsonl`},
	} {
		got, err := ByArtifactFormat(tc.format, "doc.json", "lines.jsonl")
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
			t.Errorf("ByArtifactFormat(%q) = %q, %v; want %q, %q", tc.format, got, err, tc.want, tc.err)
		}
	}
}

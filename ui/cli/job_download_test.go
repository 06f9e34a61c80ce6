package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
)

// `job download --urls` checks its flags before it opens anything.
func TestJobDownloadURLFlags(t *testing.T) {
	const id = "00000000-0000-4000-8000-0000000b0007"
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"job", "download", id, "--urls", "--out", "/tmp/x"}, "--out and --urls exclude each other"},
		{[]string{"job", "download", id, "--out", "/tmp/x", "--expires", "2h"}, "--expires goes with --urls"},
		{[]string{"job", "download", id, "--urls", "--expires", "200h"}, "--expires 200h0m0s is out of range: between 1s and 168h"},
		{[]string{"job", "download", id, "--urls", "--expires", "0s"}, "--expires 0s is out of range"},
		{[]string{"job", "download", id, "--urls", "--expires", "soon"}, "invalid value \"soon\" for flag -expires"},
		{[]string{"job", "download", id}, "--out DIR is required (or --urls"},
	}
	for _, tt := range tests {
		code, out, errOut := runIn(tt.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tt.stderr) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line with %q", tt.args, code, out, errOut, tt.stderr)
		}
	}
}

// The text of --urls has everything to fetch and check the files on
// another machine, each URL whole on its line.
func TestWriteDownloadURLs(t *testing.T) {
	j := model.Job{ID: uuid.MustParse("00000000-0000-4000-8000-0000000b0007"), Name: "tone tuner", Status: model.JobCompleted}
	a := model.Artifact{Name: "tone tuner adapter (SIMULATED)", Format: model.ArtifactFormatPEFTSimulated,
		Metadata: model.ArtifactMetadata{Simulated: true, Files: []model.ArtifactFile{
			{Name: "adapter_config.json", Size: 612, SHA256: strings.Repeat("a", 64)},
			{Name: "weights/adapter_model.safetensors", Size: 262_480, SHA256: strings.Repeat("b", 64)},
		}}}
	urls := []string{
		"http://127.0.0.1:7070/model-artifacts/u/j/a/adapter_config.json?X-Amz-Expires=5400&X-Amz-Signature=" + strings.Repeat("1", 64),
		"http://127.0.0.1:7070/model-artifacts/u/j/a/weights/adapter_model.safetensors?X-Amz-Expires=5400&X-Amz-Signature=" + strings.Repeat("2", 64),
	}
	u := engine.NewArtifactURLs(j, a, urls, time.Date(2026, 3, 14, 16, 30, 0, 0, time.UTC))
	var b bytes.Buffer
	writeDownloadURLs(&b, u, 90*time.Minute)
	got := b.String()
	for _, want := range []string{
		`adapter "tone tuner adapter (SIMULATED)" (peft-lora-simulated, 2 files, 256.9 KiB) of job ` + j.ID.String(),
		"note: " + model.SimulatedNote,
		"The links are valid for 1h30m, until ",
		"Fetch every file into ./tone-tuner-adapter:\n\n  mkdir -p tone-tuner-adapter && cd tone-tuner-adapter && curl -fLo adapter_config.json '" + urls[0] +
			"' && curl -fL --create-dirs -o weights/adapter_model.safetensors '" + urls[1] + "'\n",
		"\n  adapter_config.json  612 B (612 bytes)\n  sha256 " + strings.Repeat("a", 64) + "\n  " + urls[0] + "\n  curl -fLo adapter_config.json '" + urls[0] + "'\n",
		"sha256sum -c",
		strings.Repeat("b", 64) + "  weights/adapter_model.safetensors\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for d, want := range map[time.Duration]string{time.Hour: "1h", 90 * time.Minute: "1h30m", 168 * time.Hour: "168h", 10 * time.Minute: "10m", 90 * time.Second: "1m30s"} {
		if s := shortDuration(d); s != want {
			t.Errorf("shortDuration(%s) = %q, want %q", d, s, want)
		}
	}
}

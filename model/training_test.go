package model

import (
	"strings"
	"testing"
)

func TestNewCostRecord(t *testing.T) {
	gpu := GPUConfig{Type: "A100-80GB", Count: 2}
	tests := []struct {
		name      string
		seconds   float64
		completed bool
		want      CostRecord
	}{
		// The worked example of docs/formats.md#cost-estimate run to the end: 12857.14 s.
		{"completed worked example", 13268572.0*3/3600 + 600 + 900 + 300, true,
			CostRecord{Kind: CostFinal, GPUType: "A100-80GB", GPUCount: 2, Hours: 3.5714, HourlyRate: 3.5, ComputeCost: 25.00, StorageCost: 0.50, TotalCost: 25.50}},
		{"cancelled after 90 minutes", 5400, false,
			CostRecord{Kind: CostPartial, GPUType: "A100-80GB", GPUCount: 2, Hours: 1.5, HourlyRate: 3.5, ComputeCost: 10.50, TotalCost: 10.50}},
		{"cancelled while queued", 0, false, CostRecord{Kind: CostPartial, GPUType: "A100-80GB", GPUCount: 2, HourlyRate: 3.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewCostRecord(gpu, 3.5, tt.seconds, tt.completed); got != tt.want {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseTrainer(t *testing.T) {
	for in, want := range map[string]string{"": TrainerSimulated, "Simulated": TrainerSimulated, " exec ": TrainerExec} {
		if got, err := ParseTrainer(in); err != nil || got != want {
			t.Errorf("ParseTrainer(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseTrainer("gpu"); err == nil || !strings.Contains(err.Error(), "valid values are simulated, exec") {
		t.Errorf("unknown trainer: %v", err)
	}
}

func TestJobNotificationsSayWhatHappened(t *testing.T) {
	j := Job{Name: "coach (balanced)", Trainer: TrainerSimulated, GPUConfig: GPUConfig{Type: "H100", Count: 2}, CurrentStep: 40, TotalSteps: 750}
	cost := CostRecord{Hours: 1.25, TotalCost: 10.5}
	loss := 0.912
	for _, tt := range []struct {
		n          Notification
		typ, words string
	}{
		{JobStartedNotification(j), NotificationJobStarted, "the simulated trainer"},
		{JobCompletedNotification(j, cost, &loss), NotificationJobCompleted, "final loss 0.912; cost $10.50. The adapter (simulated)"},
		{JobFailedNotification(j, "trainer exited with status 3\nlast lines of stderr:\n boom", cost), NotificationJobFailed, "failed: trainer exited with status 3 (cost so far $10.50)"},
		{JobCancelledNotification(j, cost), NotificationJobCancelled, "cancelled at step 40 of 750; cost so far $10.50"},
	} {
		if tt.n.Type != tt.typ || !strings.Contains(tt.n.Message, tt.words) || tt.n.Action.Kind != "job" {
			t.Errorf("%s: %+v", tt.typ, tt.n)
		}
	}
}

// A digest names bytes as an artifact's record does, however they were
// written, and an artifact's checksum is the SHA-256 of its manifest.
func TestFileDigest(t *testing.T) {
	tests := []struct {
		name   string
		pieces []string
		want   ArtifactFile
	}{
		{"empty", nil, ArtifactFile{Name: "empty", Size: 0, SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}},
		{"abc", []string{"abc"}, ArtifactFile{Name: "abc", Size: 3, SHA256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}},
		{"abc in pieces", []string{"a", "", "bc"}, ArtifactFile{Name: "abc in pieces", Size: 3, SHA256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}},
	}
	for _, tt := range tests {
		d := NewFileDigest()
		for _, p := range tt.pieces {
			d.Write([]byte(p))
		}
		if got := d.File(tt.name); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
	files := []ArtifactFile{tests[1].want}
	d := NewFileDigest()
	d.Write([]byte(ArtifactManifest(files)))
	if got := ArtifactSHA256(files); got != d.File("").SHA256 || !strings.HasPrefix(ArtifactManifest(files), tests[1].want.SHA256+"  abc\n") {
		t.Errorf("artifact checksum %s of manifest %q", got, ArtifactManifest(files))
	}
}

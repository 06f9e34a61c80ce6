package uitest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
)

// A completed job's adapter as the fixture has it: downloaded into a
// directory, or as presigned links.

// DownloadArtifact implements common.Backend: a completed job's adapter is
// one small labelled file written into outDir; any other job has none.
func (b *Backend) DownloadArtifact(_ context.Context, jobID uuid.UUID, outDir string) ([]string, error) {
	f := b.JobFixture()
	f.mu.Lock()
	f.Downloads = append(f.Downloads, outDir)
	i, ok := f.fixtureJob(jobID)
	var j model.Job
	if ok {
		j = f.Items[i]
	}
	f.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("job %s: %w", jobID, ErrNotFound)
	}
	if j.Status != model.JobCompleted {
		return nil, fmt.Errorf("job %s (%s): no adapter to download", jobID, j.Status)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	p := filepath.Join(outDir, "adapter_config.json")
	if err := os.WriteFile(p, []byte(`{"simulated": true}`+"\n"), 0o644); err != nil {
		return nil, err
	}
	return []string{p}, nil
}

// ArtifactDownloadURLs implements common.Backend: a completed job's
// adapter is the simulated trainer's four files, with fixed sizes, SHA-256
// sums drawn from the job and the name, and URLs shaped like the local
// gateway's presigned ones, as long as real ones; any other job has none,
// as the engine says.
func (b *Backend) ArtifactDownloadURLs(_ context.Context, jobID uuid.UUID, expiry time.Duration) (engine.ArtifactURLs, error) {
	f := b.JobFixture()
	f.mu.Lock()
	f.URLRequests = append(f.URLRequests, jobID)
	urlErr := f.URLErr
	i, ok := f.fixtureJob(jobID)
	var j model.Job
	if ok {
		j = f.Items[i]
	}
	f.mu.Unlock()
	switch {
	case urlErr != nil:
		return engine.ArtifactURLs{}, urlErr
	case !ok:
		return engine.ArtifactURLs{}, fmt.Errorf("job %s: %w", jobID, ErrNotFound)
	case !j.Status.Final():
		return engine.ArtifactURLs{}, fmt.Errorf("job %s has no adapter yet: it is %s (%w until it completes)", jobID, j.Status, engine.ErrNoArtifact)
	case j.Status == model.JobCancelled:
		return engine.ArtifactURLs{}, fmt.Errorf("job %s has no adapter: it was cancelled (%w)", jobID, engine.ErrNoArtifact)
	case j.Status != model.JobCompleted:
		return engine.ArtifactURLs{}, fmt.Errorf("job %s has no adapter: it %s (%w)", jobID, j.Status, engine.ErrNoArtifact)
	}
	if expiry == 0 {
		expiry = engine.ArtifactURLExpiry
	}
	a := FixtureArtifact(b.UserValue.ID, j)
	urls := make([]string, len(a.Metadata.Files))
	for k, file := range a.Metadata.Files {
		sig := sha256.Sum256([]byte("signature " + a.StoragePath + file.Name))
		urls[k] = fmt.Sprintf("http://127.0.0.1:7070/%s/%s%s?X-Amz-Algorithm=AWS4-HMAC-SHA256"+
			"&X-Amz-Credential=brightrun%%2F20260314%%2Fus-east-1%%2Fs3%%2Faws4_request&X-Amz-Date=20260314T150000Z"+
			"&X-Amz-Expires=%d&X-Amz-SignedHeaders=host&x-id=GetObject&X-Amz-Signature=%x",
			a.StorageBucket, a.StoragePath, file.Name, int(expiry/time.Second), sig)
	}
	return engine.NewArtifactURLs(j, a, urls, Now.Add(expiry)), nil
}

// FixtureArtifact is the adapter the fixture says a completed job j of
// user produced: the simulated trainer's four files, sorted by name.
func FixtureArtifact(user uuid.UUID, j model.Job) model.Artifact {
	id := j.ID
	id[0], id[1] = 0xaa, 0xaa
	a := model.Artifact{
		ID: id, UserID: user, JobID: j.ID, Name: j.Name + " adapter (SIMULATED)", StorageBucket: "model-artifacts",
		StoragePath: fmt.Sprintf("%s/%s/%s/", user, j.ID, id), Format: model.ArtifactFormatPEFTSimulated,
		Metadata: model.ArtifactMetadata{Trainer: j.Trainer, Simulated: true, Note: model.SimulatedNote}, CreatedAt: Now,
	}
	if j.CompletedAt != nil {
		a.CreatedAt = *j.CompletedAt
	}
	for _, file := range []struct {
		name string
		size int64
	}{{"README.md", 1_184}, {"adapter_config.json", 612}, {"adapter_model.safetensors", 262_480}, {"training_metrics.json", 1_047}} {
		sum := sha256.Sum256([]byte(j.ID.String() + "/" + file.name))
		a.Metadata.Files = append(a.Metadata.Files, model.ArtifactFile{Name: file.name, Size: file.size, SHA256: hex.EncodeToString(sum[:])})
		a.FileSize += file.size
	}
	a.SHA256 = model.ArtifactSHA256(a.Metadata.Files)
	return a
}

package engine_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
)

// The URLs of a completed job's adapter fetch its files from anywhere:
// plain HTTP, no credentials, the bytes the record describes.
func TestArtifactDownloadURLs(t *testing.T) {
	e, db, _, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	job := enginetest.ReadyJob(t, db, s, 40, engine.JobRequest{Name: "cash bot/v1", GPU: model.GPUConfig{Type: "H100", Count: 1}})
	// Before a worker runs it the job has nothing to download, and says why.
	_, err := s.ArtifactDownloadURLs(ctx, job.ID, 0)
	if !errors.Is(err, engine.ErrNoArtifact) || !strings.Contains(err.Error(), "no adapter yet: it is queued") {
		t.Fatalf("queued job: %v", err)
	}
	// A job cancelled while queued (no worker yet) never has one.
	other, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: job.DatasetID, GPU: model.GPUConfig{Type: "H100", Count: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CancelJob(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ArtifactDownloadURLs(ctx, other.ID, 0); !errors.Is(err, engine.ErrNoArtifact) || !strings.Contains(err.Error(), "was cancelled") {
		t.Errorf("cancelled job: %v", err)
	}
	for _, bad := range []time.Duration{-time.Hour, 8 * 24 * time.Hour} {
		if _, err := s.ArtifactDownloadURLs(ctx, job.ID, bad); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("expiry %s: %v", bad, err)
		}
	}

	enginetest.StartWorker(t, e, engine.WorkerOptions{SimSpeed: enginetest.FastSim, RescueAfter: 2 * time.Second})
	if j, _ := enginetest.WaitJob(t, s, job.ID, 30*time.Second); j.Status != model.JobCompleted {
		t.Fatalf("job ended %s: %s", j.Status, j.ErrorMessage)
	}
	before := time.Now()
	got, err := s.ArtifactDownloadURLs(ctx, job.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	a := got.Artifact
	if got.JobID != job.ID || len(got.Files) != 4 || len(a.Metadata.Files) != 4 || got.Dir != "cash-bot-v1-adapter" {
		t.Fatalf("answer %+v", got)
	}
	if left := got.ExpiresAt.Sub(before); left < time.Hour-2*time.Second || left > time.Hour+time.Second {
		t.Errorf("expires in %s, want an hour", left)
	}
	if !strings.HasPrefix(got.Command, "mkdir -p cash-bot-v1-adapter && cd cash-bot-v1-adapter && curl -fLo ") {
		t.Errorf("command %q", got.Command)
	}
	for i, f := range got.Files {
		rec := a.Metadata.Files[i]
		if f.Name != rec.Name || f.Size != rec.Size || f.SHA256 != rec.SHA256 {
			t.Errorf("file %d: %+v, record %+v", i, f, rec)
		}
		if want := "curl -fLo " + f.Name + " '" + f.URL + "'"; f.Curl != want || !strings.Contains(got.Command, want) {
			t.Errorf("curl line %q, want %q in the command", f.Curl, want)
		}
		pu, err := url.Parse(f.URL)
		if err != nil || pu.Query().Get("X-Amz-Expires") != "3600" {
			t.Errorf("%s: URL %s (%v) is not signed for an hour", f.Name, f.URL, err)
		}
		body := httpGet(t, f.URL)
		if !enginetest.MatchesRecord(rec, body) {
			t.Errorf("%s: fetched %d bytes, not those of the record (%d bytes, SHA-256 %s)", f.Name, len(body), f.Size, f.SHA256)
		}
	}

	// Another operator's job is not found, as every other read of it.
	bob, _ := e.EnsureUser(ctx, "bob")
	if _, err := e.Session(bob).ArtifactDownloadURLs(ctx, job.ID, 0); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("bob presigns ada's adapter: %v", err)
	}
}

// httpGet fetches url as a machine without Brightrun's keys would.
func httpGet(t *testing.T, url string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, body)
	}
	return body
}

package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"brightrun/engine/worker"
	"brightrun/model"
	"brightrun/store"
)

// An adapter fetched from elsewhere: an operator on SSH, or a script on
// another machine, cannot use DownloadArtifact (it writes to this machine's
// disk), so it gets a presigned GET URL per file instead, with the curl
// lines that fetch them and each file's size and SHA-256 to check them by.

// ArtifactURLExpiry is how long download URLs stay valid unless asked
// otherwise: long enough to copy and run the commands, short enough that a
// pasted link does not stay a key to the adapter.
const ArtifactURLExpiry = time.Hour

// MaxArtifactURLExpiry is the longest validity a URL may have: S3's
// signature version 4 refuses presigned URLs valid for more than a week.
const MaxArtifactURLExpiry = 7 * 24 * time.Hour

// ArtifactDownload is one file of an adapter with the URL it can be
// fetched from until the answer's ExpiresAt.
type ArtifactDownload struct {
	// Name is the file's path relative to the adapter.
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	URL    string `json:"url"`
	// Curl fetches the file into Name, relative to the current directory.
	Curl string `json:"curl"`
}

// ArtifactURLs is how to fetch a job's adapter from any machine.
type ArtifactURLs struct {
	JobID    uuid.UUID      `json:"job_id"`
	Artifact model.Artifact `json:"artifact"`
	// ExpiresAt is when the URLs stop working.
	ExpiresAt time.Time          `json:"expires_at"`
	Files     []ArtifactDownload `json:"files"`
	// Dir is the directory Command creates and fetches every file into.
	Dir string `json:"dir"`
	// Command is one shell line: mkdir -p Dir && cd Dir && every curl.
	Command string `json:"command"`
}

// ArtifactDownloadURLs presigns a GET URL, valid for expiry (0: an hour),
// for each file of a job's adapter. Another operator's job is
// store.ErrNotFound; a job without an adapter is ErrNoArtifact, saying why.
func (s *Session) ArtifactDownloadURLs(ctx context.Context, jobID uuid.UUID, expiry time.Duration) (ArtifactURLs, error) {
	expiry, err := checkURLExpiry(expiry)
	if err != nil {
		return ArtifactURLs{}, err
	}
	var (
		j    model.Job
		list []model.Artifact
	)
	err = s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		var err error
		if j, err = store.GetJob(ctx, tx, jobID); err != nil {
			return err
		}
		list, err = store.JobArtifacts(ctx, tx, jobID)
		return err
	})
	if err != nil {
		return ArtifactURLs{}, err
	}
	if len(list) == 0 {
		return ArtifactURLs{}, noArtifact(j)
	}
	return s.e.artifactURLs(ctx, j, list[0], expiry)
}

// artifactURLs presigns a URL for each of a's files.
func (e *Engine) artifactURLs(ctx context.Context, j model.Job, a model.Artifact, expiry time.Duration) (ArtifactURLs, error) {
	// The clock is read before signing, so the URLs outlive what is said.
	expires := time.Now().Add(expiry).UTC().Truncate(time.Second)
	urls := make([]string, len(a.Metadata.Files))
	for i, f := range a.Metadata.Files {
		// The name ends up in a shell line and a path on the operator's
		// disk: one that climbs out of the directory is refused, as
		// DownloadArtifact refuses it.
		if !worker.ValidArtifactName(f.Name) {
			return ArtifactURLs{}, fmt.Errorf("download URLs for job %s: file name %q is not a clean relative path", j.ID, f.Name)
		}
		u, err := e.objects.PresignGet(ctx, a.StorageBucket, a.StoragePath+f.Name, expiry)
		if err != nil {
			return ArtifactURLs{}, fmt.Errorf("download URLs for job %s: %w", j.ID, err)
		}
		urls[i] = u
	}
	return NewArtifactURLs(j, a, urls, expires), nil
}

// checkURLExpiry defaults an expiry of 0 to ArtifactURLExpiry and checks
// it is one S3 can sign.
func checkURLExpiry(expiry time.Duration) (time.Duration, error) {
	if expiry == 0 {
		expiry = ArtifactURLExpiry
	}
	if expiry < time.Second || expiry > MaxArtifactURLExpiry {
		return 0, fmt.Errorf("download URL expiry %s is out of range: between 1s and %s", expiry, MaxArtifactURLExpiry)
	}
	return expiry, nil
}

// NewArtifactURLs puts together the answer of ArtifactDownloadURLs from
// the URLs presigned for a's files, in their order: the curl line of each
// and the command that fetches them all. It is exported so a fixture
// backend gives the screens the commands the engine would.
func NewArtifactURLs(j model.Job, a model.Artifact, urls []string, expiresAt time.Time) ArtifactURLs {
	out := ArtifactURLs{JobID: j.ID, Artifact: a, ExpiresAt: expiresAt, Dir: AdapterDirName(j.Name),
		Files: make([]ArtifactDownload, 0, len(a.Metadata.Files))}
	steps := []string{"mkdir -p " + shellQuote(out.Dir), "cd " + shellQuote(out.Dir)}
	for i, f := range a.Metadata.Files {
		var u string
		if i < len(urls) {
			u = urls[i]
		}
		d := ArtifactDownload{Name: f.Name, Size: f.Size, SHA256: f.SHA256, URL: u, Curl: curlGet(f.Name, u)}
		out.Files = append(out.Files, d)
		steps = append(steps, d.Curl)
	}
	out.Command = strings.Join(steps, " && ")
	return out
}

// AdapterDirName is the directory an adapter is proposed to go into,
// <job name>-adapter, the name made safe for a path and a shell line.
func AdapterDirName(jobName string) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '-'
	}, strings.TrimSpace(jobName))
	safe = strings.Trim(safe, "-.")
	if safe == "" {
		safe = "job"
	}
	return safe + "-adapter"
}

// curlGet is the curl line that fetches url into name: -f so an expired
// or refused URL fails instead of saving S3's XML error as the file, -L to
// follow a redirect, --create-dirs for a file in a subdirectory.
func curlGet(name, url string) string {
	flags := "-fLo"
	if strings.Contains(name, "/") {
		flags = "-fL --create-dirs -o"
	}
	return fmt.Sprintf("curl %s %s %s", flags, shellQuote(name), "'"+strings.ReplaceAll(url, "'", `'\''`)+"'")
}

// shellQuote leaves a word of plain characters as it is and puts anything
// else in single quotes, so a pasted line means what it says.
func shellQuote(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./+=:@,", r)) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// noArtifact says why a job has no adapter: it has not completed yet, or
// it ended without one. It wraps ErrNoArtifact.
func noArtifact(j model.Job) error {
	switch {
	case !j.Status.Final():
		return fmt.Errorf("job %s has no adapter yet: it is %s (%w until it completes)", j.ID, j.Status, ErrNoArtifact)
	case j.Status == model.JobCancelled:
		return fmt.Errorf("job %s has no adapter: it was cancelled (%w)", j.ID, ErrNoArtifact)
	case j.Status == model.JobCompleted:
		return fmt.Errorf("job %s has no adapter: it completed without recording one (%w)", j.ID, ErrNoArtifact)
	}
	return fmt.Errorf("job %s has no adapter: it %s (%w)", j.ID, j.Status, ErrNoArtifact)
}

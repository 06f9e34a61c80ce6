package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/model/dataset"
	"brightrun/store"
)

// CleanDataset makes a new dataset of a validated dataset's valid lines
// only, and starts its validation like an upload's. The source's object is
// streamed through the validator into the copy's, never held whole; the
// copy records its source and the lines it dropped, with the reasons. The
// source is left as it was. name "" means the source's name with
// " (clean)".
func (s *Session) CleanDataset(ctx context.Context, sourceID uuid.UUID, name string) (model.Dataset, error) {
	src, err := s.Dataset(ctx, sourceID)
	if err != nil {
		return model.Dataset{}, err
	}
	if src.Status != model.DatasetReady {
		return model.Dataset{}, fmt.Errorf("dataset %q cannot be cleaned: its validation has not run to the end (status %s)", src.Name, src.Status)
	}
	if strings.TrimSpace(name) == "" {
		name = model.ClipName(src.Name + " (clean)")
	}
	id := uuid.New()
	file := cleanFileName(strings.TrimSuffix(src.FileName, ".jsonl") + "-clean.jsonl")
	key := datasetKey(s.user.ID, id, file)
	sweep := s.e.cfg.Sweep.withDefaults()
	d, err := s.createDatasetRow(ctx, store.NewDataset{
		ID: id, Name: name, Description: fmt.Sprintf("The valid lines of dataset %q", src.Name),
		Bucket: store.BucketDatasets, StoragePath: key, FileName: file,
		UploadVia: model.UploadViaClient, UploadWait: sweep.UploadTimeout, SourceDatasetID: &src.ID,
	})
	if err != nil {
		return model.Dataset{}, err
	}
	ctx, stopRenew := s.renewUpload(ctx, id, sweep)
	defer stopRenew()
	d, err = s.writeClean(ctx, src, d)
	if err != nil {
		stopRenew()
		if cerr := s.discardUpload(ctx, id, key); cerr != nil {
			return model.Dataset{}, fmt.Errorf("clean dataset %q: %w (and %v)", src.Name, err, cerr)
		}
		return model.Dataset{}, fmt.Errorf("clean dataset %q: %w; nothing was kept", src.Name, err)
	}
	return d, nil
}

// writeClean streams the source's valid lines into the copy's object,
// records what was dropped and starts the copy's validation.
func (s *Session) writeClean(ctx context.Context, src, d model.Dataset) (model.Dataset, error) {
	body, _, err := s.e.objects.GetObject(ctx, src.StorageBucket, src.StoragePath)
	if err != nil {
		return model.Dataset{}, err
	}
	defer body.Close()
	pr, pw := io.Pipe()
	var rep dataset.Report
	var cleanErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		rep, cleanErr = (&dataset.Validator{}).Clean(body, pw, src.FileName)
		pw.CloseWithError(cleanErr)
	}()
	err = s.e.objects.Upload(ctx, d.StorageBucket, d.StoragePath, pr, -1, nil)
	pr.CloseWithError(err) // stops the cleaner when the upload gave up first
	<-done
	if cleanErr != nil && err == nil {
		err = cleanErr
	}
	if err != nil {
		return model.Dataset{}, err
	}
	size, exists, err := s.e.objects.HeadObject(ctx, d.StorageBucket, d.StoragePath)
	if err != nil {
		return model.Dataset{}, err
	}
	if !exists || size == 0 {
		return model.Dataset{}, fmt.Errorf("dataset %q has no valid line to keep", src.Name)
	}
	report, err := json.Marshal(cleanReport(src.ID, rep))
	if err != nil {
		return model.Dataset{}, fmt.Errorf("encode the clean report: %w", err)
	}
	err = s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error { return store.SetDatasetCleanReport(ctx, tx, d.ID, report) })
	if err != nil {
		return model.Dataset{}, err
	}
	return s.startValidation(ctx, d.ID, size, src.MaxTokens)
}

// cleanReport is what the cleaning of a source with report r dropped.
func cleanReport(source uuid.UUID, r dataset.Report) model.DatasetCleanReport {
	out := model.DatasetCleanReport{SourceDatasetID: source.String(), SourceLines: r.Lines, Kept: r.Valid,
		BlankLines: r.BlankLines, DroppedCounts: map[string]int{}, DroppedLines: make([]model.DatasetIssue, 0, len(r.Errors))}
	for code, n := range r.ErrorCounts {
		out.DroppedCounts[string(code)] = n
		out.Dropped += n
	}
	for _, is := range r.Errors {
		out.DroppedLines = append(out.DroppedLines, model.DatasetIssue{Line: is.Line, Code: string(is.Code), Message: is.Message})
	}
	return out
}

package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
)

// UploadProgress is a snapshot of an upload in flight.
type UploadProgress struct {
	Sent    int64
	Total   int64
	Elapsed time.Duration
}

// Rate is the mean bytes per second so far.
func (p UploadProgress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Sent) / p.Elapsed.Seconds()
}

// ETA is the time left at the mean rate so far (0 when unknown).
func (p UploadProgress) ETA() time.Duration {
	r := p.Rate()
	if r <= 0 || p.Sent >= p.Total {
		return 0
	}
	return time.Duration(float64(p.Total-p.Sent) / r * float64(time.Second))
}

// UploadOptions name a new dataset and watch its upload.
type UploadOptions struct {
	Name        string // default: the file's name
	Description string
	Progress    func(UploadProgress)
}

// UploadDataset sends a local JSONL file to object storage as a new dataset
// and starts its validation. Files over 500 MiB are refused before any byte
// is sent. A failed or cancelled upload aborts the multipart upload and
// removes the row, so nothing claims bytes that are not there.
func (s *Session) UploadDataset(ctx context.Context, path string, o UploadOptions) (model.Dataset, error) {
	st, err := checkDatasetFile(path)
	if err != nil {
		return model.Dataset{}, err
	}
	name := strings.TrimSpace(o.Name)
	if name == "" {
		name = model.ClipName(strings.TrimSuffix(st.Name(), ".jsonl"))
	}
	f, err := os.Open(path)
	if err != nil {
		return model.Dataset{}, fmt.Errorf("dataset file: %w", err)
	}
	defer f.Close()

	id := uuid.New()
	file := cleanFileName(st.Name())
	key := datasetKey(s.user.ID, id, file)
	sweep := s.e.cfg.Sweep.withDefaults()
	d, err := s.createDatasetRow(ctx, store.NewDataset{
		ID: id, Name: name, Description: o.Description,
		Bucket: store.BucketDatasets, StoragePath: key, FileName: file,
		UploadVia: model.UploadViaClient, UploadWait: sweep.UploadTimeout,
	})
	if err != nil {
		return model.Dataset{}, err
	}
	ctx, stopRenew := s.renewUpload(ctx, id, sweep)
	defer stopRenew()
	start := time.Now()
	var mu sync.Mutex
	progress := func(sent, total int64) {
		if o.Progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		o.Progress(UploadProgress{Sent: sent, Total: st.Size(), Elapsed: time.Since(start)})
	}
	err = s.e.objects.Upload(ctx, store.BucketDatasets, key, f, st.Size(), progress)
	if err == nil {
		d, err = s.startValidation(ctx, d.ID, st.Size(), 0)
	}
	if err != nil {
		// Why it stopped is read first; then the renewal stops, as the
		// clean-up's deletion of the row would look like an expiry to it.
		cause, cancelled := context.Cause(ctx), ctx.Err() != nil
		stopRenew()
		// The object may be complete (the cancel came after the last part)
		// while its row never reached validating: remove both.
		if cerr := s.discardUpload(ctx, d.ID, key); cerr != nil {
			return model.Dataset{}, fmt.Errorf("upload of %s failed (%v), and %w", path, err, cerr)
		}
		if errors.Is(cause, errUploadExpired) {
			return model.Dataset{}, fmt.Errorf("upload of %s stopped: %w; nothing was kept", path, cause)
		}
		if cancelled {
			return model.Dataset{}, fmt.Errorf("upload of %s cancelled; nothing was kept", path)
		}
		if cerr := fileChanged(path, f, st); cerr != nil {
			return model.Dataset{}, cerr
		}
		return model.Dataset{}, fmt.Errorf("upload dataset %q: %w", name, err)
	}
	if cerr := fileChanged(path, f, st); cerr != nil {
		if derr := s.discardUpload(ctx, d.ID, key); derr != nil {
			return model.Dataset{}, fmt.Errorf("%w, and %w", cerr, derr)
		}
		return model.Dataset{}, cerr
	}
	return d, nil
}

// errUploadExpired is why an upload stops when its row no longer waits.
var errUploadExpired = errors.New("its dataset was ended meanwhile (no sign of this upload for too long, or deleted)")

// renewUpload keeps an uploading dataset's deadline ahead while this
// process sends its file, so only a client that died lets the row expire
// (engine/upload_sweep.go). When the row no longer waits, the returned
// context is cancelled with errUploadExpired: sending on would store bytes
// no row claims.
func (s *Session) renewUpload(ctx context.Context, id uuid.UUID, c SweepConfig) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(c.uploadRenewEvery())
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			waits, err := asUser(ctx, s, func(tx store.Tx) (bool, error) { return store.RenewDatasetUpload(ctx, tx, id, c.UploadTimeout) })
			if err != nil {
				s.e.log.Warn("renew upload deadline", "dataset", id, "err", err)
				continue
			}
			if !waits {
				cancel(errUploadExpired)
				return
			}
		}
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			close(done)
			cancel(nil)
		})
	}
}

// discardUpload removes what an upload that did not complete left: its
// row, the multipart upload's parts and the object, if it was completed.
// It runs on a fresh context, as the caller's is often the cancelled one.
func (s *Session) discardUpload(ctx context.Context, id uuid.UUID, key string) error {
	ctx, cancel := store.CleanupContext(ctx)
	defer cancel()
	s.discardDataset(ctx, id)
	if _, err := s.e.objects.AbortUploads(ctx, store.BucketDatasets, key, time.Time{}); err != nil {
		return fmt.Errorf("its partial upload %s may remain: %w", key, err)
	}
	if err := s.e.objects.DeleteObject(ctx, store.BucketDatasets, key); err != nil {
		return fmt.Errorf("its object %s may remain: %w", key, err)
	}
	return nil
}

// discardDataset removes the row of an upload that did not complete. It runs
// even when the caller's context is cancelled.
func (s *Session) discardDataset(ctx context.Context, id uuid.UUID) {
	ctx, cancel := store.CleanupContext(ctx)
	defer cancel()
	err := s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error { return store.DeleteDatasetRow(ctx, tx, id) })
	if err != nil {
		s.e.log.Error("discard dataset row", "id", id, "err", err)
	}
}

// UploadURLExpiry is how long a presigned upload URL stays valid.
const UploadURLExpiry = time.Hour

// UploadTicket lets a file be uploaded from another machine.
type UploadTicket struct {
	Dataset   model.Dataset `json:"dataset"`
	URL       string        `json:"url"`
	ExpiresAt time.Time     `json:"expires_at"`
	Curl      string        `json:"curl"`
}

// DatasetUploadURL creates a dataset waiting in uploading and a presigned PUT
// URL for its file, valid for an hour; ConfirmDataset starts validation once
// the file is there.
func (s *Session) DatasetUploadURL(ctx context.Context, name, description string) (UploadTicket, error) {
	id := uuid.New()
	file := cleanFileName(name) + ".jsonl"
	key := datasetKey(s.user.ID, id, file)
	d, err := s.createDatasetRow(ctx, store.NewDataset{
		ID: id, Name: name, Description: description,
		Bucket: store.BucketDatasets, StoragePath: key, FileName: file,
		UploadVia: model.UploadViaURL, UploadWait: UploadURLExpiry + model.UploadURLGrace,
	})
	if err != nil {
		return UploadTicket{}, err
	}
	url, err := s.e.objects.PresignPut(ctx, store.BucketDatasets, key, UploadURLExpiry)
	if err != nil {
		s.discardDataset(ctx, id)
		return UploadTicket{}, err
	}
	return UploadTicket{
		Dataset:   d,
		URL:       url,
		ExpiresAt: time.Now().Add(UploadURLExpiry).UTC().Truncate(time.Second),
		Curl:      fmt.Sprintf("curl -fT FILE.jsonl '%s'", url),
	}, nil
}

// ErrNotUploaded means a dataset's file has not arrived in storage yet.
var ErrNotUploaded = errors.New("no file has been uploaded for this dataset yet")

// ConfirmDataset starts validation of a dataset whose file was uploaded
// through its presigned URL.
func (s *Session) ConfirmDataset(ctx context.Context, id uuid.UUID) (model.Dataset, error) {
	d, size, exists, err := s.datasetFile(ctx, id)
	if err != nil {
		return model.Dataset{}, err
	}
	if !exists {
		return model.Dataset{}, fmt.Errorf("dataset %q: %w (PUT it to the upload URL first)", d.Name, ErrNotUploaded)
	}
	if size > model.MaxDatasetBytes {
		_ = s.e.objects.DeleteObject(ctx, d.StorageBucket, d.StoragePath)
		reason := fmt.Sprintf("the uploaded file is %s, over the 500 MiB limit; it was removed", model.HumanBytes(size))
		_ = s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error { return store.FailDataset(ctx, tx, id, reason) })
		return model.Dataset{}, fmt.Errorf("dataset %q: %s", d.Name, reason)
	}
	return s.startValidation(ctx, id, size, 0)
}

// WaitForDataset waits until a dataset's validation has ended (ready or
// error) or ctx ends.
func (s *Session) WaitForDataset(ctx context.Context, id uuid.UUID) (model.Dataset, error) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		d, err := s.Dataset(ctx, id)
		if err != nil {
			return model.Dataset{}, err
		}
		if d.Status == model.DatasetReady || d.Status == model.DatasetError {
			return d, nil
		}
		select {
		case <-ctx.Done():
			return d, ctx.Err()
		case <-tick.C:
		}
	}
}

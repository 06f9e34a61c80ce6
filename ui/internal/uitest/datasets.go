package uitest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/model/dataset"
)

// DatasetFixture is the in-memory datasets of one fixture Backend and a
// record of what the screen asked of them. Tests reach it through
// Backend.DatasetFixture and change it under Lock when they play the
// worker (finishing a validation) or another machine (an upload arriving).
type DatasetFixture struct {
	mu sync.Mutex

	// Items are newest first; validated ones carry their whole report.
	Items []model.Dataset
	// Arrived marks datasets whose presigned upload has landed, so
	// ConfirmDataset starts their validation instead of ErrNotUploaded.
	Arrived map[uuid.UUID]bool

	LoadErr, DeleteErr, RevalidateErr, URLErr, ConfirmErr error

	Loads       int         // Datasets calls
	Details     int         // Dataset calls
	Deleted     []uuid.UUID // DeleteDataset calls that succeeded
	Revalidated []uuid.UUID
	Cleaned     []uuid.UUID // sources of CleanDataset calls
	Confirms    []uuid.UUID // every ConfirmDataset call, arrived or not
	Uploads     []string    // names UploadDataset was given (or derived)

	// UploadSteps is how many progress reports a fake upload sends.
	UploadSteps int
	// UploadStep, when set, makes a fake upload wait for one value before
	// each report, so a test can look at the screen mid-upload; a
	// cancelled context ends the wait as it ends a real upload.
	UploadStep chan struct{}
	// UploadCancelled is set when an upload ended by its context.
	UploadCancelled bool

	next int // ids of datasets the fixture creates
}

var datasetFixtures sync.Map // *Backend → *DatasetFixture

// DatasetFixture returns the backend's datasets, made on first use with
// the standard ones.
func (b *Backend) DatasetFixture() *DatasetFixture {
	if f, ok := datasetFixtures.Load(b); ok {
		return f.(*DatasetFixture)
	}
	f, _ := datasetFixtures.LoadOrStore(b, &DatasetFixture{
		Items: Datasets(b.UserValue.ID), Arrived: map[uuid.UUID]bool{}, UploadSteps: 4,
	})
	return f.(*DatasetFixture)
}

// Lock and Unlock guard the fixture while a test changes it; the fake
// backend methods run in commands on other goroutines.
func (f *DatasetFixture) Lock()   { f.mu.Lock() }
func (f *DatasetFixture) Unlock() { f.mu.Unlock() }

// Find returns the dataset named name (under the lock).
func (f *DatasetFixture) Find(name string) (model.Dataset, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range f.Items {
		if d.Name == name {
			return d, true
		}
	}
	return model.Dataset{}, false
}

// SetStatus moves a dataset on, as the validation worker would.
func (f *DatasetFixture) SetStatus(id uuid.UUID, st model.DatasetStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.Items {
		if f.Items[i].ID == id {
			f.Items[i].Status = st
			f.Items[i].TrainingReady = st == model.DatasetReady
			f.Items[i].UpdatedAt = f.Items[i].UpdatedAt.Add(time.Second)
		}
	}
}

// newID is a fixed sequence of ids, so URLs in golden files do not change.
func (f *DatasetFixture) newID() uuid.UUID {
	f.next++
	return uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-0000000d%04d", f.next))
}

func (f *DatasetFixture) index(id uuid.UUID) int {
	for i := range f.Items {
		if f.Items[i].ID == id {
			return i
		}
	}
	return -1
}

func (f *DatasetFixture) insert(userID uuid.UUID, name, file string) model.Dataset {
	d := model.Dataset{
		ID: f.newID(), UserID: userID, Name: name, Status: model.DatasetUploading,
		StorageBucket: "lora-datasets", FileName: file, CreatedAt: Now, UpdatedAt: Now,
	}
	d.StoragePath = fmt.Sprintf("%s/%s/%s", userID, d.ID, file)
	f.Items = append([]model.Dataset{d}, f.Items...)
	return d
}

// Datasets implements common.Backend: a page of the list, without the
// reports, as the store returns it.
func (b *Backend) Datasets(_ context.Context, status string, page, limit int) (engine.DatasetPage, error) {
	f := b.DatasetFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Loads++
	if f.LoadErr != nil {
		return engine.DatasetPage{}, f.LoadErr
	}
	page, limit = max(page, 1), max(limit, 1)
	out := engine.DatasetPage{Page: page, Datasets: []model.Dataset{}}
	for _, d := range f.Items {
		if status != "" && string(d.Status) != status {
			continue
		}
		out.Total++
		if out.Total > (page-1)*limit && len(out.Datasets) < limit {
			d.ValidationReport = nil
			out.Datasets = append(out.Datasets, d)
		}
	}
	return out, nil
}

// Dataset implements common.Backend.
func (b *Backend) Dataset(_ context.Context, id uuid.UUID) (model.Dataset, error) {
	f := b.DatasetFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Details++
	if i := f.index(id); i >= 0 {
		return f.Items[i], nil
	}
	return model.Dataset{}, fmt.Errorf("dataset %s not found", id)
}

// UploadDataset implements common.Backend like the engine does, short of
// sending bytes: it refuses what the engine refuses, adds the uploading row,
// reports UploadSteps steps of progress one second apart, and removes the
// row again when the context ends first.
func (b *Backend) UploadDataset(ctx context.Context, path string, o engine.UploadOptions) (model.Dataset, error) {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return model.Dataset{}, fmt.Errorf("dataset file: %w", err)
	case st.IsDir():
		return model.Dataset{}, fmt.Errorf("dataset file %s is a directory", path)
	case st.Size() > model.MaxDatasetBytes:
		return model.Dataset{}, fmt.Errorf("dataset file %s is over the 500 MiB limit", path)
	}
	f := b.DatasetFixture()
	name := strings.TrimSpace(o.Name)
	if name == "" {
		name = strings.TrimSuffix(st.Name(), ".jsonl")
	}
	f.mu.Lock()
	d := f.insert(b.UserValue.ID, name, st.Name())
	f.Uploads = append(f.Uploads, name)
	steps, gate := max(f.UploadSteps, 1), f.UploadStep
	f.mu.Unlock()

	for i := 1; i <= steps; i++ {
		if gate != nil {
			select {
			case <-gate:
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			f.mu.Lock()
			if j := f.index(d.ID); j >= 0 {
				f.Items = append(f.Items[:j], f.Items[j+1:]...)
			}
			f.UploadCancelled = true
			f.mu.Unlock()
			return model.Dataset{}, fmt.Errorf("upload of %s cancelled; nothing was kept", path)
		}
		if o.Progress != nil {
			o.Progress(engine.UploadProgress{Sent: st.Size() * int64(i) / int64(steps), Total: st.Size(), Elapsed: time.Duration(i) * time.Second})
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	j := f.index(d.ID)
	f.Items[j].Status, f.Items[j].FileSize = model.DatasetValidating, st.Size()
	return f.Items[j], nil
}

// DatasetUploadURL implements common.Backend with a fixed-looking presigned
// URL, valid an hour from Now.
func (b *Backend) DatasetUploadURL(_ context.Context, name, _ string) (engine.UploadTicket, error) {
	f := b.DatasetFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.URLErr != nil {
		return engine.UploadTicket{}, f.URLErr
	}
	if strings.TrimSpace(name) == "" {
		return engine.UploadTicket{}, errors.New("dataset name is empty")
	}
	d := f.insert(b.UserValue.ID, name, name+".jsonl")
	url := "http://127.0.0.1:7070/lora-datasets/" + d.StoragePath +
		"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=5f0c2e9d4b1a"
	return engine.UploadTicket{
		Dataset: d, URL: url, ExpiresAt: Now.Add(engine.UploadURLExpiry),
		Curl: fmt.Sprintf("curl -fT FILE.jsonl '%s'", url),
	}, nil
}

// ConfirmDataset implements common.Backend: ErrNotUploaded until the test
// marks the file arrived.
func (b *Backend) ConfirmDataset(_ context.Context, id uuid.UUID) (model.Dataset, error) {
	f := b.DatasetFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Confirms = append(f.Confirms, id)
	i := f.index(id)
	switch {
	case f.ConfirmErr != nil:
		return model.Dataset{}, f.ConfirmErr
	case i < 0:
		return model.Dataset{}, fmt.Errorf("dataset %s not found", id)
	case !f.Arrived[id]:
		return model.Dataset{}, fmt.Errorf("dataset %q: %w (PUT it to the upload URL first)", f.Items[i].Name, engine.ErrNotUploaded)
	}
	f.Items[i].Status = model.DatasetValidating
	return f.Items[i], nil
}

// RevalidateDataset implements common.Backend.
func (b *Backend) RevalidateDataset(_ context.Context, id uuid.UUID) (model.Dataset, error) {
	f := b.DatasetFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.index(id)
	switch {
	case f.RevalidateErr != nil:
		return model.Dataset{}, f.RevalidateErr
	case i < 0:
		return model.Dataset{}, fmt.Errorf("dataset %s not found", id)
	}
	f.Revalidated = append(f.Revalidated, id)
	f.Items[i].Status, f.Items[i].TrainingReady = model.DatasetValidating, false
	return f.Items[i], nil
}

// CleanDataset implements common.Backend: the copy is a new dataset
// validating, made from the source, which is left as it was.
func (b *Backend) CleanDataset(_ context.Context, id uuid.UUID, name string) (model.Dataset, error) {
	f := b.DatasetFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	i := f.index(id)
	if i < 0 {
		return model.Dataset{}, fmt.Errorf("dataset %s not found", id)
	}
	if name == "" {
		name = f.Items[i].Name + " (clean)"
	}
	src := f.Items[i]
	d := model.Dataset{ID: uuid.New(), UserID: src.UserID, Name: name, Status: model.DatasetValidating,
		FileName: src.FileName, CreatedAt: src.CreatedAt, UpdatedAt: src.UpdatedAt}
	d.SourceDatasetID = &src.ID
	f.Cleaned = append(f.Cleaned, id)
	f.Items = append([]model.Dataset{d}, f.Items...)
	return d, nil
}

// DeleteDataset implements common.Backend.
func (b *Backend) DeleteDataset(_ context.Context, id uuid.UUID) error {
	f := b.DatasetFixture()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.DeleteErr != nil {
		return f.DeleteErr
	}
	i := f.index(id)
	if i < 0 {
		return fmt.Errorf("dataset %s not found", id)
	}
	f.Items = append(f.Items[:i], f.Items[i+1:]...)
	f.Deleted = append(f.Deleted, id)
	return nil
}

// mustJSON encodes fixture data that cannot fail to encode.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// buckets builds a token histogram from counts of its buckets in order.
func buckets(counts ...int) []dataset.HistogramBucket {
	out := make([]dataset.HistogramBucket, len(counts))
	for i, n := range counts {
		out[i] = dataset.HistogramBucket{Max: dataset.FirstBucketMax << i, Count: n}
		if i > 0 {
			out[i].Min = dataset.FirstBucketMax << (i - 1)
		}
	}
	return out
}

package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/uuid"

	"brightrun/engine/worker"
	"brightrun/model"
	"brightrun/store"
)

// DatasetPage is one page of the operator's datasets.
type DatasetPage struct {
	Datasets []model.Dataset `json:"datasets"`
	Page     int             `json:"page"`
	Total    int             `json:"total"`
}

// Datasets lists the operator's datasets, newest first; page counts from 1.
func (s *Session) Datasets(ctx context.Context, status string, page, limit int) (DatasetPage, error) {
	if status != "" {
		if _, err := model.ParseDatasetStatus(status); err != nil {
			return DatasetPage{}, err
		}
	}
	if page < 1 {
		page = 1
	}
	if limit <= 0 {
		limit = 50
	}
	out := DatasetPage{Page: page, Datasets: []model.Dataset{}}
	err := s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		var err error
		out.Datasets, out.Total, err = store.ListDatasets(ctx, tx, status, (page-1)*limit, limit)
		return err
	})
	return out, err
}

// Dataset reads one dataset with its whole validation report.
func (s *Session) Dataset(ctx context.Context, id uuid.UUID) (model.Dataset, error) {
	return asUser(ctx, s, func(tx store.Tx) (model.Dataset, error) { return store.GetDataset(ctx, tx, id) })
}

// DeleteDataset removes the dataset and its object.
func (s *Session) DeleteDataset(ctx context.Context, id uuid.UUID) error {
	d, err := asUser(ctx, s, func(tx store.Tx) (model.Dataset, error) { return store.SoftDeleteDataset(ctx, tx, id) })
	if err != nil {
		return err
	}
	if d.StoragePath != "" {
		if err := s.e.objects.DeleteObject(ctx, d.StorageBucket, d.StoragePath); err != nil {
			return fmt.Errorf("dataset %q deleted, but its object %s remains: %w", d.Name, d.StoragePath, err)
		}
	}
	return nil
}

// datasetKey is where a dataset's file lives in the lora-datasets bucket.
func datasetKey(userID, datasetID uuid.UUID, fileName string) string {
	return fmt.Sprintf("%s/%s/%s", userID, datasetID, fileName)
}

// cleanFileName keeps an object key readable and safe.
func cleanFileName(name string) string {
	name = filepath.Base(name)
	name = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, name)
	if name == "" || name == "." || name == ".." {
		name = "dataset.jsonl"
	}
	return name
}

// checkDatasetFile refuses what cannot be a dataset before any byte is sent.
func checkDatasetFile(path string) (os.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("dataset file: %w", err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("dataset file %s is a directory", path)
	}
	if !st.Mode().IsRegular() {
		// A FIFO, device or socket has no size to declare up front, and
		// what was read could not be checked against it.
		return nil, fmt.Errorf("dataset file %s is not a regular file (%s): upload needs a file of known size", path, fileKind(st.Mode()))
	}
	if st.Size() > model.MaxDatasetBytes {
		return nil, fmt.Errorf("dataset file %s is %s, over the 500 MiB limit", path, model.HumanBytes(st.Size()))
	}
	if st.Size() == 0 {
		return nil, fmt.Errorf("dataset file %s is empty", path)
	}
	return st, nil
}

// createDatasetRow inserts the uploading row for a new dataset.
func (s *Session) createDatasetRow(ctx context.Context, n store.NewDataset) (model.Dataset, error) {
	if strings.TrimSpace(n.Name) == "" {
		return model.Dataset{}, errors.New("dataset name is empty")
	}
	if err := model.CheckNameAndDescription("dataset", n.Name, n.Description); err != nil {
		return model.Dataset{}, err
	}
	return asUser(ctx, s, func(tx store.Tx) (model.Dataset, error) { return store.InsertDataset(ctx, tx, s.user.ID, n) })
}

// startValidation records the stored size, moves the dataset to validating
// and enqueues its validation in the same transaction: either both happen or
// neither. maxTokens is the too_many_tokens limit; 0 keeps the one the
// dataset was validated with, or for a new one takes the default model's
// context length.
func (s *Session) startValidation(ctx context.Context, id uuid.UUID, size int64, maxTokens int) (model.Dataset, error) {
	q, err := s.e.rt.Queue()
	if err != nil {
		return model.Dataset{}, err
	}
	var d model.Dataset
	err = s.e.db.WithUser(ctx, s.user.ID, func(tx store.Tx) error {
		var err error
		if d, err = store.SetDatasetUploaded(ctx, tx, id, size,
			store.TokenLimit{Set: maxTokens, Default: s.e.models.Default().ContextLength}); err != nil {
			return err
		}
		_, err = q.InsertTx(ctx, tx, worker.ValidateDatasetArgs{UserID: s.user.ID, DatasetID: id}, nil)
		return err
	})
	if err != nil {
		return model.Dataset{}, fmt.Errorf("start validation: %w", err)
	}
	return d, nil
}

// datasetFile reads a dataset and whether its file is in storage, and how
// big it is there.
func (s *Session) datasetFile(ctx context.Context, id uuid.UUID) (d model.Dataset, size int64, exists bool, err error) {
	if d, err = s.Dataset(ctx, id); err != nil {
		return model.Dataset{}, 0, false, err
	}
	if size, exists, err = s.e.objects.HeadObject(ctx, d.StorageBucket, d.StoragePath); err != nil {
		return model.Dataset{}, 0, false, fmt.Errorf("dataset %q: %w", d.Name, err)
	}
	return d, size, exists, nil
}

// RevalidateDataset validates a stored dataset again (after a validator
// change, or a confirm of a re-uploaded object) with the token limit it
// was validated with.
func (s *Session) RevalidateDataset(ctx context.Context, id uuid.UUID) (model.Dataset, error) {
	return s.RevalidateDatasetLimit(ctx, id, 0)
}

// RevalidateDatasetLimit validates a stored dataset again with maxTokens as
// its too_many_tokens limit (0: the one it was validated with), recomputing
// its report and training_ready.
func (s *Session) RevalidateDatasetLimit(ctx context.Context, id uuid.UUID, maxTokens int) (model.Dataset, error) {
	if maxTokens < 0 {
		return model.Dataset{}, fmt.Errorf("--max-tokens %d: the limit must be positive", maxTokens)
	}
	d, size, exists, err := s.datasetFile(ctx, id)
	if err != nil {
		return model.Dataset{}, err
	}
	if !exists {
		return model.Dataset{}, fmt.Errorf("dataset %q: its file %s is missing from storage", d.Name, d.StoragePath)
	}
	return s.startValidation(ctx, id, size, maxTokens)
}

package common

import (
	"context"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
)

// DatasetsBackend is what the Datasets screen asks of the engine: list and
// read datasets, upload one from this machine or hand out a URL to upload
// it from another, start validation once that file arrived, validate again
// and delete. The signatures are *engine.Session's, so the session satisfies
// it as it is; every method does I/O and is only called from a tea.Cmd.
type DatasetsBackend interface {
	Datasets(ctx context.Context, status string, page, limit int) (engine.DatasetPage, error)
	Dataset(ctx context.Context, id uuid.UUID) (model.Dataset, error)
	UploadDataset(ctx context.Context, path string, o engine.UploadOptions) (model.Dataset, error)
	DatasetUploadURL(ctx context.Context, name, description string) (engine.UploadTicket, error)
	ConfirmDataset(ctx context.Context, id uuid.UUID) (model.Dataset, error)
	RevalidateDataset(ctx context.Context, id uuid.UUID) (model.Dataset, error)
	CleanDataset(ctx context.Context, id uuid.UUID, name string) (model.Dataset, error)
	DeleteDataset(ctx context.Context, id uuid.UUID) error
}

package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
)

// ModelFor resolves a base model id ("" is the catalog's default) and
// checks it fits a GPU of gpuType, before anything is written: an unknown
// id is a *model.UnknownModelError, a model too big for the GPU a
// *model.ModelFitError. An unknown GPU type is left to the GPU checks.
func (e *Engine) ModelFor(id, gpuType string) (model.BaseModel, error) {
	m, err := e.models.Lookup(id)
	if err != nil {
		return model.BaseModel{}, err
	}
	g, err := e.catalog.Lookup(gpuType)
	if err != nil {
		return m, nil
	}
	return m, model.CheckModelFits(m, g)
}

// Models is the base model catalog in force.
func (s *Session) Models() model.ModelCatalog { return s.e.models }

// lockValidationDataset reads the dataset a job names for validation and
// holds it as the training dataset is held: it must be another dataset of
// the operator, ready and training ready. Another operator's dataset is
// not found, like a missing one; the rest is a *model.ValidationDatasetError.
func lockValidationDataset(ctx context.Context, tx store.Tx, id, trainingID uuid.UUID) (model.Dataset, error) {
	if id == trainingID {
		return model.Dataset{}, &model.ValidationDatasetError{DatasetID: id,
			Reason: "it is the training dataset itself; name another dataset, or use --eval-fraction to hold out a share"}
	}
	v, err := store.LockDatasetForJob(ctx, tx, id)
	if err != nil {
		return model.Dataset{}, fmt.Errorf("validation %w", err)
	}
	var nt *model.NotTrainableError
	if err := model.CheckTrainable(v); errors.As(err, &nt) {
		return model.Dataset{}, &model.ValidationDatasetError{DatasetID: v.ID, DatasetName: v.Name, Reason: nt.Reason}
	}
	return v, nil
}

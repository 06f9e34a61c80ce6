package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"brightrun/model"
	"brightrun/model/dataset"
	"brightrun/store"
)

// ValidateDatasetArgs is the queued job that validates one stored dataset.
type ValidateDatasetArgs struct {
	UserID    uuid.UUID `json:"user_id"`
	DatasetID uuid.UUID `json:"dataset_id"`
}

// Kind names the job in River's tables.
func (ValidateDatasetArgs) Kind() string { return "validate_dataset" }

// InsertOpts: a few attempts cover a storage hiccup; the report itself is
// deterministic, so retrying a bad file changes nothing.
func (ValidateDatasetArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

type validateDatasetWorker struct {
	river.WorkerDefaults[ValidateDatasetArgs]
	e *Runtime
}

// Work streams the dataset's object through the validator and stores the
// report. The object is never held in memory.
func (w *validateDatasetWorker) Work(ctx context.Context, job *river.Job[ValidateDatasetArgs]) error {
	user := job.Args.UserID
	var d model.Dataset
	err := w.e.db.WithUser(ctx, user, func(tx store.Tx) error {
		var err error
		d, err = store.GetDataset(ctx, tx, job.Args.DatasetID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted meanwhile: nothing to validate
	}
	if err != nil {
		return err
	}
	if d.Status != model.DatasetValidating {
		return nil
	}
	report, err := w.validate(ctx, d)
	if err != nil {
		if job.Attempt >= job.MaxAttempts {
			w.fail(ctx, user, d, fmt.Sprintf("could not read the dataset file: %v", err))
			return nil
		}
		return err
	}
	if report.NotText() {
		w.fail(ctx, user, d, fmt.Sprintf("the file is not text: %d of its %d lines are not valid UTF-8, and none is a valid example",
			report.ErrorCounts[dataset.InvalidUTF8], report.Lines-report.BlankLines))
		return nil
	}
	v, err := validationOf(report)
	if err != nil {
		return err
	}
	err = w.e.db.WithUser(ctx, user, func(tx store.Tx) error {
		var err error
		d, err = store.SaveDatasetValidation(ctx, tx, d.ID, v)
		return err
	})
	if err != nil {
		return err
	}
	w.notify(ctx, user, d)
	return nil
}

func (w *validateDatasetWorker) validate(ctx context.Context, d model.Dataset) (dataset.Report, error) {
	body, _, err := w.e.objects.GetObject(ctx, d.StorageBucket, d.StoragePath)
	if err != nil {
		return dataset.Report{}, err
	}
	defer body.Close()
	v := dataset.NewValidator()
	if d.MaxTokens > 0 {
		v.MaxTokens = d.MaxTokens // the default model's context length, or the operator's limit
	}
	return v.Validate(body, d.FileName)
}

func (w *validateDatasetWorker) fail(ctx context.Context, user uuid.UUID, d model.Dataset, reason string) {
	err := w.e.db.WithUser(ctx, user, func(tx store.Tx) error { return store.FailDataset(ctx, tx, d.ID, reason) })
	if err != nil {
		w.e.log.Error("mark dataset failed", "dataset", d.ID, "err", err)
		return
	}
	d.Status, d.ErrorMessage = model.DatasetError, reason
	w.notify(ctx, user, d)
}

func (w *validateDatasetWorker) notify(ctx context.Context, user uuid.UUID, d model.Dataset) {
	n := model.Notification{
		UserID:   user,
		Type:     "dataset_ready",
		Title:    "Dataset Ready",
		Message:  fmt.Sprintf("Dataset %q passed validation: %d examples, %d tokens. It is ready for training.", d.Name, d.TotalTrainingPairs, d.TotalTokens),
		Priority: model.PriorityMedium,
		Action:   model.NotificationAction{Kind: "dataset", ID: d.ID.String(), Label: "Open dataset"},
	}
	switch {
	case d.Status == model.DatasetError:
		n.Type, n.Title, n.Priority = "dataset_error", "Dataset Not Validated", model.PriorityHigh
		n.Message = fmt.Sprintf("Dataset %q could not be validated: %s", d.Name, d.ErrorMessage)
	case !d.TrainingReady:
		n.Type, n.Title, n.Priority = "dataset_error", "Dataset Not Training-Ready", model.PriorityHigh
		n.Message = fmt.Sprintf("Dataset %q is ready but not training-ready: %s", d.Name, d.ErrorMessage)
	}
	if _, err := w.e.db.InsertNotification(ctx, n); err != nil {
		w.e.log.Error("notify dataset validated", "dataset", d.ID, "err", err)
	}
}

// validationOf turns a report into the columns of the datasets row.
func validationOf(r dataset.Report) (model.DatasetValidation, error) {
	full, err := json.Marshal(r)
	if err != nil {
		return model.DatasetValidation{}, fmt.Errorf("encode report: %w", err)
	}
	errs, _ := json.Marshal(r.Errors)
	samples, _ := json.Marshal(r.Samples)
	v := model.DatasetValidation{
		Format: string(r.Shape), TrainingReady: r.TrainingReady, TotalTrainingPairs: r.Valid,
		TotalTokens: r.TotalTokens, AvgTurnsPerConversation: r.Messages.Mean, AvgTokensPerExample: r.Tokens.Mean,
		Errors: errs, Report: full, Samples: samples,
	}
	if !r.TrainingReady {
		v.ErrorMessage = notReadyReason(r)
	}
	return v, nil
}

// notReadyReason says in one line why a dataset cannot be trained on.
func notReadyReason(r dataset.Report) string {
	if len(r.ErrorCounts) > 0 {
		codes, total := model.CountsByCode(r.ErrorCounts)
		first := ""
		if len(r.Errors) > 0 {
			first = fmt.Sprintf("; first at line %d: %s", r.Errors[0].Line, r.Errors[0].Message)
		}
		return fmt.Sprintf("%d error(s) in %d lines (%s)%s", total, r.Lines, codes, first)
	}
	return fmt.Sprintf("only %d valid example(s); at least %d are needed", r.Valid, dataset.MinTrainingReady)
}

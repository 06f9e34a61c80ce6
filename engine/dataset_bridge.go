package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
)

// DatasetFromTrainingFile makes a dataset of a training file's JSONL and
// validates it. The bytes are copied inside object storage, never downloaded
// and uploaded again (the web app's missing "E03b" step).
func (s *Session) DatasetFromTrainingFile(ctx context.Context, trainingFileID uuid.UUID, name string) (model.Dataset, error) {
	tf, err := s.e.db.TrainingFile(ctx, s.user.ID, trainingFileID)
	if err != nil {
		return model.Dataset{}, err // names the training file already
	}
	if tf.BuiltAt == nil || tf.JSONLStoragePath == "" {
		return model.Dataset{}, fmt.Errorf("training file %q has not been built yet", tf.Name)
	}
	if strings.TrimSpace(name) == "" {
		name = tf.Name
	}
	bucket := tf.StorageBucket
	if bucket == "" {
		bucket = store.BucketTrainingFiles
	}
	id := uuid.New()
	file := cleanFileName(tf.Name) + ".jsonl"
	key := datasetKey(s.user.ID, id, file)
	d, err := s.createDatasetRow(ctx, store.NewDataset{
		ID: id, Name: name, Description: fmt.Sprintf("From training file %q (%d conversations, %d pairs)", tf.Name, tf.ConversationCount, tf.TotalTrainingPairs),
		Bucket: store.BucketDatasets, StoragePath: key, FileName: file, TrainingFileID: &tf.ID,
		UploadVia: model.UploadViaClient, UploadWait: s.e.cfg.Sweep.withDefaults().UploadTimeout,
	})
	if err != nil {
		return model.Dataset{}, err
	}
	size, err := s.e.objects.Copy(ctx, bucket, tf.JSONLStoragePath, store.BucketDatasets, key)
	if err == nil {
		d, err = s.startValidation(ctx, d.ID, size, 0)
	}
	if err != nil {
		// A copy the server finished after our cancel leaves an object
		// no row points at: remove it with the row.
		if cerr := s.discardUpload(ctx, id, key); cerr != nil {
			return model.Dataset{}, fmt.Errorf("%w (and %v)", err, cerr)
		}
		return model.Dataset{}, err
	}
	return d, nil
}

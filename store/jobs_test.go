package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

// readyDatasetRow creates a validated, training-ready dataset for userID.
func readyDatasetRow(t *testing.T, db *store.DB, userID uuid.UUID, name string, pairs int) model.Dataset {
	t.Helper()
	ctx := context.Background()
	var d model.Dataset
	err := db.WithUser(ctx, userID, func(tx store.Tx) error {
		var err error
		id := uuid.New()
		if _, err = store.InsertDataset(ctx, tx, userID, store.NewDataset{ID: id, Name: name, Bucket: "lora-datasets", StoragePath: "k", FileName: "f.jsonl"}); err != nil {
			return err
		}
		if _, err = store.SetDatasetUploaded(ctx, tx, id, 100, store.TokenLimit{}); err != nil {
			return err
		}
		d, err = store.SaveDatasetValidation(ctx, tx, id, model.DatasetValidation{
			Format: "chat", TrainingReady: true, TotalTrainingPairs: pairs, TotalTokens: int64(pairs) * 50,
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func queuedJob(d model.Dataset, name string) model.Job {
	return model.Job{
		ID: uuid.New(), DatasetID: d.ID, Name: name, Status: model.JobQueued, CurrentStage: model.StageQueued,
		TotalEpochs: 3, TotalSteps: 9, GPUConfig: model.GPUConfig{Type: "H100", Count: 2},
		Hyperparameters: model.Hyperparameters{LearningRate: 5e-5, BatchSize: 4, Epochs: 3, Rank: 16, Alpha: 32, Dropout: 0.05},
		Preset:          "balanced", Trainer: model.DefaultTrainer, EstimatedTotalCost: 25.5,
		BaseModel: "Qwen/Qwen2.5-7B-Instruct",
	}
}

// insertQueuedJob writes a queued job, name, of userID on a fresh
// training-ready dataset of the same name, and returns it as stored.
func insertQueuedJob(t *testing.T, db *store.DB, userID uuid.UUID, name string) model.Job {
	t.Helper()
	ctx := context.Background()
	in := queuedJob(readyDatasetRow(t, db, userID, name, 12), name)
	var got model.Job
	err := db.WithUser(ctx, userID, func(tx store.Tx) (err error) { got, err = store.InsertJob(ctx, tx, userID, in); return err })
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestJobInsertGetAndIsolation(t *testing.T) {
	db, ada, bob := storetest.NewDBWithUsers(t, "ada", "bob")
	ctx := context.Background()
	d := readyDatasetRow(t, db, ada.ID, "cash", 12)
	in := queuedJob(d, "cash (balanced)")

	var got model.Job
	err := db.WithUser(ctx, ada.ID, func(tx store.Tx) error {
		locked, err := store.LockDatasetForJob(ctx, tx, d.ID)
		if err != nil || locked.ID != d.ID || !locked.TrainingReady {
			t.Errorf("lock dataset: %+v %v", locked, err)
		}
		got, err = store.InsertJob(ctx, tx, ada.ID, in)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != in.ID || got.UserID != ada.ID || got.Status != model.JobQueued || got.CurrentStage != "queued" ||
		got.Progress != 0 || got.CurrentEpoch != 0 || got.TotalEpochs != 3 || got.CurrentStep != 0 || got.TotalSteps != 9 ||
		got.GPUConfig != in.GPUConfig || got.Hyperparameters != in.Hyperparameters || got.EstimatedTotalCost != 25.5 ||
		got.CurrentCost != 0 || got.FinalCost != nil || got.CurrentMetrics == nil || len(got.CurrentMetrics) != 0 ||
		got.Preset != "balanced" || got.Trainer != "simulated" || got.QueuedAt.IsZero() || got.StartedAt != nil ||
		got.DatasetName != "cash" || got.DatasetFormat != "chat" || got.DatasetPairs != 12 || got.ErrorMessage != "" ||
		got.BaseModel != "Qwen/Qwen2.5-7B-Instruct" || got.EvalFraction != nil || got.ValidationDatasetID != nil || got.TotalValidationPairs != nil {
		t.Fatalf("inserted job %+v", got)
	}
	if time.Since(got.QueuedAt) > time.Minute {
		t.Errorf("queued_at %v", got.QueuedAt)
	}

	err = db.WithUser(ctx, ada.ID, func(tx store.Tx) error {
		again, err := store.GetJob(ctx, tx, in.ID)
		if err == nil && (!again.QueuedAt.Equal(got.QueuedAt) || again.DatasetName != "cash" || again.Hyperparameters != in.Hyperparameters) {
			t.Errorf("get %+v, inserted %+v", again, got)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// To Bob the job and the dataset do not exist, and he cannot queue on Ada's dataset.
	err = db.WithUser(ctx, bob.ID, func(tx store.Tx) error {
		if _, err := store.GetJob(ctx, tx, in.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("bob reading ada's job: %v", err)
		}
		if _, err := store.LockDatasetForJob(ctx, tx, d.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("bob locking ada's dataset: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.WithUser(ctx, bob.ID, func(tx store.Tx) error {
		_, err := store.InsertJob(ctx, tx, bob.ID, queuedJob(d, "stolen"))
		return err
	})
	if err == nil {
		t.Fatal("bob queued a job on ada's dataset")
	}
}

func TestLockDatasetForJobSkipsDeleted(t *testing.T) {
	db, ada := storetest.NewDBWithUser(t, "ada")
	ctx := context.Background()
	d := readyDatasetRow(t, db, ada.ID, "gone", 12)
	err := db.WithUser(ctx, ada.ID, func(tx store.Tx) error {
		if _, err := store.SoftDeleteDataset(ctx, tx, d.ID); err != nil {
			return err
		}
		_, err := store.LockDatasetForJob(ctx, tx, d.ID)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted dataset: %v", err)
	}
}

func TestListJobsPagesFiltersAndJoinsAt10000(t *testing.T) {
	db, ada, bob := storetest.NewDBWithUsers(t, "ada", "bob")
	ctx := context.Background()
	d := readyDatasetRow(t, db, ada.ID, "cash", 40)
	bd := readyDatasetRow(t, db, bob.ID, "bob's", 10)
	// 10,000 jobs for Ada, one minute apart (job n is the n-th newest), every
	// tenth failed; a few for Bob.
	const n = 10000
	seed := func(userID, datasetID uuid.UUID, count int) {
		err := db.WithUser(ctx, userID, func(tx store.Tx) error {
			_, err := tx.Exec(ctx, `
				INSERT INTO training_jobs (user_id, dataset_id, name, status, total_epochs, gpu_config, hyperparameters, created_at)
				SELECT $1, $2, 'job ' || i, CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'queued' END, 1,
					'{"type":"H100","count":1}', '{"batch_size":4}', now() - i * interval '1 minute'
				FROM generate_series(1, $3) AS i`, userID, datasetID, count)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	seed(ada.ID, d.ID, n)
	seed(bob.ID, bd.ID, 5)
	if _, err := db.Pool().Exec(ctx, "ANALYZE training_jobs"); err != nil {
		t.Logf("analyze: %v", err) // the app role may not own the table; the planner copes
	}

	list := func(status string, offset, limit int) ([]model.Job, int, time.Duration) {
		t.Helper()
		var jobs []model.Job
		var total int
		start := time.Now()
		err := db.WithUser(ctx, ada.ID, func(tx store.Tx) error {
			var err error
			jobs, total, err = store.ListJobs(ctx, tx, status, offset, limit)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return jobs, total, time.Since(start)
	}
	tests := []struct {
		name      string
		status    string
		offset    int
		limit     int
		total     int
		wantNames []string
	}{
		{"first page, newest first", "", 0, 3, n, []string{"job 1", "job 2", "job 3"}},
		{"a middle page", "", 20, 2, n, []string{"job 21", "job 22"}},
		{"the last page is short", "", n - 1, 10, n, []string{"job 10000"}},
		{"past the end", "", n, 10, n, nil},
		{"failed only", "failed", 1, 2, n / 10, []string{"job 20", "job 30"}},
		{"no running job", "running", 0, 10, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs, total, took := list(tt.status, tt.offset, tt.limit)
			var names []string
			for _, j := range jobs {
				names = append(names, j.Name)
				if j.UserID != ada.ID || j.DatasetName != "cash" || j.DatasetFormat != "chat" || j.DatasetPairs != 40 {
					t.Errorf("job %s: user %s, join %q %q %d", j.Name, j.UserID, j.DatasetName, j.DatasetFormat, j.DatasetPairs)
				}
			}
			if total != tt.total || len(names) != len(tt.wantNames) || (len(names) > 0 && names[0] != tt.wantNames[0]) ||
				(len(names) > 1 && names[1] != tt.wantNames[1]) || (len(names) > 2 && names[2] != tt.wantNames[2]) {
				t.Fatalf("total %d names %v, want %d %v", total, names, tt.total, tt.wantNames)
			}
			// Generous for a shared test machine; the point is no full scan per row.
			if took > 2*time.Second {
				t.Errorf("listing took %v", took)
			}
			t.Logf("%s: %v", tt.name, took)
		})
	}
}

// ReadJobLive reads as its user, in one round trip, and leaves the user on
// no pooled connection: a plain query afterwards sees no job at all.
func TestReadJobLiveIsTheUsersAlone(t *testing.T) {
	db, ada, bob := storetest.NewDBWithUsers(t, "ada", "bob")
	ctx := context.Background()
	in := insertQueuedJob(t, db, ada.ID, "cash")
	loss := 1.25
	err := db.WithUser(ctx, ada.ID, func(tx store.Tx) error {
		return store.InsertMetricPoints(ctx, tx, ada.ID, in.ID, []model.MetricPoint{{Step: 1, TrainLoss: &loss}, {Step: 2, TrainLoss: &loss}, {Step: 3, TrainLoss: &loss}})
	})
	if err != nil {
		t.Fatal(err)
	}
	for range 8 { // more reads than the pool has connections
		j, points, events, checkpoints, err := db.ReadJobLive(ctx, ada.ID, in.ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		if j.ID != in.ID || j.DatasetName != "cash" || len(points) != 2 || points[0].Step != 2 || events == nil || checkpoints == nil {
			t.Fatalf("job %+v, points %+v, events %v", j, points, events)
		}
		var n int
		if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM training_jobs`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("a plain query after the read sees %d jobs (%v): the user stayed on the connection", n, err)
		}
	}
	if _, _, _, _, err := db.ReadJobLive(ctx, bob.ID, in.ID, 0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("bob reading ada's job: %v", err)
	}
	if _, _, _, _, err := db.ReadJobLive(ctx, uuid.Nil, in.ID, 0); err == nil {
		t.Error("a read with no user went through")
	}
}

package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

// JobLive reads what a job view needs at once: the row, the points from a
// step on and the events; another operator's job is not found.
func TestJobLive(t *testing.T) {
	e, db, ada, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	bob, _ := e.EnsureUser(ctx, "bob")
	d := storetest.DatasetRow(t, db, ada.ID, "cash", model.DatasetReady, true, 40)
	j, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Preset: "fast", GPU: model.GPUConfig{Type: "A100-40GB", Count: 1}})
	if err != nil {
		t.Fatal(err)
	}
	storetest.ClaimRun(t, db, ada.ID, j.ID, 1)
	loss := 1.5
	results := e.WriteFlushBatch([]store.RunFlush{{UserID: ada.ID, JobID: j.ID, Attempt: 1,
		Points: []model.MetricPoint{{Step: 1, TrainLoss: &loss}, {Step: 2, TrainLoss: &loss}, {Step: 3, TrainLoss: &loss}},
		Progress: store.JobProgress{Status: model.JobRunning, Stage: model.StageTraining, Step: 3, Progress: 30,
			Events: []model.JobEvent{{At: time.Now(), Kind: model.EventStage, Stage: model.StageTraining, Message: "epoch 1/1"}}}}})
	if results[0].Err != nil {
		t.Fatal(results[0].Err)
	}
	l, err := s.JobLive(ctx, j.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if l.Job.ID != j.ID || l.Job.CurrentStep != 3 || l.Job.Status != model.JobRunning {
		t.Errorf("job %+v", l.Job)
	}
	if len(l.Points) != 2 || l.Points[0].Step != 2 || l.Points[1].Step != 3 {
		t.Errorf("points from step 2: %+v", l.Points)
	}
	if len(l.Events) == 0 || l.Events[len(l.Events)-1].Message != "epoch 1/1" {
		t.Errorf("events %+v", l.Events)
	}
	if _, err := e.Session(bob).JobLive(ctx, j.ID, 0); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("bob reading ada's job: %v", err)
	}
}

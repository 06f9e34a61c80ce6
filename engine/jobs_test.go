package engine_test

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
)

// written counts what job creation writes: the user's jobs, queued River
// train_job jobs (all users) and the user's job_queued notifications.
func written(t *testing.T, db *store.DB, s *engine.Session) (jobs, riverJobs, notes int) {
	t.Helper()
	ctx := context.Background()
	page, err := s.Jobs(ctx, "", 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'train_job'`).Scan(&riverJobs); err != nil {
		t.Fatal(err)
	}
	list, err := s.Notifications(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range list {
		if n.Type == model.NotificationJobQueued {
			notes++
		}
	}
	return page.Total, riverJobs, notes
}

func ptr[T any](v T) *T { return &v }

func TestCreateJobWritesRowRiverJobAndNotification(t *testing.T) {
	e, db := enginetest.NewJobEngine(t)
	ctx := context.Background()
	w, err := e.StartWorker(ctx, engine.WorkerOptions{Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := e.EnsureUser(ctx, "ada")
	s := e.Session(u)
	d, err := s.UploadDataset(ctx, enginetest.ChatFile(t, 13), engine.UploadOptions{Name: "coach"})
	if err != nil {
		t.Fatal(err)
	}
	d = enginetest.WaitDataset(t, s, d)
	if !d.TrainingReady || d.TotalTrainingPairs != 13 {
		t.Fatalf("dataset %+v", d)
	}
	// No worker from here on, so the job stays queued for the checks below.
	if err := w.Stop(10 * time.Second); err != nil {
		t.Fatal(err)
	}

	gpu := model.GPUConfig{Type: "h100", Count: 2}
	o := model.HyperOverrides{BatchSize: ptr(4), Dropout: ptr(0.1)}
	est, ed, err := s.EstimateForDataset(ctx, d.ID, "quality", gpu, o)
	if err != nil {
		t.Fatal(err)
	}
	want, err := e.Estimate(model.EstimateInput{Pairs: 13, Tokens: d.TotalTokens, GPU: model.GPUConfig{Type: "H100", Count: 2},
		Hyperparameters: model.Hyperparameters{LearningRate: 3e-5, BatchSize: 4, Epochs: 5, Rank: 32, Alpha: 64, Dropout: 0.1}, DatasetName: "coach"})
	if err != nil {
		t.Fatal(err)
	}
	want.Preset = "quality"
	if est != want || ed.ID != d.ID {
		t.Fatalf("estimate for dataset\n%+v\nwant\n%+v", est, want)
	}

	job, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Preset: "quality", GPU: gpu, Overrides: o})
	if err != nil {
		t.Fatal(err)
	}
	if job.ID == uuid.Nil || job.UserID != u.ID || job.DatasetID != d.ID || job.Name != "coach (quality)" ||
		job.Status != model.JobQueued || job.CurrentStage != "queued" || job.Progress != 0 ||
		job.CurrentEpoch != 0 || job.TotalEpochs != 5 || job.CurrentStep != 0 || job.TotalSteps != 4*5 || // ceil(13/4) × 5
		job.GPUConfig != (model.GPUConfig{Type: "H100", Count: 2}) || job.Hyperparameters != want.Hyperparameters ||
		job.EstimatedTotalCost != est.EstimatedCost || job.CurrentCost != 0 || job.FinalCost != nil ||
		len(job.CurrentMetrics) != 0 || job.Preset != "quality" || job.Trainer != "simulated" || job.QueuedAt.IsZero() ||
		job.StartedAt != nil || job.CompletedAt != nil || job.ErrorMessage != "" ||
		job.DatasetName != "coach" || job.DatasetFormat != "chat" || job.DatasetPairs != 13 {
		t.Fatalf("created job %+v", job)
	}
	if got, err := s.Job(ctx, job.ID); err != nil || !reflect.DeepEqual(got, job) {
		t.Fatalf("read back %+v, %v\ncreated %+v", got, err, job)
	}

	// The River job waits for a worker.
	var n int
	var state string
	var args struct {
		UserID uuid.UUID `json:"user_id"`
		JobID  uuid.UUID `json:"job_id"`
	}
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) OVER (), state::text, args FROM river_job WHERE kind = 'train_job'`).Scan(&n, &state, &args); err != nil {
		t.Fatal(err)
	}
	if n != 1 || state != "available" || args.JobID != job.ID || args.UserID != u.ID {
		t.Fatalf("river job: %d %s %+v", n, state, args)
	}
	notes, err := s.Notifications(ctx, 1)
	if err != nil || len(notes) != 1 {
		t.Fatal(notes, err)
	}
	if nt := notes[0]; nt.Type != "job_queued" || nt.Title != "Training Job Queued" || nt.Priority != model.PriorityLow ||
		nt.Message != `Your training job for "coach" has been queued and will start shortly` ||
		nt.Action.Kind != "job" || nt.Action.ID != job.ID.String() {
		t.Fatalf("notification %+v", nt)
	}
}

func TestCreateJobFailedChecksWriteNothing(t *testing.T) {
	e, db, ada, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	bob, _ := e.EnsureUser(ctx, "bob")
	ready := storetest.DatasetRow(t, db, ada.ID, "ready", model.DatasetReady, true, 40)
	bobs := storetest.DatasetRow(t, db, bob.ID, "bobs", model.DatasetReady, true, 40)
	deleted := storetest.DatasetRow(t, db, ada.ID, "deleted", model.DatasetReady, true, 40)
	if err := s.DeleteDataset(ctx, deleted.ID); err != nil {
		t.Fatal(err)
	}
	one := model.GPUConfig{Type: "A100-80GB", Count: 1}
	tests := []struct {
		name    string
		req     engine.JobRequest
		is      error  // errors.Is target, if any
		as      any    // errors.As target, if any
		message string // part of the message
	}{
		{"unknown GPU type lists the valid ones", engine.JobRequest{DatasetID: ready.ID, GPU: model.GPUConfig{Type: "TPU-v5", Count: 1}},
			nil, new(*model.ValidationError), `gpu_type "TPU-v5" is not a known GPU type: known types are A100-80GB, A100-40GB, H100, V100-32GB`},
		{"ranges, all at once", engine.JobRequest{DatasetID: ready.ID, GPU: model.GPUConfig{Type: "H100", Count: 9},
			Overrides: model.HyperOverrides{BatchSize: ptr(65), Epochs: ptr(21), LearningRate: ptr(0.01), Rank: ptr(256)}},
			nil, new(*model.ValidationError), "learning_rate 0.01 is out of range: must be between 0.00001 and 0.001; batch_size 65"},
		{"unknown preset", engine.JobRequest{DatasetID: ready.ID, Preset: "turbo", GPU: one}, nil, nil, `unknown preset "turbo"`},
		{"no such dataset", engine.JobRequest{DatasetID: uuid.New(), GPU: one}, engine.ErrNotFound, nil, "not found"},
		{"another user's dataset", engine.JobRequest{DatasetID: bobs.ID, GPU: one}, engine.ErrNotFound, nil, bobs.ID.String() + ": not found"},
		{"a deleted dataset", engine.JobRequest{DatasetID: deleted.ID, GPU: one}, engine.ErrNotFound, nil, "not found"},
		{"uploading", engine.JobRequest{DatasetID: storetest.DatasetRow(t, db, ada.ID, "up", model.DatasetUploading, false, 0).ID, GPU: one},
			nil, new(*model.NotTrainableError), "has not been uploaded yet"},
		{"validating", engine.JobRequest{DatasetID: storetest.DatasetRow(t, db, ada.ID, "val", model.DatasetValidating, false, 0).ID, GPU: one},
			nil, new(*model.NotTrainableError), "validation has not finished yet (status validating)"},
		{"failed validation", engine.JobRequest{DatasetID: storetest.DatasetRow(t, db, ada.ID, "bad", model.DatasetError, false, 30).ID, GPU: one},
			nil, new(*model.NotTrainableError), `dataset "bad"`},
		{"ready but not training ready", engine.JobRequest{DatasetID: storetest.DatasetRow(t, db, ada.ID, "few", model.DatasetReady, false, 5).ID, GPU: one},
			nil, new(*model.NotTrainableError), "ready but not training-ready: only 5 valid examples (10 needed)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateJob(ctx, tt.req)
			if err == nil {
				t.Fatal("job created")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want %v", err, tt.is)
			}
			if tt.as != nil && !errors.As(err, tt.as) {
				t.Errorf("err = %T %v, want %T", err, err, tt.as)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("err = %q, want it to contain %q", err, tt.message)
			}
			if jobs, rj, notes := written(t, db, s); jobs+rj+notes != 0 {
				t.Errorf("written: %d jobs, %d river jobs, %d notifications", jobs, rj, notes)
			}
		})
	}
	// Bob's own dataset works for Bob: the refusal above was about ownership.
	if _, err := e.Session(bob).CreateJob(ctx, engine.JobRequest{DatasetID: bobs.ID, GPU: one}); err != nil {
		t.Fatal(err)
	}
	if jobs, _, notes := written(t, db, s); jobs != 0 || notes != 0 {
		t.Errorf("bob's job shows for ada: %d jobs, %d notifications", jobs, notes)
	}
}

func TestJobsPagesFiltersAndJoins(t *testing.T) {
	e, db, ada, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	bob, _ := e.EnsureUser(ctx, "bob")
	d := storetest.DatasetRow(t, db, ada.ID, "cash", model.DatasetReady, true, 40)
	var ids []uuid.UUID
	for _, name := range []string{"first", "second", "third"} {
		j, err := s.CreateJob(ctx, engine.JobRequest{DatasetID: d.ID, Name: name, GPU: model.GPUConfig{Type: "V100-32GB", Count: 1}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, j.ID)
	}
	names := func(p engine.JobPage) string {
		var out []string
		for _, j := range p.Jobs {
			out = append(out, j.Name)
			if j.DatasetName != "cash" || j.DatasetFormat != "chat" || j.DatasetPairs != 40 {
				t.Errorf("join of %s: %q %q %d", j.Name, j.DatasetName, j.DatasetFormat, j.DatasetPairs)
			}
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		status      string
		page, limit int
		wantPage    int
		total       int
		names       string
	}{
		{"", 1, 2, 1, 3, "third,second"},
		{"", 2, 2, 2, 3, "first"},
		{"", 0, 0, 1, 3, "third,second,first"}, // defaults: page 1 of 10
		{"Queued", 1, 10, 1, 3, "third,second,first"},
		{"running", 1, 10, 1, 0, ""},
	}
	for _, tt := range tests {
		p, err := s.Jobs(ctx, tt.status, tt.page, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if p.Page != tt.wantPage || p.Total != tt.total || names(p) != tt.names || p.Jobs == nil {
			t.Errorf("Jobs(%q, %d, %d) = page %d total %d [%s], want %d %d [%s]", tt.status, tt.page, tt.limit,
				p.Page, p.Total, names(p), tt.wantPage, tt.total, tt.names)
		}
	}
	if _, err := s.Jobs(ctx, "paused", 1, 10); err == nil || !strings.Contains(err.Error(), "valid values are queued") {
		t.Errorf("unknown status: %v", err)
	}
	if _, err := s.Jobs(ctx, "", 1, engine.MaxJobPageSize+1); err == nil {
		t.Error("a page over the limit was accepted")
	}
	b := e.Session(bob)
	if p, err := b.Jobs(ctx, "", 1, 10); err != nil || p.Total != 0 {
		t.Errorf("bob sees %+v, %v", p, err)
	}
	if _, err := b.Job(ctx, ids[0]); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("bob reading ada's job: %v", err)
	}
}

func TestTrainableDatasetsPutUsableFirst(t *testing.T) {
	_, db, ada, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	storetest.DatasetRow(t, db, ada.ID, "old ready", model.DatasetReady, true, 40)
	storetest.DatasetRow(t, db, ada.ID, "broken", model.DatasetError, false, 3)
	storetest.DatasetRow(t, db, ada.ID, "new ready", model.DatasetReady, true, 20)
	storetest.DatasetRow(t, db, ada.ID, "checking", model.DatasetValidating, false, 0)
	list, err := s.TrainableDatasets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range list {
		got = append(got, c.Dataset.Name)
		if c.Usable != (c.Reason == "") {
			t.Errorf("%s: usable %v reason %q", c.Dataset.Name, c.Usable, c.Reason)
		}
	}
	if strings.Join(got[:2], ",") != "new ready,old ready" || !list[0].Usable || !list[1].Usable || list[2].Usable || list[3].Usable {
		t.Fatalf("choices %v", got)
	}
	rest := got[2:]
	sort.Strings(rest)
	if strings.Join(rest, ",") != "broken,checking" || !strings.Contains(list[2].Reason+list[3].Reason, "validation has not finished") {
		t.Fatalf("unusable %+v", list[2:])
	}
}

func TestEstimateForDatasetRefusesWhatItCannotPrice(t *testing.T) {
	e, db, ada, s := enginetest.Operator(t, "ada")
	ctx := context.Background()
	bob, _ := e.EnsureUser(ctx, "bob")
	one := model.GPUConfig{Type: "A100-80GB", Count: 1}
	bobs := storetest.DatasetRow(t, db, bob.ID, "bobs", model.DatasetReady, true, 40)
	if _, _, err := s.EstimateForDataset(ctx, bobs.ID, "", one, model.HyperOverrides{}); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("another user's dataset: %v", err)
	}
	validating := storetest.DatasetRow(t, db, ada.ID, "val", model.DatasetValidating, false, 0)
	var nt *model.NotTrainableError
	if _, _, err := s.EstimateForDataset(ctx, validating.ID, "", one, model.HyperOverrides{}); !errors.As(err, &nt) {
		t.Errorf("validating dataset: %v", err)
	}
	ready := storetest.DatasetRow(t, db, ada.ID, "cash", model.DatasetReady, true, 40)
	var ve *model.ValidationError
	if _, _, err := s.EstimateForDataset(ctx, ready.ID, "", model.GPUConfig{Type: "A100-80GB", Count: 0}, model.HyperOverrides{}); !errors.As(err, &ve) {
		t.Errorf("zero GPUs: %v", err)
	}
	est, _, err := s.EstimateForDataset(ctx, ready.ID, "", one, model.HyperOverrides{})
	if err != nil || est.Preset != "balanced" || est.TrainingDetails.StepsPerEpoch != 10 || est.TrainingDetails.DatasetName != "cash" {
		t.Errorf("estimate %+v %v", est, err)
	}
}

package common

import (
	"context"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/termtext"
)

// Inert wraps a backend so that all the text it returns (names,
// descriptions, turns, a trainer's output, notifications, errors that quote
// them) reaches the screens with its control characters shown, not acted
// on (termtext.Inert): stored text is data, not styling, so a colour in a
// dataset's name does not restyle the screen and no other sequence reaches
// the terminal. It is the one door stored text enters the TUI by, so a
// screen cannot forget it. Newlines and tabs are kept for the layout.
//
// A value whose text holds a control character comes back changed, so it
// no longer matches its stored self as a filter value: a facet with an
// escape in its name lists nothing. Rows are addressed by ID everywhere
// else.
func Inert(b Backend) Backend { return inertBackend{b} }

// inertBackend wraps every method itself, embedding nothing, so a method
// added to Backend does not compile until it is wrapped here too.
type inertBackend struct{ b Backend }

func inert[T any](v T, err error) (T, error) { return termtext.Inert(v), inertErr(err) }

// inertErr keeps err for errors.Is and errors.As and shows its message
// inert.
func inertErr(err error) error {
	if err == nil {
		return nil
	}
	if msg := err.Error(); termtext.Line(msg) != msg {
		return inertError{err}
	}
	return err
}

type inertError struct{ err error }

func (e inertError) Error() string { return termtext.Line(e.err.Error()) }
func (e inertError) Unwrap() error { return e.err }

func (b inertBackend) User() model.User { return termtext.Inert(b.b.User()) }

func (b inertBackend) Status(ctx context.Context) engine.Status {
	return termtext.Inert(b.b.Status(ctx))
}

func (b inertBackend) Costs(ctx context.Context, month model.Month, by string) (model.CostReport, error) {
	return inert(b.b.Costs(ctx, month, by))
}

func (b inertBackend) Notifications(ctx context.Context, limit int) ([]model.Notification, error) {
	return inert(b.b.Notifications(ctx, limit))
}

func (b inertBackend) MarkNotificationRead(ctx context.Context, id uuid.UUID) error {
	return inertErr(b.b.MarkNotificationRead(ctx, id))
}

func (b inertBackend) MarkAllNotificationsRead(ctx context.Context) (int, error) {
	return inert(b.b.MarkAllNotificationsRead(ctx))
}

func (b inertBackend) Catalog() model.Catalog { return b.b.Catalog() }

// Models needs no sanitising: the catalog's parser refuses control
// characters in every text it holds.
func (b inertBackend) Models() model.ModelCatalog { return b.b.Models() }

func (b inertBackend) S3PortNotice() string { return termtext.Line(b.b.S3PortNotice()) }

func (b inertBackend) Subscribe() (<-chan engine.Event, func()) { return b.b.Subscribe() }

func (b inertBackend) Estimate(in model.EstimateInput) (model.Estimate, error) {
	return inert(b.b.Estimate(in))
}

// Conversations and training files.

func (b inertBackend) ListConversations(ctx context.Context, q model.ConversationQuery) (model.ConversationPage, error) {
	return inert(b.b.ListConversations(ctx, q))
}

func (b inertBackend) ConversationIDs(ctx context.Context, q model.ConversationQuery) ([]uuid.UUID, error) {
	return inert(b.b.ConversationIDs(ctx, q))
}

func (b inertBackend) Facets(ctx context.Context) (model.Facets, error) {
	return inert(b.b.Facets(ctx))
}

func (b inertBackend) Conversation(ctx context.Context, id uuid.UUID) (engine.ConversationDetail, error) {
	return inert(b.b.Conversation(ctx, id))
}

func (b inertBackend) ExportConversation(ctx context.Context, id uuid.UUID, flavour, outPath string) (int64, error) {
	return inert(b.b.ExportConversation(ctx, id, flavour, outPath))
}

func (b inertBackend) Import(ctx context.Context, paths []string, progress func(engine.ImportProgress)) (engine.ImportResult, error) {
	shown := progress
	if progress != nil {
		shown = func(p engine.ImportProgress) { progress(termtext.Inert(p)) }
	}
	return inert(b.b.Import(ctx, paths, shown))
}

func (b inertBackend) CreateTrainingFile(ctx context.Context, name, description string, conversationIDs []uuid.UUID) (model.TrainingFile, error) {
	return inert(b.b.CreateTrainingFile(ctx, name, description, conversationIDs))
}

func (b inertBackend) AddToTrainingFile(ctx context.Context, id uuid.UUID, conversationIDs []uuid.UUID) (model.TrainingFile, error) {
	return inert(b.b.AddToTrainingFile(ctx, id, conversationIDs))
}

func (b inertBackend) RemoveFromTrainingFile(ctx context.Context, id uuid.UUID, conversationIDs []uuid.UUID) (model.TrainingFile, error) {
	return inert(b.b.RemoveFromTrainingFile(ctx, id, conversationIDs))
}

func (b inertBackend) BuildTrainingFile(ctx context.Context, id uuid.UUID) (model.TrainingFile, error) {
	return inert(b.b.BuildTrainingFile(ctx, id))
}

func (b inertBackend) TrainingFiles(ctx context.Context) ([]model.TrainingFile, error) {
	return inert(b.b.TrainingFiles(ctx))
}

func (b inertBackend) TrainingFile(ctx context.Context, id uuid.UUID) (engine.TrainingFileDetail, error) {
	return inert(b.b.TrainingFile(ctx, id))
}

func (b inertBackend) DeleteTrainingFile(ctx context.Context, id uuid.UUID) error {
	return inertErr(b.b.DeleteTrainingFile(ctx, id))
}

func (b inertBackend) ExportTrainingFile(ctx context.Context, id uuid.UUID, format, outPath string) (int64, error) {
	return inert(b.b.ExportTrainingFile(ctx, id, format, outPath))
}

func (b inertBackend) DatasetFromTrainingFile(ctx context.Context, trainingFileID uuid.UUID, name string) (model.Dataset, error) {
	return inert(b.b.DatasetFromTrainingFile(ctx, trainingFileID, name))
}

// Datasets.

func (b inertBackend) Datasets(ctx context.Context, status string, page, limit int) (engine.DatasetPage, error) {
	return inert(b.b.Datasets(ctx, status, page, limit))
}

func (b inertBackend) Dataset(ctx context.Context, id uuid.UUID) (model.Dataset, error) {
	return inert(b.b.Dataset(ctx, id))
}

func (b inertBackend) UploadDataset(ctx context.Context, path string, o engine.UploadOptions) (model.Dataset, error) {
	return inert(b.b.UploadDataset(ctx, path, o))
}

func (b inertBackend) DatasetUploadURL(ctx context.Context, name, description string) (engine.UploadTicket, error) {
	return inert(b.b.DatasetUploadURL(ctx, name, description))
}

func (b inertBackend) ConfirmDataset(ctx context.Context, id uuid.UUID) (model.Dataset, error) {
	return inert(b.b.ConfirmDataset(ctx, id))
}

func (b inertBackend) RevalidateDataset(ctx context.Context, id uuid.UUID) (model.Dataset, error) {
	return inert(b.b.RevalidateDataset(ctx, id))
}

func (b inertBackend) CleanDataset(ctx context.Context, id uuid.UUID, name string) (model.Dataset, error) {
	return inert(b.b.CleanDataset(ctx, id, name))
}

func (b inertBackend) DeleteDataset(ctx context.Context, id uuid.UUID) error {
	return inertErr(b.b.DeleteDataset(ctx, id))
}

// Jobs.

func (b inertBackend) TrainableDatasets(ctx context.Context) ([]engine.DatasetChoice, error) {
	return inert(b.b.TrainableDatasets(ctx))
}

func (b inertBackend) CreateJob(ctx context.Context, req engine.JobRequest) (model.Job, error) {
	return inert(b.b.CreateJob(ctx, req))
}

func (b inertBackend) Jobs(ctx context.Context, status string, page, limit int) (engine.JobPage, error) {
	return inert(b.b.Jobs(ctx, status, page, limit))
}

func (b inertBackend) Job(ctx context.Context, id uuid.UUID) (model.Job, error) {
	return inert(b.b.Job(ctx, id))
}

func (b inertBackend) CancelJob(ctx context.Context, id uuid.UUID) (model.Job, error) {
	return inert(b.b.CancelJob(ctx, id))
}

func (b inertBackend) PlanResume(ctx context.Context, id uuid.UUID) (engine.ResumePlan, error) {
	return inert(b.b.PlanResume(ctx, id))
}

func (b inertBackend) ResumeJob(ctx context.Context, id uuid.UUID) (model.Job, error) {
	return inert(b.b.ResumeJob(ctx, id))
}

func (b inertBackend) ExportJobMetrics(ctx context.Context, id uuid.UUID, format, outPath string) (string, int64, error) {
	path, n, err := b.b.ExportJobMetrics(ctx, id, format, outPath)
	return termtext.Inert(path), n, inertErr(err)
}

func (b inertBackend) JobMetrics(ctx context.Context, id uuid.UUID, sinceStep int) ([]model.MetricPoint, error) {
	return inert(b.b.JobMetrics(ctx, id, sinceStep))
}

func (b inertBackend) JobEvents(ctx context.Context, id uuid.UUID) ([]model.JobEvent, error) {
	return inert(b.b.JobEvents(ctx, id))
}

func (b inertBackend) JobLive(ctx context.Context, id uuid.UUID, sinceStep int) (engine.JobLive, error) {
	return inert(b.b.JobLive(ctx, id, sinceStep))
}

func (b inertBackend) JobCost(ctx context.Context, id uuid.UUID) (*model.CostRecord, error) {
	return inert(b.b.JobCost(ctx, id))
}

func (b inertBackend) DownloadArtifact(ctx context.Context, jobID uuid.UUID, outDir string) ([]string, error) {
	return inert(b.b.DownloadArtifact(ctx, jobID, outDir))
}

func (b inertBackend) ArtifactDownloadURLs(ctx context.Context, jobID uuid.UUID, expiry time.Duration) (engine.ArtifactURLs, error) {
	return inert(b.b.ArtifactDownloadURLs(ctx, jobID, expiry))
}

func (b inertBackend) JobOutput(ctx context.Context, jobID uuid.UUID, afterSeq int64, limit int) ([]model.JobOutputLine, error) {
	return inert(b.b.JobOutput(ctx, jobID, afterSeq, limit))
}

func (b inertBackend) Workers(ctx context.Context) (engine.WorkerPage, error) {
	return inert(b.b.Workers(ctx))
}

func (b inertBackend) CompareJobs(ctx context.Context, ids []uuid.UUID, points int) (model.Comparison, error) {
	return inert(b.b.CompareJobs(ctx, ids, points))
}

func (b inertBackend) CreateSweep(ctx context.Context, req engine.SweepRequest) (engine.SweepLaunch, error) {
	return inert(b.b.CreateSweep(ctx, req))
}

func (b inertBackend) Sweep(ctx context.Context, id uuid.UUID, points int) (engine.SweepDetail, error) {
	return inert(b.b.Sweep(ctx, id, points))
}

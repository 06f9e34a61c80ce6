package common

import (
	"context"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
)

// The session is what the screens run on; this says so at compile time.
var _ JobsBackend = (*engine.Session)(nil)

// JobsBackend is what the Configure and Jobs tabs ask of the engine: the
// datasets a job may be trained on (and why the others may not), launching
// a job, and reading the operator's jobs a page at a time. The signatures
// are *engine.Session's, so the session satisfies it as it is; every method
// does I/O and is only called from a tea.Cmd. Pricing a configuration needs
// no call: the screens use Catalog and Estimate, which are pure.
type JobsBackend interface {
	// TrainableDatasets lists every live dataset, usable ones first, the
	// others with the reason they cannot be trained on.
	TrainableDatasets(ctx context.Context) ([]engine.DatasetChoice, error)
	// CreateJob checks the configuration and the dataset and writes the
	// queued job; a failed check writes nothing.
	CreateJob(ctx context.Context, req engine.JobRequest) (model.Job, error)
	// Jobs reads one page of the operator's jobs, newest first, joined
	// with their datasets; status "" is every status.
	Jobs(ctx context.Context, status string, page, limit int) (engine.JobPage, error)
	// Job reads one job with its dataset join.
	Job(ctx context.Context, id uuid.UUID) (model.Job, error)
	// CancelJob cancels a job that has not ended: a queued one at once, a
	// running one within seconds (watch its row for the end).
	CancelJob(ctx context.Context, id uuid.UUID) (model.Job, error)
	// PlanResume says what resuming a failed or cancelled job would do (the
	// checkpoint it continues after, what it spent and has to go); one that
	// cannot resume is an error wrapping model.ErrNotResumable.
	PlanResume(ctx context.Context, id uuid.UUID) (engine.ResumePlan, error)
	// ResumeJob puts a failed or cancelled job with a checkpoint back in
	// the queue, to continue after its newest checkpoint.
	ResumeJob(ctx context.Context, id uuid.UUID) (model.Job, error)
	// ExportJobMetrics writes every metrics point of a job in format (csv
	// or jsonl) to outPath, "" being the data dir's exports folder, and
	// returns the path and size written.
	ExportJobMetrics(ctx context.Context, id uuid.UUID, format, outPath string) (string, int64, error)
	// JobMetrics reads a job's metrics points from sinceStep on
	// (inclusive), ordered by step; callers drop the IDs they hold.
	JobMetrics(ctx context.Context, id uuid.UUID, sinceStep int) ([]model.MetricPoint, error)
	// JobEvents reads a job's event log, oldest first.
	JobEvents(ctx context.Context, id uuid.UUID) ([]model.JobEvent, error)
	// JobLive reads the job, its points from sinceStep on and its events
	// at once, for a job view following its job.
	JobLive(ctx context.Context, id uuid.UUID, sinceStep int) (engine.JobLive, error)
	// JobCost reads a finished job's cost record; nil while it runs.
	JobCost(ctx context.Context, id uuid.UUID) (*model.CostRecord, error)
	// DownloadArtifact writes the job's adapter into outDir and returns
	// the paths written.
	DownloadArtifact(ctx context.Context, jobID uuid.UUID, outDir string) ([]string, error)
	// ArtifactDownloadURLs presigns a GET URL per file of the job's
	// adapter, valid for expiry, with the curl lines that fetch them: how
	// an operator on SSH downloads, since DownloadArtifact would write to
	// the server's disk.
	ArtifactDownloadURLs(ctx context.Context, jobID uuid.UUID, expiry time.Duration) (engine.ArtifactURLs, error)
	// JobOutput reads up to limit of the lines the job's trainer printed
	// after afterSeq, oldest first (limit ≤ 0: all).
	JobOutput(ctx context.Context, jobID uuid.UUID, afterSeq int64, limit int) ([]model.JobOutputLine, error)
	// CompareJobs reads two to six jobs side by side with their curves,
	// each series at most points long; the comparison screen then follows
	// each job with Job and JobMetrics from where its curve ends.
	CompareJobs(ctx context.Context, ids []uuid.UUID, points int) (model.Comparison, error)
	// CreateSweep creates a grid of runs in one transaction, all or none
	// (a refusal is an *engine.SweepRefusedError naming the run).
	CreateSweep(ctx context.Context, req engine.SweepRequest) (engine.SweepLaunch, error)
	// Sweep reads a sweep with every run and its curves (each series at
	// most points long); the sweep view then follows each run as the
	// comparison does.
	Sweep(ctx context.Context, id uuid.UUID, points int) (engine.SweepDetail, error)
	// Workers lists the live workers of the whole fleet: what each runs,
	// its GPUs in use and its jobs (the Workers pane).
	Workers(ctx context.Context) (engine.WorkerPage, error)
}

package worker

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/google/uuid"

	"brightrun/assets"
	"brightrun/model"
	"brightrun/model/dataset"
)

// TrainerCheckOptions say what `brightrun trainer check` runs.
type TrainerCheckOptions struct {
	Command string
	// Dataset is the JSONL the trainer gets (nil: the built-in chat
	// dataset, assets/trainers/check_dataset.jsonl); DatasetName names it.
	Dataset     []byte
	DatasetName string
	BaseModel   string
	// RunTimeout bounds each run; IdleTimeout stops a run whose trainer
	// prints nothing for that long, as a worker does.
	RunTimeout  time.Duration
	IdleTimeout time.Duration
	// WorkDir keeps the output and checkpoint dirs there (it must be empty
	// or absent); "" uses a temporary dir, removed at the end.
	WorkDir string
	// Stderr gets each line the trainer prints on stderr (nil: dropped).
	Stderr func(line string)
}

// TrainerCheck is one point of the report.
type TrainerCheck struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Skipped bool   `json:"skipped,omitempty"`
	Detail  string `json:"detail"`
}

// TrainerCheckReport is what `brightrun trainer check` prints.
type TrainerCheckReport struct {
	OK     bool           `json:"ok"`
	Checks []TrainerCheck `json:"checks"`
	// Dataset and BaseModel say what the trainer was given; Log is what it
	// said in "log" messages during the first run (at most 50 lines);
	// OutputDir is where its adapter was (kept only with WorkDir).
	Dataset   string   `json:"dataset"`
	BaseModel string   `json:"base_model"`
	Log       []string `json:"trainer_log"`
	OutputDir string   `json:"output_dir,omitempty"`
}

// The names of the checks, in the report's order.
const (
	CheckProtocol  = "protocol"
	CheckMonotonic = "monotonic"
	CheckFinite    = "finite"
	CheckAdapter   = "adapter"
	CheckExit      = "exit"
	CheckResume    = "resume"
)

// checkHyperparameters are small, valid settings: two epochs, so a trainer
// that checkpoints per epoch has one to resume from.
var checkHyperparameters = model.Hyperparameters{LearningRate: 0.001, BatchSize: 4, Epochs: 2, Rank: 8, Alpha: 16, Dropout: 0.05}

// CheckTrainer runs an exec trainer the way a worker does, with no database
// and no object storage: the dataset is served on a loopback URL, the spec
// and environment are the worker's (execCommand, execEnv), and its stdout
// is read with the worker's parser (model.ParseTrainerLine). A second run
// with BRIGHTRUN_RESUME_STEP checks that it resumes from its checkpoint.
func CheckTrainer(ctx context.Context, o TrainerCheckOptions) (TrainerCheckReport, error) {
	data, name := o.Dataset, o.DatasetName
	if data == nil {
		data, name = assets.TrainerCheckDataset, "built-in chat dataset"
	}
	rep, err := dataset.NewValidator().Validate(bytes.NewReader(data), name)
	if err != nil {
		return TrainerCheckReport{}, fmt.Errorf("dataset %s: %w", name, err)
	}
	if !rep.TrainingReady {
		return TrainerCheckReport{}, fmt.Errorf("dataset %s is not training ready (%d valid examples; `brightrun dataset validate` says why)", name, rep.Valid)
	}
	if o.BaseModel == "" {
		// The built-in catalog's default; any id or local path may be
		// given instead (a check needs no catalog entry).
		models, err := model.ParseModelCatalog(assets.ModelCatalog)
		if err != nil {
			return TrainerCheckReport{}, fmt.Errorf("embedded model catalog: %w", err)
		}
		o.BaseModel = models.Default().ID
	}
	base, cleanup, err := checkWorkDir(o.WorkDir)
	if err != nil {
		return TrainerCheckReport{}, err
	}
	defer cleanup()
	url, stopServer, err := serveLoopback(data)
	if err != nil {
		return TrainerCheckReport{}, err
	}
	defer stopServer()

	hp := checkHyperparameters
	spe := (rep.Valid + hp.BatchSize - 1) / hp.BatchSize
	spec := execSpec{
		JobID: uuid.NewString(), Name: "trainer check", Attempt: 1, BaseModel: o.BaseModel,
		Dataset: execSpecDataset{Name: name, Format: string(rep.Shape), FileName: filepath.Base(name), URL: url,
			Pairs: rep.Valid, Tokens: rep.TotalTokens},
		EvalFraction: model.DefaultEvalFraction, GPUIDs: []int{},
		Hyperparameters: hp, GPUConfig: model.GPUConfig{Type: "local", Count: 1},
		TotalSteps: spe * hp.Epochs, StepsPerEpoch: spe, TotalEpochs: hp.Epochs,
		OutputDir: filepath.Join(base, "output"), CheckpointDir: filepath.Join(base, "checkpoints"),
	}
	report := TrainerCheckReport{Dataset: fmt.Sprintf("%s (%d examples)", name, rep.Valid), BaseModel: o.BaseModel, Log: []string{}}
	first, err := runCheckAttempt(ctx, o, base, spec, 0)
	if err != nil {
		return TrainerCheckReport{}, err
	}
	report.Log = first.log
	report.Checks = append(report.Checks, first.protocolCheck(), first.monotonicCheck(), first.finiteCheck(),
		adapterCheck(spec.OutputDir), first.exitCheck())
	report.Checks = append(report.Checks, resumeCheck(ctx, o, base, spec, first))
	report.OK = true
	for _, c := range report.Checks {
		report.OK = report.OK && c.OK
	}
	if o.WorkDir != "" {
		report.OutputDir = spec.OutputDir
	}
	return report, nil
}

// checkWorkDir makes the dir the runs work in and says how to clean it up.
func checkWorkDir(dir string) (string, func(), error) {
	if dir == "" {
		d, err := os.MkdirTemp("", "brightrun-trainer-check-")
		if err != nil {
			return "", nil, fmt.Errorf("temporary dir: %w", err)
		}
		return d, func() { _ = os.RemoveAll(d) }, nil
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return "", nil, fmt.Errorf("work dir %s is not empty", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", nil, fmt.Errorf("work dir: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, fmt.Errorf("work dir: %w", err)
	}
	return abs, func() {}, nil
}

// serveLoopback serves data at a URL on 127.0.0.1, for the trainer to fetch
// as it fetches a presigned URL.
func serveLoopback(data []byte) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("serve the dataset on the loopback: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /dataset.jsonl", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		http.ServeContent(w, r, "dataset.jsonl", time.Time{}, bytes.NewReader(data))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/dataset.jsonl", func() { _ = srv.Close() }, nil
}

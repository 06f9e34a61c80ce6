package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/termtext"
)

// configFlags are the flags `estimate` and `job create` share: the preset,
// the GPUs and the hyperparameters that override the preset's.
type configFlags struct {
	fs      *flagSet
	preset  *string
	gpu     *string
	gpus    *int
	batch   *int
	epochs  *int
	lr      *float64
	rank    *int
	alpha   *int
	dropout *float64
	// baseModel is a model catalog id ("": the catalog's default).
	baseModel *string
}

func addConfigFlags(fs *flagSet) *configFlags {
	c := &configFlags{
		fs:        fs,
		preset:    fs.String("preset", model.DefaultPreset, "preset: fast, balanced or quality"),
		gpu:       fs.String("gpu", "", "GPU type (default: the catalog's first)"),
		gpus:      fs.Int("gpus", 1, "number of GPUs (1-8)"),
		batch:     fs.Int("batch-size", 0, "batch size (1-64), overrides the preset"),
		epochs:    fs.Int("epochs", 0, "epochs (1-20), overrides the preset"),
		lr:        fs.Float64("learning-rate", 0, "learning rate (0.00001-0.001), overrides the preset"),
		rank:      fs.Int("rank", 0, "LoRA rank (4-128), overrides the preset; alpha follows at 2 × rank"),
		alpha:     fs.Int("alpha", 0, "LoRA alpha (default 2 × rank)"),
		dropout:   fs.Float64("dropout", 0, "LoRA dropout, at least 0 and below 1 (default 0.05)"),
		baseModel: fs.String("base-model", "", "base model id from `brightrun models` (default: the catalog's default)"),
	}
	fs.Float64Var(c.lr, "lr", 0, "the same as --learning-rate")
	return c
}

// given reports which flags were set on the command line.
func (c *configFlags) given() map[string]bool { return c.fs.given() }

// overrides are the hyperparameters given explicitly; the others keep the
// preset's values.
func (c *configFlags) overrides() model.HyperOverrides {
	set := c.given()
	var o model.HyperOverrides
	if set["batch-size"] {
		o.BatchSize = c.batch
	}
	if set["epochs"] {
		o.Epochs = c.epochs
	}
	if set["learning-rate"] || set["lr"] {
		o.LearningRate = c.lr
	}
	if set["rank"] {
		o.Rank = c.rank
	}
	if set["alpha"] {
		o.Alpha = c.alpha
	}
	if set["dropout"] {
		o.Dropout = c.dropout
	}
	return o
}

func (c *configFlags) gpuConfig() model.GPUConfig {
	return model.GPUConfig{Type: *c.gpu, Count: *c.gpus}
}

// notTrainable turns a dataset that cannot be trained on (or priced), a
// validation dataset that cannot be used, a base model too big for the
// GPUs and a job over the monthly budget into a negative answer: the one-line reason on stderr and exit 1
// (docs/cli.md). A base model the catalog does not list is a usage
// error naming the flag. Other errors pass through.
func notTrainable(env Env, err error) error {
	var nt *model.NotTrainableError
	var fit *model.ModelFitError
	var vd *model.ValidationDatasetError
	var unknown *model.UnknownModelError
	var over *model.BudgetExceededError
	switch {
	case errors.As(err, &nt) || errors.As(err, &fit) || errors.As(err, &vd) || errors.As(err, &over):
		fmt.Fprintf(env.Stderr, "brightrun: %s\n", oneLine(err.Error()))
		return errNegative
	case errors.As(err, &unknown):
		return usageError{"--base-model: " + unknown.Error()}
	}
	return err
}

func runJobCreate(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job create", &c, true)
	datasetID := fs.String("dataset", "", "ID of a ready, training-ready dataset (required unless --from)")
	from := fs.String("from", "", "clone this job: its dataset, GPUs, trainer and hyperparameters, with the flags given changing them")
	name := fs.String("name", "", "job name (default: the dataset's name and the preset; with --from, the job's name marked as a clone)")
	trainer := fs.String("trainer", model.DefaultTrainer, "simulated (plays a plausible run, no GPU) or exec (the worker's --exec-trainer command)")
	evalFraction := fs.Float64("eval-fraction", 0, "share of the dataset held out for validation, 0-0.5 (default: the trainer's, 0.1; 0: no validation)")
	validation := fs.String("validation-dataset", "", "ID of a ready dataset of yours used for validation instead of a split")
	patience := fs.Int("early-stopping-patience", 0, "stop after this many evaluations in a row without a better validation loss, keeping the best checkpoint (0: off)")
	maxCost := fs.Float64("max-cost", 0, "cost cap in USD, 0.01-1000000: the worker stops the job, cancelled, when its cost reaches it (default: none)")
	yes := fs.Bool("yes", false, "launch without showing the price and asking (never asked when stdin is not a terminal)")
	cf := addConfigFlags(fs)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if err := model.CheckEarlyStoppingPatience(*patience); err != nil {
		return usageError{"job create: --" + err.Error()}
	}
	var capUSD *float64
	if cf.given()["max-cost"] {
		if err := model.CheckMaxCost(*maxCost); err != nil {
			return usageError{"job create: --max-cost: " + err.Error()}
		}
		capUSD = maxCost
	}
	if *datasetID == "" && *from == "" {
		return usagef("job create: --dataset ID is required (or --from JOB_ID to clone a job)")
	}
	if _, err := model.ParseTrainer(*trainer); err != nil {
		return usageError{"job create: " + err.Error()}
	}
	val, err := validationFlags(cf, *evalFraction, *validation)
	if err != nil {
		return err
	}
	var id, source uuid.UUID
	if *datasetID != "" {
		if id, err = parseID("dataset", *datasetID); err != nil {
			return err
		}
	}
	if *from != "" {
		if source, err = parseID("job", *from); err != nil {
			return err
		}
		if cf.given()["gpus"] && *cf.gpus == 0 {
			// 0 would read as "the source's count" in the clone's options.
			return usagef("job create: gpu_count 0 is out of range: must be between %d and %d", model.MinGPUCount, model.MaxGPUCount)
		}
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		req := engine.JobRequest{
			DatasetID: id, Preset: *cf.preset, GPU: cf.gpuConfig(), Overrides: cf.overrides(), Name: *name, Trainer: *trainer,
			BaseModel: *cf.baseModel, EvalFraction: val.EvalFraction, ValidationDatasetID: val.ValidationDatasetID, MaxCost: capUSD,
			EarlyStoppingPatience: *patience,
		}
		if *from != "" {
			o := cloneOptions(cf, id, *name, *trainer)
			o.EvalFraction, o.ValidationDatasetID, o.MaxCost = val.EvalFraction, val.ValidationDatasetID, capUSD
			if cf.given()["early-stopping-patience"] {
				o.EarlyStoppingPatience = patience
			}
			if req, err = s.CloneRequestFor(ctx, source, o); err != nil {
				return err
			}
		}
		if !*yes && stdinIsTerminal(env.Stdin) {
			if err := confirmLaunch(ctx, env, s, req); err != nil {
				return notTrainable(env, err)
			}
		}
		j, err := s.CreateJob(ctx, req)
		if err != nil {
			return notTrainable(env, err)
		}
		if c.json {
			return printJSON(env.Stdout, j)
		}
		if j.ClonedFrom != nil {
			fmt.Fprintf(env.Stdout, "queued job %s, cloned from %s\n", j.ID, *j.ClonedFrom)
		} else {
			fmt.Fprintf(env.Stdout, "queued job %s\n", j.ID)
		}
		printJob(env.Stdout, j)
		return nil
	})
}

// cloneOptions are the flags of `job create --from` given explicitly:
// each changes what the cloned job ran with; the others keep it.
func cloneOptions(cf *configFlags, dataset uuid.UUID, name, trainer string) engine.CloneOptions {
	set := cf.given()
	o := engine.CloneOptions{DatasetID: dataset, Name: name, Overrides: cf.overrides()}
	if set["preset"] {
		o.Preset = *cf.preset
	}
	if set["gpu"] {
		o.GPUType = *cf.gpu
	}
	if set["gpus"] {
		o.GPUCount = *cf.gpus
	}
	if set["trainer"] {
		o.Trainer = trainer
	}
	if set["base-model"] {
		o.BaseModel = *cf.baseModel
	}
	return o
}

// validationFlags checks --eval-fraction and --validation-dataset: the
// fraction in range, the ID a UUID, not both (a validation dataset is used
// instead of a split). Unset flags stay nil.
func validationFlags(cf *configFlags, fraction float64, dataset string) (engine.JobRequest, error) {
	var out engine.JobRequest
	set := cf.given()
	if set["eval-fraction"] && set["validation-dataset"] {
		return out, usagef("job create: give --eval-fraction or --validation-dataset, not both (a validation dataset is used instead of a split)")
	}
	if set["base-model"] && *cf.baseModel == "" {
		return out, usagef("job create: --base-model must not be empty (`brightrun models` lists them)")
	}
	if set["eval-fraction"] {
		if err := model.CheckEvalFraction(fraction); err != nil {
			return out, usagef("job create: --eval-fraction: %v", err)
		}
		out.EvalFraction = &fraction
	}
	if set["validation-dataset"] {
		id, err := parseID("validation dataset", dataset)
		if err != nil {
			return out, err
		}
		out.ValidationDatasetID = &id
	}
	return out, nil
}

func runJobList(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job list", &c, true)
	status := fs.String("status", "", "only jobs in this status (queued, initializing, running, finalizing, completed, failed, cancelled)")
	pg := addPager(fs, "jobs", engine.DefaultJobPageSize, engine.MaxJobPageSize)
	page, limit, err := pg.parseList(fs, args)
	if err != nil {
		return err
	}
	if *status != "" {
		if _, err := model.ParseJobStatus(*status); err != nil {
			return usageError{"job list: " + err.Error()}
		}
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		p, err := s.Jobs(ctx, *status, page, limit)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, p)
		}
		tw := newTable(env.Stdout)
		fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tPROGRESS\tGPUS\tDATASET\tEST. COST\tQUEUED")
		for _, j := range p.Jobs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f%%\t%d × %s\t%s\t$%.2f\t%s\n", j.ID, truncate(j.Name, 28), j.Status, j.Progress,
				j.GPUConfig.Count, j.GPUConfig.Type, truncate(j.DatasetName, 24), j.EstimatedTotalCost, j.QueuedAt.Local().Format(time.DateTime))
		}
		tw.Flush()
		for _, j := range p.Jobs {
			if j.SweepID != nil {
				fmt.Fprintf(env.Stdout, "%s is a run of sweep %s (%s)\n", j.ID, termtext.Line(j.SweepName), *j.SweepID)
			}
		}
		for _, j := range p.Jobs {
			if j.WaitingReason != "" {
				fmt.Fprintf(env.Stdout, "%s %s\n", j.ID, j.WaitingReason)
			}
		}
		fmt.Fprintf(env.Stdout, "page %d · %d job(s)\n", p.Page, p.Total)
		return nil
	})
}

func runJobShow(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job show", &c, true)
	id, err := parseOneID(fs, args, "job")
	if err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		j, err := s.Job(ctx, id)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, j)
		}
		printJob(env.Stdout, j)
		return nil
	})
}

// printJob is the human form of a training_jobs row.
func printJob(w io.Writer, j model.Job) {
	h := j.Hyperparameters
	fmt.Fprintf(w, "job       %s (%s)\n", termtext.Line(j.Name), j.ID)
	fmt.Fprintf(w, "status    %s · stage %s · %.0f%%\n", j.Status, termtext.Line(j.CurrentStage), j.Progress)
	fmt.Fprintf(w, "dataset   %s (%s) · %s · %d pairs\n", termtext.Line(j.DatasetName), j.DatasetID, j.DatasetFormat, j.DatasetPairs)
	if j.SweepID != nil {
		fmt.Fprintf(w, "sweep     %s (%s)\n", termtext.Line(j.SweepName), *j.SweepID)
	}
	fmt.Fprintf(w, "model     %s\n", termtext.Line(j.BaseModel))
	fmt.Fprintf(w, "gpus      %d × %s · preset %s · trainer %s\n", j.GPUConfig.Count, j.GPUConfig.Type, j.Preset, trainerText(j.Trainer))
	fmt.Fprintf(w, "validate  %s\n", validationText(j))
	fmt.Fprintf(w, "hyper     lr %g, batch %d, epochs %d, rank %d, alpha %d, dropout %g\n",
		h.LearningRate, h.BatchSize, h.Epochs, h.Rank, h.Alpha, h.Dropout)
	fmt.Fprintf(w, "progress  epoch %d/%d · step %d/%d\n", j.CurrentEpoch, j.TotalEpochs, j.CurrentStep, j.TotalSteps)
	fmt.Fprintf(w, "cost      $%.2f so far · estimated $%.2f", j.CurrentCost, j.EstimatedTotalCost)
	if j.MaxCost != nil {
		fmt.Fprintf(w, " · cap $%.2f", *j.MaxCost)
	}
	if j.FinalCost != nil {
		fmt.Fprintf(w, " · final $%.2f", *j.FinalCost)
	}
	if j.FinalCost != nil && *j.FinalCost < j.EstimatedTotalCost {
		fmt.Fprintf(w, " · $%.2f below the estimate", j.EstimatedTotalCost-*j.FinalCost)
	}
	fmt.Fprintln(w)
	if j.EarlyStoppingPatience > 0 {
		fmt.Fprintf(w, "patience  stop after %d evaluations without a better validation loss\n", j.EarlyStoppingPatience)
	}
	if j.StopReason != "" {
		fmt.Fprintf(w, "stopped   %s\n", termtext.Line(j.StopReason))
	}
	if j.BestCheckpointStep != nil {
		fmt.Fprintf(w, "adapter   from the best checkpoint, step %d\n", *j.BestCheckpointStep)
	}
	fmt.Fprintf(w, "queued    %s\n", j.QueuedAt.Local().Format(time.DateTime))
	if j.WaitingReason != "" {
		fmt.Fprintf(w, "waiting   %s\n", termtext.Line(j.WaitingReason))
	}
	if j.StartedAt != nil {
		fmt.Fprintf(w, "started   %s\n", j.StartedAt.Local().Format(time.DateTime))
	}
	if j.CompletedAt != nil {
		fmt.Fprintf(w, "ended     %s\n", j.CompletedAt.Local().Format(time.DateTime))
	}
	if j.ErrorMessage != "" {
		fmt.Fprintf(w, "problem   %s\n", termtext.Line(j.ErrorMessage))
	}
}

// validationText says how a job is validated: on another dataset, on a
// share held out of its own, or not at all.
func validationText(j model.Job) string {
	switch {
	case j.ValidationDatasetID != nil:
		pairs := 0
		if j.TotalValidationPairs != nil {
			pairs = *j.TotalValidationPairs
		}
		return fmt.Sprintf("on dataset %s · %d pairs", *j.ValidationDatasetID, pairs)
	case j.EvalFraction == nil:
		return fmt.Sprintf("on %g of the dataset held out (the trainer's default)", model.DefaultEvalFraction)
	case *j.EvalFraction == 0:
		return "none (--eval-fraction 0)"
	}
	return fmt.Sprintf("on %g of the dataset held out", *j.EvalFraction)
}

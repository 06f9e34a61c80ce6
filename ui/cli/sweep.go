package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/termtext"
)

func runSweepCreate(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "sweep create", &c, true)
	datasetID := fs.String("dataset", "", "ID of a ready, training-ready dataset (required)")
	name := fs.String("name", "", "sweep name (default: the dataset's name and the time); each run is named after it and its values")
	var req engine.SweepRequest
	addAxisFlags(fs, &req.Axes)
	gpus := fs.Int("gpus", 1, "number of GPUs of every run (1-8)")
	alpha := fs.Int("alpha", 0, "LoRA alpha of every run (default 2 × rank)")
	dropout := fs.Float64("dropout", 0, "LoRA dropout of every run, at least 0 and below 1 (default 0.05)")
	baseModel := fs.String("base-model", "", "base model id from `brightrun models` (default: the catalog's default)")
	trainer := fs.String("trainer", model.DefaultTrainer, "simulated (plays a plausible run, no GPU) or exec (the worker's --exec-trainer command)")
	maxCost := fs.Float64("max-cost", 0, "cost cap of each run in USD (training_jobs.max_cost)")
	maxTotal := fs.Float64("max-total", 0, "refuse the sweep when its runs' estimates add up to more, in USD")
	patience := fs.Int("early-stopping-patience", 0, "stop each run after this many evaluations in a row without a better validation loss, keeping its best checkpoint (0: off)")
	yes := fs.Bool("yes", false, "create without asking")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *datasetID == "" {
		return usagef("sweep create: --dataset ID is required")
	}
	id, err := parseID("dataset", *datasetID)
	if err != nil {
		return err
	}
	if _, err := model.ParseTrainer(*trainer); err != nil {
		return usageError{"sweep create: " + err.Error()}
	}
	set := fs.given()
	for _, f := range []struct {
		name string
		v    float64
		dst  **float64
	}{{"max-cost", *maxCost, &req.Job.MaxCost}, {"max-total", *maxTotal, &req.MaxTotal}} {
		if !set[f.name] {
			continue
		}
		if !(f.v > 0) {
			return usagef("sweep create: --%s %g is out of range: it must be above 0", f.name, f.v)
		}
		*f.dst = &f.v
	}
	if n := req.Axes.Size(); n > model.MaxSweepRuns {
		_, err := req.Axes.Expand(model.HyperOverrides{})
		return usageError{"sweep create: " + err.Error()}
	}
	req.Name = *name
	req.Job = engine.JobRequest{DatasetID: id, GPU: model.GPUConfig{Count: *gpus}, Trainer: *trainer, BaseModel: *baseModel,
		MaxCost: req.Job.MaxCost, EarlyStoppingPatience: *patience}
	if set["alpha"] {
		req.Job.Overrides.Alpha = alpha
	}
	if set["dropout"] {
		req.Job.Overrides.Dropout = dropout
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		plan, err := s.PlanSweep(ctx, req)
		if err != nil {
			return sweepRefused(env, err)
		}
		if !c.json {
			printSweepPlan(env.Stdout, plan)
		}
		if !*yes && stdinIsTerminal(env.Stdin) && !confirmSweep(env, plan) {
			fmt.Fprintln(env.Stderr, "nothing was created")
			return errNegative
		}
		out, err := s.CreateSweep(ctx, req)
		if err != nil {
			return sweepRefused(env, err)
		}
		if c.json {
			return printJSON(env.Stdout, out)
		}
		fmt.Fprintf(env.Stdout, "queued sweep %s (%s): %d job(s), estimated $%.2f in all\n", out.ID, termtext.Line(out.Name), len(out.Jobs), out.EstimatedCostTotal)
		return nil
	})
}

// sweepRefused turns a sweep refused as a whole (a run that cannot be
// created, a total over the cap, a dataset that cannot be trained on) into
// a negative answer: the one-line reason on stderr and exit 1.
func sweepRefused(env Env, err error) error {
	var refused *engine.SweepRefusedError
	if errors.As(err, &refused) {
		fmt.Fprintf(env.Stderr, "brightrun: sweep create: %s; nothing was created\n", oneLine(err.Error()))
		return errNegative
	}
	return notTrainable(env, err)
}

// confirmSweep asks on the terminal before the sweep's jobs are written.
func confirmSweep(env Env, plan engine.SweepLaunch) bool {
	fmt.Fprintf(env.Stderr, "Create %d jobs for %s? [y/N] ", len(plan.Runs), model.Dollars(plan.EstimatedCostTotal))
	answer, _ := bufio.NewReader(env.Stdin).ReadString('\n')
	a := strings.ToLower(strings.TrimSpace(answer))
	return a == "y" || a == "yes"
}

// printSweepPlan prints the grid: one line per run with its values and
// estimate, then the total.
func printSweepPlan(w io.Writer, plan engine.SweepLaunch) {
	fmt.Fprintf(w, "sweep %s: %d run(s)\n", termtext.Line(plan.Name), len(plan.Runs))
	tw := newTable(w)
	fmt.Fprintln(tw, "RUN\tPRESET\tGPUS\tLR\tRANK\tBATCH\tEPOCHS\tEST. COST")
	for i, j := range plan.Runs {
		h := j.Hyperparameters
		fmt.Fprintf(tw, "%d\t%s\t%d × %s\t%g\t%d\t%d\t%d\t$%.2f\n", i+1, model.PresetLabel(j.Preset, h), j.GPUConfig.Count,
			termtext.Line(j.GPUConfig.Type), h.LearningRate, h.Rank, h.BatchSize, h.Epochs, j.EstimatedTotalCost)
	}
	tw.Flush()
	fmt.Fprintf(w, "total estimated cost $%.2f\n", plan.EstimatedCostTotal)
}

func runSweepList(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "sweep list", &c, true)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		list, err := s.Sweeps(ctx)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, map[string]any{"sweeps": list})
		}
		tw := newTable(env.Stdout)
		fmt.Fprintln(tw, "ID\tNAME\tRUNS\tACTIVE\tCREATED")
		for _, sw := range list {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", sw.ID, truncate(sw.Name, 40), sw.Runs, sw.Active, sw.CreatedAt.Local().Format(time.DateTime))
		}
		tw.Flush()
		fmt.Fprintf(env.Stdout, "%d sweep(s)\n", len(list))
		return nil
	})
}

func runSweepShow(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "sweep show", &c, true)
	id, err := parseOneID(fs, args, "sweep")
	if err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		d, err := s.Sweep(ctx, id, 0)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, d)
		}
		printSweep(env.Stdout, d)
		return nil
	})
}

// printSweep prints a sweep and its runs, the leader marked.
func printSweep(w io.Writer, d engine.SweepDetail) {
	fmt.Fprintf(w, "sweep     %s (%s)\n", termtext.Line(d.Name), d.ID)
	fmt.Fprintf(w, "dataset   %s\n", d.DatasetID)
	fmt.Fprintf(w, "cost      $%.2f so far · estimated $%.2f", d.CostTotal, d.EstimatedCostTotal)
	if d.MaxTotal != nil {
		fmt.Fprintf(w, " · max total $%.2f", *d.MaxTotal)
	}
	fmt.Fprintln(w)
	tw := newTable(w)
	fmt.Fprintln(tw, "JOB\tSTATUS\tPRESET\tGPUS\tLR\tRANK\tBATCH\tEPOCHS\tCOST\tVAL BEST\tVAL FINAL\t")
	for _, r := range d.Runs {
		h := r.Hyperparameters
		cost := r.CurrentCost
		if r.FinalCost != nil {
			cost = *r.FinalCost
		}
		mark := ""
		if d.BestJob != nil && *d.BestJob == r.ID {
			mark = "← best"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d × %s\t%g\t%d\t%d\t%d\t$%.2f\t%s\t%s\t%s\n", r.ID, r.Status, r.Preset, r.GPUConfig.Count,
			termtext.Line(r.GPUConfig.Type), h.LearningRate, h.Rank, h.BatchSize, h.Epochs, cost, lossText(r.BestValLoss), lossText(r.FinalValLoss), mark)
	}
	tw.Flush()
	if d.BestJob == nil {
		fmt.Fprintln(w, "best job  none yet: no completed run has a validation loss")
	}
}

func lossText(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.4f", *v)
}

func runSweepCancel(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "sweep cancel", &c, true)
	id, err := parseOneID(fs, args, "sweep")
	if err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		jobs, err := s.CancelSweep(ctx, id)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, map[string]any{"id": id, "cancelled": jobs})
		}
		for _, j := range jobs {
			fmt.Fprintf(env.Stdout, "cancel requested: %s (%s, now %s)\n", j.ID, termtext.Line(j.Name), j.Status)
		}
		fmt.Fprintf(env.Stdout, "%d run(s) of sweep %s cancelled or stopping\n", len(jobs), id)
		return nil
	})
}

package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"brightrun/engine"
	"brightrun/model"
)

func runEstimate(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "estimate", &c, true)
	dataset := fs.String("dataset", "", "dataset ID whose valid examples and tokens to price")
	pairs := fs.Int("pairs", 0, "number of training pairs (valid examples)")
	tokens := fs.Int64("tokens", 0, "total tokens of the dataset")
	presetKey := fs.String("preset", model.DefaultPreset, "preset: fast, balanced or quality")
	gpu := fs.String("gpu", "", "GPU type (default: the catalog's first)")
	gpus := fs.Int("gpus", 1, "number of GPUs (1-8)")
	batch := fs.Int("batch-size", 0, "batch size (1-64), overrides the preset")
	epochs := fs.Int("epochs", 0, "epochs (1-20), overrides the preset")
	lr := fs.Float64("learning-rate", 0, "learning rate (0.00001-0.001), overrides the preset")
	rank := fs.Int("rank", 0, "LoRA rank (4-128), overrides the preset")
	compare := fs.Bool("compare", false, "price every preset on every GPU type")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(fs, pos); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *dataset != "" {
		return usagef("estimate: --dataset needs datasets, which this version does not have yet; use --pairs and --tokens")
	}
	if !set["pairs"] || !set["tokens"] {
		return usagef("estimate: give --pairs N and --tokens N")
	}
	var o model.HyperOverrides
	if set["batch-size"] {
		o.BatchSize = batch
	}
	if set["epochs"] {
		o.Epochs = epochs
	}
	if set["learning-rate"] {
		o.LearningRate = lr
	}
	if set["rank"] {
		o.Rank = rank
	}
	cfg, err := engine.LoadConfig(c.dataDir, env.Getenv)
	if err != nil {
		return err
	}
	catalog, _, err := engine.LoadCatalog(cfg.DataDir)
	if err != nil {
		return err
	}
	if *compare {
		if set["preset"] {
			return usagef("estimate: --compare prices every preset; drop --preset")
		}
		list, err := catalog.Compare(*pairs, *tokens, *gpus, o)
		if err != nil {
			return usageError{err.Error()}
		}
		if c.json {
			return printJSON(env.Stdout, list)
		}
		printCompare(env.Stdout, list)
		return nil
	}
	preset, err := model.PresetByKey(*presetKey)
	if err != nil {
		return usageError{err.Error()}
	}
	gpuType := *gpu
	if gpuType == "" && len(catalog.GPUs) > 0 {
		gpuType = catalog.GPUs[0].Type
	}
	est, err := catalog.Estimate(model.EstimateInput{
		Pairs: *pairs, Tokens: *tokens,
		GPU:             model.GPUConfig{Type: gpuType, Count: *gpus},
		Hyperparameters: preset.Apply(o),
	})
	if err != nil {
		return usageError{err.Error()}
	}
	est.Preset = preset.Key
	if c.json {
		return printJSON(env.Stdout, est)
	}
	printEstimate(env.Stdout, est)
	return nil
}

func printEstimate(w io.Writer, e model.Estimate) {
	h := e.Hyperparameters
	d := e.TrainingDetails
	fmt.Fprintf(w, "%d × %s, preset %s\n", e.GPUConfig.Count, e.GPUConfig.Type, e.Preset)
	fmt.Fprintf(w, "  estimated cost   $%.2f  (compute $%.2f + storage $%.2f)\n", e.EstimatedCost, e.CostBreakdown.Compute, e.CostBreakdown.Storage)
	fmt.Fprintf(w, "  duration         %.2f h at $%.2f/h\n", e.EstimatedDurationHours, e.HourlyRate)
	fmt.Fprintf(w, "  steps            %d per epoch, %d in all\n", d.StepsPerEpoch, d.TotalSteps)
	fmt.Fprintf(w, "  throughput       %.0f tokens/s\n", d.EstimatedThroughputTokensPerSec)
	fmt.Fprintf(w, "  hyperparameters  lr %g, batch %d, epochs %d, rank %d, alpha %d, dropout %g\n",
		h.LearningRate, h.BatchSize, h.Epochs, h.Rank, h.Alpha, h.Dropout)
}

func printCompare(w io.Writer, list []model.Estimate) {
	cheapest := 0
	for i, e := range list {
		if e.EstimatedCost < list[cheapest].EstimatedCost {
			cheapest = i
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "PRESET\tGPU\tCOUNT\tHOURS\tRATE/H\tCOST\t")
	for i, e := range list {
		mark := ""
		if i == cheapest {
			mark = " ← cheapest"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.2f\t$%.2f\t$%.2f\t%s\n", e.Preset, e.GPUConfig.Type, e.GPUConfig.Count,
			e.EstimatedDurationHours, e.HourlyRate, e.EstimatedCost, strings.TrimSpace(mark))
	}
	tw.Flush()
}

package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/termtext"
)

func runEstimate(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "estimate", &c, true)
	dataset := fs.String("dataset", "", "dataset ID whose valid examples and tokens to price")
	pairs := fs.Int("pairs", 0, "number of training pairs (valid examples)")
	tokens := fs.Int64("tokens", 0, "total tokens of the dataset")
	cf := addConfigFlags(fs)
	compare := fs.Bool("compare", false, "price every preset on every GPU type (that can hold --base-model, when given)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	set := cf.given()
	switch {
	case *dataset != "" && (set["pairs"] || set["tokens"]):
		return usagef("estimate: give either --dataset ID or --pairs N and --tokens N, not both")
	case *dataset == "" && (!set["pairs"] || !set["tokens"]):
		return usagef("estimate: give --dataset ID, or --pairs N and --tokens N")
	}
	if *compare && set["preset"] {
		return usagef("estimate: --compare prices every preset; drop --preset")
	}
	if *dataset != "" {
		return estimateDataset(ctx, env, c, *dataset, cf, *compare)
	}
	cfg, err := engine.LoadConfig(c.dataDir, env.Getenv)
	if err != nil {
		return err
	}
	catalog, _, err := engine.LoadCatalog(cfg.DataDir)
	if err != nil {
		return err
	}
	models, _, err := engine.LoadModelCatalog(cfg.DataDir)
	if err != nil {
		return err
	}
	base, err := models.Lookup(*cf.baseModel)
	if err != nil {
		return usageError{"estimate: --base-model: " + err.Error()}
	}
	o := cf.overrides()
	if *compare {
		list, err := catalog.Compare(*pairs, *tokens, *cf.gpus, o)
		if err != nil {
			return usageError{err.Error()}
		}
		if list, err = withModel(env, cf, catalog, base, list); err != nil {
			return err
		}
		return printEstimates(env, c, list)
	}
	preset, err := model.PresetByKey(*cf.preset)
	if err != nil {
		return usageError{err.Error()}
	}
	gpu := cf.gpuConfig()
	if gpu.Type == "" && len(catalog.GPUs) > 0 {
		gpu.Type = catalog.GPUs[0].Type
	}
	// One Estimate call checks pairs, tokens, GPUs and hyperparameters
	// together, so every problem is reported at once.
	est, err := catalog.Estimate(model.EstimateInput{
		Pairs: *pairs, Tokens: *tokens, GPU: gpu, Hyperparameters: preset.Apply(o),
	})
	if err != nil {
		return usageError{err.Error()}
	}
	est.Preset = preset.Key
	list, err := withModel(env, cf, catalog, base, []model.Estimate{est})
	if err != nil {
		return err
	}
	return printEstimates(env, c, list[0])
}

// withModel checks --base-model against the estimates' GPUs when it was
// given, and records it in them: a single estimate whose GPU cannot hold
// the model is a negative answer (exit 1, the reason on stderr); a
// comparison keeps the GPU types that can, and is negative when none can.
// Without the flag the estimates are returned as they are.
func withModel(env Env, cf *configFlags, catalog model.Catalog, base model.BaseModel, list []model.Estimate) ([]model.Estimate, error) {
	if !cf.given()["base-model"] {
		return list, nil
	}
	kept := list[:0:0]
	var refused error
	for _, est := range list {
		g, err := catalog.Lookup(est.GPUConfig.Type)
		if err == nil {
			err = model.CheckModelFits(base, g)
		}
		if err != nil {
			refused = err
			continue
		}
		est.BaseModel = base.ID
		kept = append(kept, est)
	}
	if len(kept) == 0 && refused != nil {
		return nil, notTrainable(env, refused)
	}
	return kept, nil
}

// estimateDataset prices a stored dataset's valid examples and tokens. It
// needs the database; a dataset with nothing to price yet is a negative
// answer (exit 1).
func estimateDataset(ctx context.Context, env Env, c common, rawID string, cf *configFlags, compare bool) error {
	id, err := parseID("dataset", rawID)
	if err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		o := cf.overrides()
		base, err := e.Models().Lookup(*cf.baseModel)
		if err != nil {
			return usageError{"estimate: --base-model: " + err.Error()}
		}
		if !compare {
			est, _, err := s.EstimateForDataset(ctx, id, *cf.preset, cf.gpuConfig(), o)
			if err != nil {
				return notTrainable(env, err)
			}
			list, err := withModel(env, cf, e.Catalog(), base, []model.Estimate{est})
			if err != nil {
				return err
			}
			return printEstimates(env, c, list[0])
		}
		// The preset and GPU type do not matter here: this checks the dataset,
		// the overrides and the count before every preset and GPU is priced.
		_, d, err := s.EstimateForDataset(ctx, id, "", model.GPUConfig{Count: *cf.gpus}, o)
		if err != nil {
			return notTrainable(env, err)
		}
		list, err := e.Compare(d.TotalTrainingPairs, d.TotalTokens, *cf.gpus, o)
		if err != nil {
			return err
		}
		for i := range list {
			list[i].TrainingDetails.DatasetName = d.Name
		}
		if list, err = withModel(env, cf, e.Catalog(), base, list); err != nil {
			return err
		}
		return printEstimates(env, c, list)
	})
}

// printEstimates prints one estimate or a comparison, as JSON or text.
func printEstimates(env Env, c common, v any) error {
	if c.json {
		return printJSON(env.Stdout, v)
	}
	switch v := v.(type) {
	case model.Estimate:
		printEstimate(env.Stdout, v)
	case []model.Estimate:
		printCompare(env.Stdout, v)
	}
	return nil
}

func printEstimate(w io.Writer, e model.Estimate) {
	h := e.Hyperparameters
	d := e.TrainingDetails
	fmt.Fprintf(w, "%d × %s, preset %s\n", e.GPUConfig.Count, termtext.Line(e.GPUConfig.Type), e.Preset)
	if e.BaseModel != "" {
		fmt.Fprintf(w, "  base model       %s\n", termtext.Line(e.BaseModel))
	}
	if d.DatasetName != "" {
		fmt.Fprintf(w, "  dataset          %s\n", termtext.Line(d.DatasetName))
	}
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
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.2f\t$%.2f\t$%.2f\t%s\n", e.Preset, termtext.Line(e.GPUConfig.Type), e.GPUConfig.Count,
			e.EstimatedDurationHours, e.HourlyRate, e.EstimatedCost, strings.TrimSpace(mark))
	}
	tw.Flush()
}

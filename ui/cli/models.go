package cli

import (
	"context"
	"fmt"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/termtext"
)

// modelList is `models --json`: the whole catalog as one page, in the
// shape of every other list.
type modelList struct {
	Models []model.BaseModel `json:"models"`
	Page   int               `json:"page"`
	Total  int               `json:"total"`
}

// runModels lists the base model catalog in force (the data dir's
// models.json or the built-in one). It needs no database.
func runModels(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "models", &c, true)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	cfg, err := engine.LoadConfig(c.dataDir, env.Getenv)
	if err != nil {
		return err
	}
	models, source, err := engine.LoadModelCatalog(cfg.DataDir)
	if err != nil {
		return err
	}
	if c.json {
		return printJSON(env.Stdout, modelList{Models: models.Models, Page: 1, Total: len(models.Models)})
	}
	tw := newTable(env.Stdout)
	fmt.Fprintln(tw, "ID\tNAME\tSIZE\tCONTEXT\tGPU MEMORY\tLICENSE\tDEFAULT")
	for _, m := range models.Models {
		mark := ""
		if m.Default {
			mark = "default"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t≥ %d GB\t%s\t%s\n", termtext.Line(m.ID), termtext.Line(m.Name), m.SizeText(),
			contextText(m.ContextLength), m.MinGPUMemoryGB, termtext.Line(m.License), mark)
	}
	tw.Flush()
	fmt.Fprintf(env.Stdout, "%d model(s) · catalog %s · GPU memory: what LoRA training in bf16 needs on each GPU at batch 1\n",
		len(models.Models), termtext.Line(source))
	return nil
}

// contextText is a context length in tokens, in thousands when round: 32k.
func contextText(n int) string {
	if n >= 1024 && n%1024 == 0 {
		return fmt.Sprintf("%dk", n/1024)
	}
	return fmt.Sprintf("%d", n)
}

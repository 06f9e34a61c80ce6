package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/format"
)

func runJobCheckpoints(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job checkpoints", &c, true)
	pg := addPager(fs, "checkpoints", engine.DefaultCheckpointPageSize, engine.DefaultCheckpointPageSize*10)
	id, err := parseOneID(fs, args, "job")
	if err != nil {
		return err
	}
	page, limit, err := pg.check()
	if err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		p, err := s.JobCheckpoints(ctx, id, page, limit)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, p)
		}
		printCheckpoints(env.Stdout, p)
		return nil
	})
}

// printCheckpoints is the human form of a page of checkpoints: one row
// each, the best marked with a star.
func printCheckpoints(w io.Writer, p engine.CheckpointPage) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tSTEP\tEPOCH\tTRAIN LOSS\tVAL LOSS\tTRAIN ACC\tVAL ACC\tSIZE")
	for _, c := range p.Checkpoints {
		mark := ""
		if c.Best {
			mark = "★"
		}
		fmt.Fprintf(tw, "%s\t%d\t%g\t%s\t%s\t%s\t%s\t%s\n", mark, c.Step, c.Epoch, optFloat(c.TrainLoss, "%.4f"),
			optFloat(c.ValLoss, "%.4f"), optFloat(c.TrainAccuracy, "%.3f"), optFloat(c.ValAccuracy, "%.3f"), format.Bytes(c.SizeBytes))
	}
	tw.Flush()
	fmt.Fprintf(w, "page %d · %d checkpoint(s); ★ best (lowest validation loss, else training loss)\n", p.Page, p.Total)
	for _, c := range p.Checkpoints {
		if c.Simulated {
			fmt.Fprintf(w, "note: %s\n", model.SimulatedNote)
			return
		}
	}
}

// optFloat formats v, or "-" when it is absent.
func optFloat(v *float64, verb string) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf(verb, *v)
}

package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/format"
	"brightrun/ui/termtext"
)

// confirmLaunch shows what a job will cost and asks `Launch? [y/N]` on the
// terminal; anything but y or yes launches nothing (errNegative). It runs
// every check of the launch first (the budget's too), so a job that would
// be refused is refused before the question. The price and question go to
// stderr, so stdout stays the one JSON document with --json.
func confirmLaunch(ctx context.Context, env Env, s *engine.Session, req engine.JobRequest) error {
	p, err := s.PreviewJob(ctx, req)
	if err != nil {
		return err
	}
	printPrice(env.Stderr, p)
	fmt.Fprint(env.Stderr, "Launch? [y/N] ")
	answer, _ := bufio.NewReader(env.Stdin).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return nil
	}
	fmt.Fprintln(env.Stderr, "not launched: nothing was written")
	return errNegative
}

// printPrice is the estimate shown before a launch: cost, duration, GPUs
// and model, and what the cap will do.
func printPrice(w io.Writer, p engine.JobPreview) {
	j, est := p.Job, p.Estimate
	fmt.Fprintf(w, "job       %s\n", termtext.Line(j.Name))
	fmt.Fprintf(w, "model     %s\n", termtext.Line(j.BaseModel))
	fmt.Fprintf(w, "gpus      %d × %s · %s\n", j.GPUConfig.Count, j.GPUConfig.Type, format.Rate(est.HourlyRate))
	fmt.Fprintf(w, "duration  ~%s · %d steps\n", format.Hours(est.EstimatedDurationHours), j.TotalSteps)
	fmt.Fprintf(w, "cost      ~%s\n", format.Money(est.EstimatedCost))
	if j.MaxCost != nil {
		line := fmt.Sprintf("cap       %s", format.Money(*j.MaxCost))
		if model.CapBelowEstimate(est.EstimatedCost, j.MaxCost) {
			line += ": below the estimate, so the run will stop early, cancelled, when its cost reaches the cap"
		}
		fmt.Fprintln(w, line)
	}
}

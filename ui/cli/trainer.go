package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"brightrun/engine"
	"brightrun/ui/termtext"
)

// maxCheckTimeout bounds --timeout and --idle-timeout: a check is a short run.
const maxCheckTimeout = 24 * time.Hour

// runTrainerCheck is `brightrun trainer check`: an exec trainer run the way
// a worker runs it, with no database and no object storage.
func runTrainerCheck(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "trainer check", &c, true)
	command := fs.String("exec-trainer", "", "the trainer command, as given to `brightrun worker --exec-trainer`")
	datasetFile := fs.String("dataset", "", "a JSONL dataset (default: a built-in chat dataset of 43 examples)")
	baseModel := fs.String("base-model", "", "the base model named in the job spec (base_model, BRIGHTRUN_BASE_MODEL): a Hugging Face id or a local path (default: the models catalog's default)")
	timeout := fs.Duration("timeout", 10*time.Minute, "stop a run of the trainer that takes longer than this")
	idle := fs.Duration("idle-timeout", 10*time.Minute, "stop a run of the trainer that prints nothing for this long, as a worker does")
	workDir := fs.String("work-dir", "", "keep the output and checkpoint dirs here (empty or absent; default: a temporary dir, removed)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(*command) == "":
		return usagef("trainer check: --exec-trainer CMD is required")
	case *timeout <= 0 || *timeout > maxCheckTimeout || *idle <= 0 || *idle > maxCheckTimeout:
		return usagef("trainer check: --timeout and --idle-timeout must be between 1ns and %s", maxCheckTimeout)
	}
	o := engine.TrainerCheckOptions{Command: *command, BaseModel: *baseModel, RunTimeout: *timeout, IdleTimeout: *idle,
		WorkDir: *workDir, Stderr: func(line string) { fmt.Fprintf(env.Stderr, "  | %s\n", termtext.Line(line)) }} // the trainer's stderr, as it comes
	if *datasetFile != "" {
		data, err := readDatasetFile(*datasetFile)
		if err != nil {
			return fmt.Errorf("trainer check: %w", err)
		}
		o.Dataset, o.DatasetName = data, *datasetFile
	}
	ctx, stop := interruptible(ctx)
	defer stop()
	rep, err := engine.CheckTrainer(ctx, o)
	if err != nil {
		return fmt.Errorf("trainer check: %w", err)
	}
	if c.json {
		if err := printJSON(env.Stdout, rep); err != nil {
			return err
		}
	} else {
		printTrainerCheck(env.Stdout, *command, rep)
	}
	if !rep.OK {
		return errNegative
	}
	return nil
}

// maxCheckDataset bounds --dataset: the check is a short run, and the file
// is held in memory to be served.
const maxCheckDataset = 256 << 20

func readDatasetFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	switch {
	case err != nil:
		return nil, err
	case st.IsDir():
		return nil, fmt.Errorf("%s is a directory", name)
	case st.Size() > maxCheckDataset:
		return nil, fmt.Errorf("%s is %d bytes: a check takes at most %d", name, st.Size(), maxCheckDataset)
	}
	return io.ReadAll(io.LimitReader(f, maxCheckDataset+1))
}

func printTrainerCheck(w io.Writer, command string, r engine.TrainerCheckReport) {
	fmt.Fprintf(w, "trainer   %s\n", termtext.Line(command))
	fmt.Fprintf(w, "dataset   %s\n", termtext.Line(r.Dataset))
	fmt.Fprintf(w, "model     %s\n", termtext.Line(r.BaseModel))
	if len(r.Log) > 0 {
		fmt.Fprintln(w, "it said:")
		for _, l := range r.Log {
			fmt.Fprintf(w, "  %s\n", termtext.Line(l))
		}
	}
	fmt.Fprintln(w, "checks:")
	for _, c := range r.Checks {
		mark := "ok  "
		switch {
		case c.Skipped:
			mark = "skip"
		case !c.OK:
			mark = "FAIL"
		}
		lines := strings.Split(c.Detail, "\n")
		fmt.Fprintf(w, "  %s  %-9s  %s\n", mark, c.Name, termtext.Line(lines[0]))
		for _, l := range lines[1:] {
			fmt.Fprintf(w, "                   %s\n", termtext.Line(l))
		}
	}
	if r.OutputDir != "" {
		fmt.Fprintf(w, "adapter   %s\n", termtext.Line(r.OutputDir))
	}
	if r.OK {
		fmt.Fprintln(w, "the trainer conforms")
	} else {
		fmt.Fprintln(w, "the trainer does NOT conform")
	}
}

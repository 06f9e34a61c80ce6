package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/format"
	"brightrun/ui/termtext"
)

// The dataset commands that work on stored datasets (everything but
// `dataset validate`, which needs no database).

func parseID(kind, s string) (uuid.UUID, error) {
	id, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return uuid.Nil, usagef("%s ID %q is not a UUID", kind, s)
	}
	return id, nil
}

// parseOneID parses a command whose one argument is the ID of a kind of
// thing, and says so when it is missing, doubled or not a UUID.
func parseOneID(fs *flagSet, args []string, kind string) (uuid.UUID, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return uuid.Nil, err
	}
	if len(pos) != 1 {
		return uuid.Nil, usagef("%s: want exactly one %s ID", fs.Name()[len("brightrun "):], kind)
	}
	return parseID(kind, pos[0])
}

func runDatasetUpload(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "dataset upload", &c, true)
	fs.pathArgsFrom = 0
	name := fs.String("name", "", "dataset name (default: the file name)")
	desc := fs.String("description", "", "description")
	noWait := fs.Bool("no-wait", false, "return once uploaded, without waiting for validation")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("dataset upload: want exactly one FILE")
	}
	if *name == "" && !utf8.ValidString(filepath.Base(pos[0])) {
		// The name would default to the file's, which is no valid text.
		return usagef("dataset upload: the file name %q is not valid UTF-8: give --name", filepath.Base(pos[0]))
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		ctx, stop := interruptible(ctx)
		defer stop()
		bar := newProgressLine(env.Stderr)
		d, err := s.UploadDataset(ctx, pos[0], engine.UploadOptions{Name: *name, Description: *desc, Progress: bar.update})
		bar.done()
		if err != nil {
			return err
		}
		if !*noWait && !c.json {
			fmt.Fprintf(env.Stderr, "uploaded; validating %s …\n", termtext.Line(d.Name))
		}
		return waitAndPrintDataset(ctx, env, c, s, d, !*noWait)
	})
}

// waitAndPrintDataset waits for the dataset's validation when asked to and
// prints it; a dataset that validated but is not training ready is a
// negative answer.
func waitAndPrintDataset(ctx context.Context, env Env, c common, s *engine.Session, d model.Dataset, wait bool) error {
	if wait {
		var err error
		if d, err = s.WaitForDataset(ctx, d.ID); err != nil {
			return err
		}
	}
	if err := printDataset(env, c, d); err != nil {
		return err
	}
	if wait && !d.TrainingReady {
		return errNegative
	}
	return nil
}

func runDatasetUploadURL(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "dataset upload-url", &c, true)
	name := fs.String("name", "", "dataset name (required)")
	desc := fs.String("description", "", "description")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return usagef("dataset upload-url: --name is required")
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		t, err := s.DatasetUploadURL(ctx, *name, *desc)
		if err != nil {
			return err
		}
		warnPortChange(env, s)
		if c.json {
			return printJSON(env.Stdout, t)
		}
		fmt.Fprintf(env.Stdout, "dataset %s (%s) is waiting for its file.\n", termtext.Line(t.Dataset.Name), t.Dataset.ID)
		fmt.Fprintf(env.Stdout, "Upload it from any machine before %s:\n\n  %s\n\n", t.ExpiresAt.Local().Format(time.DateTime), t.Curl)
		fmt.Fprintf(env.Stdout, "then start validation with:\n\n  brightrun dataset confirm %s\n", t.Dataset.ID)
		return nil
	})
}

func runDatasetByID(ctx context.Context, env Env, sub string, args []string) error {
	var c common
	fs := newFlagSet(env, "dataset "+sub, &c, true)
	wait := fs.Bool("wait", false, "wait for validation to end (confirm, revalidate)")
	maxTokens := fs.Int("max-tokens", 0, "revalidate: the too_many_tokens limit (default: the one it was validated with)")
	id, err := parseOneID(fs, args, "dataset")
	if err != nil {
		return err
	}
	if *maxTokens != 0 && sub != "revalidate" {
		return usagef("dataset %s: --max-tokens is for revalidate only", sub)
	}
	if *maxTokens < 0 {
		return usagef("dataset revalidate: --max-tokens %d must be positive", *maxTokens)
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		var d model.Dataset
		switch sub {
		case "show":
			d, err = s.Dataset(ctx, id)
		case "confirm":
			if d, err = s.ConfirmDataset(ctx, id); err == nil && *wait {
				d, err = s.WaitForDataset(ctx, id)
			}
		case "revalidate":
			if d, err = s.RevalidateDatasetLimit(ctx, id, *maxTokens); err == nil && *wait {
				d, err = s.WaitForDataset(ctx, id)
			}
		case "delete":
			if err = s.DeleteDataset(ctx, id); err == nil {
				if c.json {
					return printJSON(env.Stdout, map[string]any{"deleted": id})
				}
				fmt.Fprintf(env.Stdout, "deleted dataset %s\n", id)
				return nil
			}
		}
		if err != nil {
			return err
		}
		return printDataset(env, c, d)
	})
}

func runDatasetList(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "dataset list", &c, true)
	status := fs.String("status", "", "only datasets in this status (uploading, validating, ready, error)")
	pg := addPager(fs, "datasets", 50, 1000)
	page, limit, err := pg.parseList(fs, args)
	if err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		p, err := s.Datasets(ctx, *status, page, limit)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, p)
		}
		fmt.Fprintf(env.Stdout, "%-36s  %-24s  %-10s  %5s  %8s  %10s  %s\n", "ID", "NAME", "STATUS", "READY", "PAIRS", "TOKENS", "SIZE")
		now := time.Now()
		for _, d := range p.Datasets {
			fmt.Fprintf(env.Stdout, "%-36s  %-24s  %-10s  %5v  %8d  %10d  %s", d.ID, truncate(d.Name, 24), d.Status,
				d.TrainingReady, d.TotalTrainingPairs, d.TotalTokens, format.Bytes(d.FileSize))
			// An uploading row says how it waits: a file being sent, or an
			// upload URL still waiting for its file.
			if st := d.UploadState(now); st != "" {
				fmt.Fprintf(env.Stdout, "  %s", st)
			}
			if why := d.NotTrainingReadyWhy(); why != "" && d.Status == model.DatasetReady {
				fmt.Fprintf(env.Stdout, "  not training-ready: %s", why)
			}
			fmt.Fprintln(env.Stdout)
		}
		fmt.Fprintf(env.Stdout, "page %d · %d dataset(s)\n", p.Page, p.Total)
		return nil
	})
}

func printDataset(env Env, c common, d model.Dataset) error {
	if c.json {
		return printJSON(env.Stdout, d)
	}
	w := env.Stdout
	fmt.Fprintf(w, "dataset   %s (%s)\n", termtext.Line(d.Name), d.ID)
	fmt.Fprintf(w, "status    %s", d.Status)
	switch {
	case d.Status == model.DatasetReady && d.TrainingReady:
		fmt.Fprint(w, " · training-ready")
	case d.Status == model.DatasetReady:
		fmt.Fprintf(w, " · not training-ready: %s", d.NotTrainingReadyWhy())
	}
	if st := d.UploadState(time.Now()); st != "" {
		fmt.Fprintf(w, " · %s", st)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "file      %s · %s · %s\n", termtext.Line(d.FileName), format.Bytes(d.FileSize), d.Format)
	if d.ValidatedAt != nil {
		fmt.Fprintf(w, "examples  %d valid · %d tokens · %.1f tokens/example", d.TotalTrainingPairs, d.TotalTokens, d.AvgTokensPerExample)
		if d.MaxTokens > 0 {
			fmt.Fprintf(w, " · limit %d tokens/example", d.MaxTokens)
		}
		fmt.Fprintln(w)
	}
	if d.ErrorMessage != "" {
		fmt.Fprintf(w, "problem   %s\n", termtext.Line(d.ErrorMessage))
	}
	for _, e := range d.FirstErrors(5) {
		fmt.Fprintf(w, "error     %s\n", termtext.Line(e))
	}
	printWarnings(w, d.ReportWarnings())
	printCleanReport(w, d)
	return nil
}

// printWarnings counts the report's warnings by code and lists the first 5
// by line, and says how many assistant messages weight 0 leaves out.
func printWarnings(w io.Writer, r model.DatasetWarnings) {
	if len(r.WarningCounts) > 0 {
		codes, total := model.CountsByCode(r.WarningCounts)
		fmt.Fprintf(w, "warnings  %d (%s)\n", total, codes)
	}
	for _, is := range r.Warnings[:min(5, len(r.Warnings))] {
		fmt.Fprintf(w, "warning   line %d: %s: %s\n", is.Line, is.Code, termtext.Line(is.Message))
	}
	if r.ExcludedByWeight > 0 {
		fmt.Fprintf(w, "weight    %d assistant message(s) left out of training by weight 0\n", r.ExcludedByWeight)
	}
}

// printCleanReport says where a cleaned copy came from and which lines it
// left out, the first 5 by line.
func printCleanReport(w io.Writer, d model.Dataset) {
	r, ok := d.Cleaned()
	if !ok {
		return
	}
	fmt.Fprintf(w, "cleaned   from dataset %s: kept %d of %d lines, dropped %d with errors and %d blank\n",
		d.SourceDatasetID, r.Kept, r.SourceLines, r.Dropped, r.BlankLines)
	for _, is := range r.DroppedLines[:min(5, len(r.DroppedLines))] {
		fmt.Fprintf(w, "dropped   line %d: %s: %s\n", is.Line, is.Code, termtext.Line(is.Message))
	}
}

// truncate is clip for the dataset table: stored text made inert, then
// cut to n runes.
func truncate(s string, n int) string {
	s = termtext.Line(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// progressLine draws "12.0/48.0 MiB 25% · 31.2 MiB/s · ETA 1s" on a
// terminal's stderr, redrawn in place; off a terminal it stays quiet.
type progressLine struct {
	w    io.Writer
	tty  bool
	last time.Time
	drew bool
}

func newProgressLine(w io.Writer) *progressLine {
	f, ok := w.(*os.File)
	tty := false
	if ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progressLine{w: w, tty: tty}
}

func (p *progressLine) update(u engine.UploadProgress) {
	if !p.tty || (time.Since(p.last) < 100*time.Millisecond && u.Sent < u.Total) {
		return
	}
	p.last = time.Now()
	pct := 0.0
	if u.Total > 0 {
		pct = 100 * float64(u.Sent) / float64(u.Total)
	}
	fmt.Fprintf(p.w, "\r\033[Kuploading %s/%s %3.0f%% · %s/s · ETA %s", format.Bytes(u.Sent), format.Bytes(u.Total), pct,
		format.Bytes(int64(u.Rate())), u.ETA().Round(time.Second))
	p.drew = true
}

func (p *progressLine) done() {
	if p.drew {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func runDatasetFromTrainingFile(ctx context.Context, env Env, args []string) error {
	return runDatasetCopy(ctx, env, args, "from-trainingfile", "training file", "dataset name (default: the training file's)",
		func(s *engine.Session, id uuid.UUID, name string) (model.Dataset, error) {
			return s.DatasetFromTrainingFile(ctx, id, name)
		})
}

// runDatasetClean makes a dataset of another's valid lines.
func runDatasetClean(ctx context.Context, env Env, args []string) error {
	return runDatasetCopy(ctx, env, args, "clean", "dataset", `dataset name (default: the source's, with " (clean)")`,
		func(s *engine.Session, id uuid.UUID, name string) (model.Dataset, error) {
			return s.CleanDataset(ctx, id, name)
		})
}

// runDatasetCopy runs a command that makes a new dataset from the thing
// (kind) its one ID names, then waits for its validation unless --no-wait.
func runDatasetCopy(ctx context.Context, env Env, args []string, sub, kind, nameHelp string,
	create func(s *engine.Session, id uuid.UUID, name string) (model.Dataset, error)) error {
	var c common
	fs := newFlagSet(env, "dataset "+sub, &c, true)
	name := fs.String("name", "", nameHelp)
	noWait := fs.Bool("no-wait", false, "return without waiting for validation")
	id, err := parseOneID(fs, args, kind)
	if err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		d, err := create(s, id, *name)
		if err != nil {
			return err
		}
		return waitAndPrintDataset(ctx, env, c, s, d, !*noWait)
	})
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/format"
	"brightrun/ui/termtext"
)

// What a job leaves behind: `job checkpoints` lists its checkpoints, and
// `job download` fetches its adapter or one of its checkpoints to a
// directory, or gives presigned links to fetch them elsewhere.

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

func runJobDownload(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job download", &c, true)
	out := fs.String("out", "", "directory to write the adapter's files into (required unless --urls)")
	urls := fs.Bool("urls", false, "download nothing: print a presigned URL and a curl line per file, to fetch the adapter on another machine")
	expires := fs.Duration("expires", engine.ArtifactURLExpiry, "how long the --urls links stay valid (at most 168h)")
	step := fs.Int("checkpoint", -1, "fetch the checkpoint at this step (`brightrun job checkpoints`) instead of the adapter")
	id, err := parseOneID(fs, args, "job")
	if err != nil {
		return err
	}
	set := fs.given()
	switch {
	case *urls && set["out"]:
		return usagef("job download: --out and --urls exclude each other (--urls writes nothing here)")
	case set["expires"] && !*urls:
		return usagef("job download: --expires goes with --urls")
	case *urls && (*expires < time.Second || *expires > engine.MaxArtifactURLExpiry):
		return usagef("job download: --expires %s is out of range: between 1s and %s", *expires, shortDuration(engine.MaxArtifactURLExpiry))
	case !*urls && *out == "":
		return usagef("job download: --out DIR is required (or --urls to fetch the files on another machine)")
	case *out == stdoutPath:
		return usagef("job download: --out -: an adapter is several files; give a directory")
	case set["checkpoint"] && *step < 0:
		return usagef("job download: --checkpoint %d must be a step, 0 or more", *step)
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		if *urls {
			return printDownloadURLs(ctx, env, c, s, id, *step, *expires)
		}
		a, paths, err := downloadAdapterOrCheckpoint(ctx, s, id, *step, *out)
		if errors.Is(err, engine.ErrNoArtifact) || errors.Is(err, engine.ErrNoCheckpoint) {
			fmt.Fprintf(env.Stderr, "brightrun: %s\n", oneLine(err.Error()))
			return errNegative
		}
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, map[string]any{"job_id": id, "artifact": a, "files": paths})
		}
		fmt.Fprintf(env.Stdout, "downloaded %q (%s, %d files, %d bytes) to %s\n", a.Name, termtext.Line(a.Format), len(paths), a.FileSize, termtext.Line(*out))
		if a.Metadata.Simulated {
			fmt.Fprintf(env.Stdout, "note: %s\n", model.SimulatedNote)
		}
		for _, p := range paths {
			fmt.Fprintf(env.Stdout, "  %s\n", termtext.Line(p))
		}
		return nil
	})
}

// downloadAdapterOrCheckpoint writes the job's adapter (step < 0) or its
// checkpoint at step into out, returning what it fetched.
func downloadAdapterOrCheckpoint(ctx context.Context, s *engine.Session, id uuid.UUID, step int, out string) (model.Artifact, []string, error) {
	if step >= 0 {
		return s.DownloadCheckpoint(ctx, id, step, out)
	}
	paths, err := s.DownloadArtifact(ctx, id, out)
	if err != nil {
		return model.Artifact{}, paths, err
	}
	arts, err := s.JobArtifacts(ctx, id)
	if err != nil || len(arts) == 0 {
		return model.Artifact{}, paths, err
	}
	return arts[0], paths, nil
}

// printDownloadURLs is `job download --urls`: the links of the job's
// adapter, for an operator on SSH or a script on another machine. A job
// without an adapter is a negative answer (exit 1), as a download's is.
func printDownloadURLs(ctx context.Context, env Env, c common, s *engine.Session, id uuid.UUID, step int, expiry time.Duration) error {
	var u engine.ArtifactURLs
	var err error
	if step >= 0 {
		u, err = s.CheckpointDownloadURLs(ctx, id, step, expiry)
	} else {
		u, err = s.ArtifactDownloadURLs(ctx, id, expiry)
	}
	if errors.Is(err, engine.ErrNoArtifact) || errors.Is(err, engine.ErrNoCheckpoint) {
		fmt.Fprintf(env.Stderr, "brightrun: %s\n", oneLine(err.Error()))
		return errNegative
	}
	if err != nil {
		return err
	}
	warnPortChange(env, s)
	if c.json {
		return printJSON(env.Stdout, u)
	}
	writeDownloadURLs(env.Stdout, u, expiry)
	return nil
}

// writeDownloadURLs prints the links: what they fetch and for how long,
// the one command for every file, each file with its size, SHA-256, URL
// and curl line, and the checksums in sha256sum's format.
func writeDownloadURLs(w io.Writer, u engine.ArtifactURLs, expiry time.Duration) {
	a := u.Artifact
	var total int64
	for _, f := range u.Files {
		total += f.Size
	}
	fmt.Fprintf(w, "adapter %q (%s, %d files, %s) of job %s\n", a.Name, termtext.Line(a.Format), len(u.Files), format.Bytes(total), u.JobID)
	if a.Metadata.Simulated {
		fmt.Fprintf(w, "note: %s\n", model.SimulatedNote)
	}
	fmt.Fprintf(w, "The links are valid for %s, until %s; anyone holding one can fetch that file until then.\n\n",
		shortDuration(expiry), u.ExpiresAt.Local().Format("2006-01-02 15:04:05 MST"))
	fmt.Fprintf(w, "Fetch every file into ./%s:\n\n  %s\n\n", u.Dir, u.Command)
	fmt.Fprintln(w, "Each file:")
	for _, f := range u.Files {
		fmt.Fprintf(w, "\n  %s  %s (%d bytes)\n  sha256 %s\n  %s\n  %s\n", termtext.Line(f.Name), format.Bytes(f.Size), f.Size, f.SHA256, f.URL, f.Curl)
	}
	fmt.Fprintf(w, "\nCheck them in ./%s with sha256sum -c (shasum -a 256 -c on macOS) on these lines:\n\n", u.Dir)
	for _, f := range u.Files {
		fmt.Fprintf(w, "%s  %s\n", f.SHA256, termtext.Line(f.Name))
	}
}

// shortDuration is a duration without its zero tails: 1h, 1h30m, 168h.
func shortDuration(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/termtext"
)

// maxComparePoints bounds --points; 0 (every point) covers longer series.
const maxComparePoints = 100_000

// defaultComparePoints is how many points a series of `job compare --json`
// holds unless --points says otherwise: enough to plot, small to read.
const defaultComparePoints = 200

func runJobCompare(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job compare", &c, true)
	points := fs.Int("points", defaultComparePoints, "with --json, at most this many points per series (0: every point)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *points < 0 || *points > maxComparePoints {
		return usagef("job compare: --points %d is out of range: give 0 (every point) or up to %d", *points, maxComparePoints)
	}
	ids := make([]uuid.UUID, 0, len(pos))
	for _, p := range pos {
		id, err := parseID("job", p)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := model.CheckCompareIDs(ids); err != nil {
		return usageError{"job compare: " + err.Error()}
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		cmp, err := s.CompareJobs(ctx, ids, *points)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, cmp)
		}
		printComparison(env.Stdout, cmp)
		return nil
	})
}

// printComparison is the table of a comparison, one column per job: a
// setting whose values differ is marked ≠, each value unlike the most
// common one *, and the lowest loss (best).
func printComparison(w io.Writer, cmp model.Comparison) {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	head, ids := []string{""}, []string{""}
	for i, j := range cmp.Jobs {
		head = append(head, fmt.Sprintf("%d %s", i+1, truncate(j.Name, 32)))
		ids = append(ids, j.ID.String())
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	fmt.Fprintln(tw, strings.Join(ids, "\t"))
	for _, r := range cmp.Rows {
		mark := "  "
		if r.Differs {
			mark = "≠ "
		}
		cells := []string{mark + termtext.Line(r.Label)}
		for i, v := range r.Values {
			switch {
			case r.Unlike(i):
				v += " *"
			case r.Best == i:
				v += " (best)"
			}
			cells = append(cells, termtext.Line(v))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	fmt.Fprintln(w, "≠ a setting that differs (* the values unlike the others) · (best) the lowest loss · losses are final / best")
	for i, j := range cmp.Jobs {
		if j.Series == nil || j.Series.Empty() {
			fmt.Fprintf(w, "job %d (%s, %s): waiting for metrics\n", i+1, j.ID, j.Status)
		}
	}
}

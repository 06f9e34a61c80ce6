package cli

import (
	"context"
	"fmt"
	"sort"

	"brightrun/ui/termtext"
)

func runStatus(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "status", &c, true)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(fs, pos); err != nil {
		return err
	}
	e, s, err := openSession(ctx, env, c)
	if err != nil {
		return err
	}
	defer e.Close()
	st := s.Status(ctx)
	if c.json {
		if err := printJSON(env.Stdout, st); err != nil {
			return err
		}
	} else {
		w := env.Stdout
		fmt.Fprintf(w, "mode      %s\n", st.Mode)
		fmt.Fprintf(w, "user      %s\n", termtext.Line(st.User))
		fmt.Fprintf(w, "data dir  %s\n", termtext.Line(st.DataDir))
		fmt.Fprintf(w, "postgres  %s\n", stateLine(st.Postgres.OK, "PostgreSQL "+st.Postgres.Version, st.Postgres.Error))
		fmt.Fprintf(w, "s3        %s\n", stateLine(st.S3.OK, st.S3.Endpoint, st.S3.Error))
		fmt.Fprintf(w, "catalog   %s\n", e.CatalogSource())
		keys := make([]string, 0, len(st.Counts))
		for k := range st.Counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %-22s %d\n", k, st.Counts[k])
		}
	}
	if !st.Postgres.OK || !st.S3.OK {
		return errNegative
	}
	return nil
}

func stateLine(ok bool, what, errText string) string {
	if ok {
		return "ok    " + what
	}
	return "DOWN  " + termtext.Line(errText)
}

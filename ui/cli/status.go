package cli

import (
	"context"
	"fmt"
	"sort"

	"brightrun/engine"
	"brightrun/ui/format"
	"brightrun/ui/termtext"
)

// runStatus shows the servers, the operator and the data dir. A server that
// is down is a negative answer (exit 1) with the status still printed, the
// down server and why; only a configuration that cannot be read, a data dir
// that cannot be written or local services that cannot be started are
// environment errors (exit 2).
func runStatus(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "status", &c, true)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	cfg, err := engine.LoadConfig(c.dataDir, env.Getenv)
	if err != nil {
		return err
	}
	if _, err := openLog(cfg.DataDir); err != nil {
		return err
	}
	e, s, err := openSession(ctx, env, c)
	if err != nil {
		if cfg.Mode != engine.ModeShared {
			return err
		}
		st := engine.ProbeStatus(ctx, cfg)
		if st.Postgres.OK && st.S3.OK {
			return err // both answer: the failure is not a server being down
		}
		st.User = operatorName(env)
		_, source, _ := engine.LoadCatalog(cfg.DataDir)
		if err := printStatus(env, c, st, source); err != nil {
			return err
		}
		return errNegative
	}
	defer e.Close()
	st := s.Status(ctx)
	if err := printStatus(env, c, st, e.CatalogSource()); err != nil {
		return err
	}
	if !st.Postgres.OK || !st.S3.OK {
		return errNegative
	}
	return nil
}

func printStatus(env Env, c common, st engine.Status, catalogSource string) error {
	if c.json {
		return printJSON(env.Stdout, st)
	}
	w := env.Stdout
	fmt.Fprintf(w, "mode      %s\n", st.Mode)
	fmt.Fprintf(w, "user      %s\n", termtext.Line(st.User))
	fmt.Fprintf(w, "data dir  %s\n", termtext.Line(st.DataDir))
	fmt.Fprintf(w, "postgres  %s\n", stateLine(st.Postgres.OK, "PostgreSQL "+st.Postgres.Version, st.Postgres.Error))
	fmt.Fprintf(w, "s3        %s\n", stateLine(st.S3.OK, st.S3.Endpoint, st.S3.Error))
	if st.S3.Note != "" {
		fmt.Fprintf(w, "          warning: %s\n", termtext.Line(st.S3.Note))
	}
	if st.Budget != nil {
		fmt.Fprintf(w, "budget    %s\n", format.BudgetLine(*st.Budget))
	}
	fmt.Fprintf(w, "catalog   %s\n", catalogSource)
	keys := make([]string, 0, len(st.Counts))
	for k := range st.Counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %-22s %d\n", k, st.Counts[k])
	}
	return nil
}

func stateLine(ok bool, what, errText string) string {
	if ok {
		return "ok    " + what
	}
	return "DOWN  " + termtext.Line(oneLine(errText))
}

// warnPortChange puts the port-change warning on stderr next to presigned
// URLs (in --json mode too, where stdout is the document), so whoever holds
// older links knows why they fail.
func warnPortChange(env Env, s *engine.Session) {
	if n := s.S3PortNotice(); n != "" {
		fmt.Fprintf(env.Stderr, "brightrun: warning: %s\n", n)
	}
}

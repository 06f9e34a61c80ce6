package cli

import (
	"context"
	"io"

	"brightrun/engine"
	"brightrun/model"
)

// runJobMetrics is `job metrics ID`: every metrics point of the job, as
// CSV (with a header line) or JSON lines, on stdout or into --out FILE.
func runJobMetrics(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "job metrics", &c, false)
	format := fs.String("format", model.MetricsCSV, "csv (with a header line) or jsonl")
	out := fs.String("out", stdoutPath, "local file to write (- for stdout)")
	id, err := parseOneID(fs, args, "job")
	if err != nil {
		return err
	}
	if err := model.CheckMetricsFormat(*format); err != nil {
		return usagef("job metrics: --%s", err)
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		return writeOut(env, *out,
			func(path string) (int64, error) {
				_, n, err := s.ExportJobMetrics(ctx, id, *format, path)
				return n, err
			},
			func(w io.Writer) (int64, error) { return s.ExportJobMetricsTo(ctx, id, *format, w) })
	})
}

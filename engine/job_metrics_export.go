package engine

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/uuid"

	"brightrun/model"
)

// ExportJobMetrics writes every metrics point of a job in format (csv or
// jsonl) to outPath through WriteLocalFile; an empty outPath is the data
// dir's exports folder, <job name>-<id>-metrics.<format>. It returns the
// path written and its size.
func (s *Session) ExportJobMetrics(ctx context.Context, id uuid.UUID, format, outPath string) (string, int64, error) {
	if err := model.CheckMetricsFormat(format); err != nil {
		return "", 0, err
	}
	j, err := s.Job(ctx, id)
	if err != nil {
		return "", 0, err
	}
	if outPath == "" {
		dir := filepath.Join(s.e.cfg.DataDir, "exports")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", 0, fmt.Errorf("export metrics: %w", err)
		}
		outPath = filepath.Join(dir, fmt.Sprintf("%s-%s-metrics.%s", strings.TrimSuffix(AdapterDirName(j.Name), "-adapter"), j.ID.String()[:8], format))
	}
	n, err := s.exportJobMetrics(ctx, id, format, toLocalFile(outPath))
	return outPath, n, err
}

// ExportJobMetricsTo writes the same bytes as ExportJobMetrics to w (the
// CLI's --out -).
func (s *Session) ExportJobMetricsTo(ctx context.Context, id uuid.UUID, format string, w io.Writer) (int64, error) {
	return s.exportJobMetrics(ctx, id, format, toStream(w))
}

func (s *Session) exportJobMetrics(ctx context.Context, id uuid.UUID, format string, out exportSink) (int64, error) {
	points, err := s.JobMetrics(ctx, id, 0)
	if err != nil {
		return 0, err
	}
	return out(func(w io.Writer) (int64, error) { return model.WriteMetrics(w, format, points) })
}

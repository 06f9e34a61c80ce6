package engine

import (
	"context"
	"io/fs"
)

// SeedDemoFrom seeds from other files than the embedded ones, so tests can
// seed small fixtures.
func (s *Session) SeedDemoFrom(ctx context.Context, refFS fs.FS, refDir string, convFS fs.FS, convDir string) (DemoResult, error) {
	return s.seedDemo(ctx, refFS, refDir, convFS, convDir)
}

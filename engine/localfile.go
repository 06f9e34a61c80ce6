package engine

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeFileAtomic writes a local file through a temporary file in the same
// directory, renamed over path only after write succeeded and the data is
// on disk: an export that fails half-way leaves no half-written file, and
// an existing file is replaced whole or not at all.
func writeFileAtomic(path string, write func(w io.Writer) (int64, error)) (int64, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("export to %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	n, err := write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return 0, fmt.Errorf("export to %s: %w", path, err)
	}
	return n, nil
}

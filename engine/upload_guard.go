package engine

import (
	"fmt"
	"io/fs"
	"os"
)

// fileChanged reports a dataset file that changed while it was uploaded:
// its size or modification time now differ from what was stat'ed before the
// first byte was sent. The upload sends the size stat'ed first, so a file
// appended to would be stored cut short and one truncated would fail with
// the server's complaint; either way what was stored is not the file.
// f is the open file, so a file renamed over the path does not count: the
// bytes sent are the open file's.
func fileChanged(path string, f *os.File, before fs.FileInfo) error {
	now, err := f.Stat()
	if err != nil {
		return fmt.Errorf("dataset upload: %s: %w", path, err)
	}
	switch {
	case now.Size() != before.Size():
		return fmt.Errorf("dataset upload: %s changed while it was being uploaded (size %d → %d bytes); nothing was kept",
			path, before.Size(), now.Size())
	case !now.ModTime().Equal(before.ModTime()):
		return fmt.Errorf("dataset upload: %s changed while it was being uploaded (modified at %s); nothing was kept",
			path, now.ModTime().UTC().Format("15:04:05.000"))
	}
	return nil
}

// fileKind names what a non-regular file is, for an error.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	}
	return "mode " + m.String()
}

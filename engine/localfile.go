package engine

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// maxSymlinkHops bounds the links followed from an --out path, as the
// kernel's own ELOOP limit does: a loop of links is an error, not a hang.
const maxSymlinkHops = 40

// WriteLocalFile writes an export to path the way cp and curl -o do, and
// is the one way Brightrun writes a file an operator named:
//   - a symbolic link is followed and its target written (a dangling link
//     creates its target), so the link stays a link;
//   - a FIFO, a character or block device or a socket is written as a
//     stream, opened without truncation and never replaced: writing
//     --out /dev/null as root must not turn the device into a file;
//   - a directory is an error;
//   - a regular file or a new path is written through a temporary file in
//     the real directory of the target, synced and renamed over it only when
//     write succeeded, so an export that fails half-way leaves the old file
//     (or none) and no temporary file behind.
//
// write gets the destination and returns the bytes it wrote; its error
// aborts the export.
func WriteLocalFile(path string, write func(w io.Writer) (int64, error)) (int64, error) {
	if path == "" {
		return 0, errors.New("export: no file named")
	}
	if os.IsPathSeparator(path[len(path)-1]) {
		return 0, fmt.Errorf("export to %s: it names a directory; name a file in it", path)
	}
	target, info, err := resolveLocalFile(path)
	if err != nil {
		return 0, fmt.Errorf("export to %s: %w", path, err)
	}
	var n int64
	switch {
	case info == nil || info.Mode().IsRegular():
		n, err = writeReplacing(target, write)
	case info.IsDir():
		return 0, fmt.Errorf("export to %s: it is a directory; name a file in it", path)
	default:
		n, err = writeStream(target, write)
	}
	if err != nil {
		return 0, fmt.Errorf("export to %s: %w", path, err)
	}
	return n, nil
}

// resolveLocalFile follows path's symbolic links to the file they name,
// returning it, in its real directory, and what it is (nil when it does not
// exist yet). The directory is resolved first at each step: a relative
// link's ".." is read from where the link really is, as the kernel does.
func resolveLocalFile(path string) (string, fs.FileInfo, error) {
	for hops := 0; ; hops++ {
		dir, err := filepath.EvalSymlinks(filepath.Dir(path))
		if err != nil {
			return "", nil, err
		}
		path = filepath.Join(dir, filepath.Base(path))
		info, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil, nil
		}
		if err != nil {
			return "", nil, err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return path, info, nil
		}
		if hops == maxSymlinkHops {
			return "", nil, errors.New("too many levels of symbolic links")
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", nil, err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(dir, link)
		}
		path = link
	}
}

// writeReplacing writes a regular file or a new one through a temporary
// file beside it, renamed into place when complete.
func writeReplacing(path string, write func(w io.Writer) (int64, error)) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, err
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
		// A replaced file keeps its permissions, as cp does.
		mode := os.FileMode(0o644)
		if old, serr := os.Stat(path); serr == nil {
			mode = old.Mode().Perm()
		}
		err = os.Chmod(tmp.Name(), mode)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return n, err
}

// writeStream writes into something that is not a regular file: it is
// opened as it is, without O_TRUNC or O_CREATE, and is never replaced.
func writeStream(path string, write func(w io.Writer) (int64, error)) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	n, err := write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

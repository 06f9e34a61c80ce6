package engine_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"brightrun/engine"
)

func writeString(s string) func(io.Writer) (int64, error) {
	return func(w io.Writer) (int64, error) {
		n, err := io.WriteString(w, s)
		return int64(n), err
	}
}

// TestWriteLocalFile: what is at the path decides how it is written, and
// nothing but a regular file (or nothing) is ever replaced.
func TestWriteLocalFile(t *testing.T) {
	cases := []struct {
		name string
		// setup prepares dir and returns the --out path and the file whose
		// content must become "new".
		setup   func(t *testing.T, dir string) (out, content string)
		wantErr string
		// check asserts what the path is afterwards.
		check func(t *testing.T, out string)
	}{
		{
			name: "new path",
			setup: func(t *testing.T, dir string) (string, string) {
				p := filepath.Join(dir, "new.json")
				return p, p
			},
			check: isRegular,
		},
		{
			name: "regular file is replaced",
			setup: func(t *testing.T, dir string) (string, string) {
				p := filepath.Join(dir, "old.json")
				mustWrite(t, p, "old content, longer than the new")
				return p, p
			},
			check: isRegular,
		},
		{
			name: "relative symlink writes its target",
			setup: func(t *testing.T, dir string) (string, string) {
				target := filepath.Join(dir, "sub", "target")
				mustWrite(t, target, "old")
				link := filepath.Join(dir, "link")
				mustSymlink(t, filepath.Join("sub", "target"), link)
				return link, target
			},
			check: isSymlink,
		},
		{
			name: "chain of symlinks, one dangling at the end",
			setup: func(t *testing.T, dir string) (string, string) {
				target := filepath.Join(dir, "made")
				mustSymlink(t, target, filepath.Join(dir, "l2"))
				mustSymlink(t, "l2", filepath.Join(dir, "l1"))
				return filepath.Join(dir, "l1"), target
			},
			check: isSymlink,
		},
		{
			name: "symlink through a linked directory resolves .. where it really is",
			setup: func(t *testing.T, dir string) (string, string) {
				real := filepath.Join(dir, "a", "b")
				if err := os.MkdirAll(real, 0o755); err != nil {
					t.Fatal(err)
				}
				mustSymlink(t, real, filepath.Join(dir, "alias"))
				mustSymlink(t, "../up", filepath.Join(real, "link"))
				return filepath.Join(dir, "alias", "link"), filepath.Join(dir, "a", "up")
			},
			check: isSymlink,
		},
		{
			name: "directory is refused",
			setup: func(t *testing.T, dir string) (string, string) {
				return dir, ""
			},
			wantErr: "is a directory",
		},
		{
			name: "trailing slash is refused",
			setup: func(t *testing.T, dir string) (string, string) {
				return filepath.Join(dir, "x") + "/", ""
			},
			wantErr: "names a directory",
		},
		{
			name: "symlink loop is an error",
			setup: func(t *testing.T, dir string) (string, string) {
				mustSymlink(t, "b", filepath.Join(dir, "a"))
				mustSymlink(t, "a", filepath.Join(dir, "b"))
				return filepath.Join(dir, "a"), ""
			},
			wantErr: "too many levels of symbolic links",
		},
		{
			name: "missing directory is an error",
			setup: func(t *testing.T, dir string) (string, string) {
				return filepath.Join(dir, "nope", "f"), ""
			},
			wantErr: "no such file or directory",
		},
		{
			name: "character device is written, not replaced",
			setup: func(t *testing.T, dir string) (string, string) {
				return os.DevNull, ""
			},
			check: func(t *testing.T, out string) {
				if fi, err := os.Stat(out); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
					t.Fatalf("%s is no longer a character device: %v %v", out, fi.Mode(), err)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			out, content := c.setup(t, dir)
			n, err := engine.WriteLocalFile(out, writeString("new"))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.Contains(err.Error(), out) {
					t.Fatalf("err %v, want one naming %s and saying %q", err, out, c.wantErr)
				}
				return
			}
			if err != nil || n != 3 {
				t.Fatalf("write: %d, %v", n, err)
			}
			if content != "" {
				if got, _ := os.ReadFile(content); string(got) != "new" {
					t.Fatalf("%s holds %q, want %q", content, got, "new")
				}
				noTempFiles(t, filepath.Dir(content))
			}
			c.check(t, out)
		})
	}
}

// TestWriteLocalFileFailureKeepsTheOldFile: a write that fails leaves the
// old file as it was and no temporary file, through a symlink too.
func TestWriteLocalFileFailureKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	mustWrite(t, target, "old")
	link := filepath.Join(dir, "link")
	mustSymlink(t, target, link)
	boom := errors.New("boom")
	_, err := engine.WriteLocalFile(link, func(w io.Writer) (int64, error) {
		io.WriteString(w, "half")
		return 4, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want boom", err)
	}
	if got, _ := os.ReadFile(target); string(got) != "old" {
		t.Fatalf("target holds %q after a failed write", got)
	}
	noTempFiles(t, dir)
}

// TestWriteLocalFileFIFO: a FIFO gets the stream and stays a FIFO.
func TestWriteLocalFileFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- string(b)
	}()
	if _, err := engine.WriteLocalFile(fifo, writeString("streamed")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "streamed" {
		t.Fatalf("read %q from the FIFO", s)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO was replaced: %v %v", fi.Mode(), err)
	}
}

func mustWrite(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func isRegular(t *testing.T, p string) {
	t.Helper()
	if fi, err := os.Lstat(p); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("%s is not a regular file: %v", p, err)
	}
}

func isSymlink(t *testing.T, p string) {
	t.Helper()
	if fi, err := os.Lstat(p); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symlink: %v", p, err)
	}
}

func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Fatalf("temporary file left: %s", e.Name())
		}
	}
}

// TestWriteLocalFileKeepsTheModeOfWhatItReplaces: a replaced file keeps its
// permissions (a 0600 export stays private), a new one is 0644.
func TestWriteLocalFileKeepsTheModeOfWhatItReplaces(t *testing.T) {
	dir := t.TempDir()
	private := filepath.Join(dir, "private")
	mustWrite(t, private, "old")
	if err := os.Chmod(private, 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(dir, "fresh")
	for path, want := range map[string]os.FileMode{private: 0o600, fresh: 0o644} {
		if _, err := engine.WriteLocalFile(path, func(w io.Writer) (int64, error) {
			n, err := io.WriteString(w, "new")
			return int64(n), err
		}); err != nil {
			t.Fatal(err)
		}
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", filepath.Base(path), info.Mode().Perm(), err, want)
		}
	}
}

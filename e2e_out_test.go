package main_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestE2EExportOutFollowsWhatIsThere: --out writes as cp and curl -o do. A
// symlink stays a link and its target gets the bytes, a FIFO is streamed
// into and stays a FIFO, a device stays a device, a directory is refused,
// and - is stdout.
func TestE2EExportOutFollowsWhatIsThere(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_USER=exporter"}
	export := func(out string) result {
		return run(t, env, "conversations", "export", "bf236b29-8768-4f91-972e-b6ff3e903c9f", "--flavour", "raw", "--out", out, "--data-dir", d)
	}

	// - is stdout, and nothing else is printed there.
	r := export("-")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "{") || strings.Contains(r.stdout, "wrote ") {
		t.Fatalf("--out -: exit %d, stdout %.80q, stderr %s", r.code, r.stdout, r.stderr)
	}
	want := r.stdout

	dir := t.TempDir()
	target := filepath.Join(dir, "real", "target.json")
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(filepath.Join("real", "target.json"), link); err != nil {
		t.Fatal(err)
	}
	if r := export(link); r.code != 0 {
		t.Fatalf("symlink: exit %d %s", r.code, r.stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the symlink was replaced: %v %v", fi.Mode(), err)
	}
	if got, _ := os.ReadFile(target); string(got) != want {
		t.Fatalf("the link's target has %d bytes, want the export's %d", len(got), len(want))
	}
	entries, _ := os.ReadDir(filepath.Dir(target))
	if len(entries) != 1 {
		t.Fatalf("temporary files left beside the target: %v", entries)
	}

	// A dangling link creates its target.
	dangling := filepath.Join(dir, "dangling.json")
	newTarget := filepath.Join(dir, "real", "new.json")
	if err := os.Symlink(newTarget, dangling); err != nil {
		t.Fatal(err)
	}
	if r := export(dangling); r.code != 0 {
		t.Fatalf("dangling symlink: exit %d %s", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(newTarget); string(got) != want {
		t.Fatalf("the dangling link's target has %d bytes, want %d", len(got), len(want))
	}

	// A FIFO is streamed into and stays a FIFO.
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	read := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo) // blocks until the export opens it
		if err != nil {
			read <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		read <- b
	}()
	if r := export(fifo); r.code != 0 {
		t.Fatalf("fifo: exit %d %s", r.code, r.stderr)
	}
	if got := <-read; !bytes.Equal(got, []byte(want)) {
		t.Fatalf("read %d bytes from the FIFO, want %d", len(got), len(want))
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO was replaced: %v %v", fi.Mode(), err)
	}

	// A device is written, never replaced (as root a rename would have
	// turned /dev/null into a file).
	if r := export(os.DevNull); r.code != 0 {
		t.Fatalf("/dev/null: exit %d %s", r.code, r.stderr)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a character device: %v %v", fi.Mode(), err)
	}

	// A directory is a usage error (exit 2), one line.
	r = export(dir)
	if r.code != 2 || !strings.Contains(r.stderr, "is a directory") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Fatalf("directory: exit %d, stderr %q", r.code, r.stderr)
	}

	// trainingfile export goes through the same helper.
	r = run(t, env, "trainingfile", "create", "--name", "out", "--conversations", "bf236b29-8768-4f91-972e-b6ff3e903c9f", "--json", "--data-dir", d)
	var tf struct {
		ID string `json:"id"`
	}
	decode(t, r, &tf)
	if r := run(t, env, "trainingfile", "build", tf.ID, "--data-dir", d); r.code != 0 {
		t.Fatalf("build: exit %d %s", r.code, r.stderr)
	}
	r = run(t, env, "trainingfile", "export", tf.ID, "--format", "jsonl", "--out", "-", "--data-dir", d)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "{") {
		t.Fatalf("trainingfile export --out -: exit %d, stdout %.80q, stderr %s", r.code, r.stdout, r.stderr)
	}
	jsonl := r.stdout
	if r := run(t, env, "trainingfile", "export", tf.ID, "--format", "jsonl", "--out", link, "--data-dir", d); r.code != 0 {
		t.Fatalf("trainingfile export to a symlink: exit %d %s", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(target); string(got) != jsonl {
		t.Fatalf("the link's target has %d bytes, want the JSONL's %d", len(got), len(jsonl))
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("trainingfile export replaced the symlink: %v %v", fi.Mode(), err)
	}
}

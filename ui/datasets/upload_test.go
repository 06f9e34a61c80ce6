package datasets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
)

// uploadDir holds what the picker is tested on: a dataset of 12.3 MiB, a
// file over the limit and a file that is not JSONL. The big ones are sparse,
// so they cost no disk.
func uploadDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	sized := func(name string, size int64) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
	}
	sized("big.jsonl", model.MaxDatasetBytes+1<<20)
	sized("notes.txt", 2)
	sized("support.jsonl", 12_897_484)
	return dir
}

// openPicker presses u and waits for the directory to be listed.
func openPicker(t *testing.T, l *loop, dir string) {
	t.Helper()
	l.m.startDir = dir
	l.press("u")
	l.until("the files", func() bool { return strings.Contains(l.m.View(), "support.jsonl") })
}

func TestPickerRefusesBeforeSending(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newLoaded(t, b, 80, 24)
	l := newLoop(t, m)
	dir := uploadDir(t)
	openPicker(t, l, dir)
	if !m.InputFocused() {
		t.Error("the picker left q and digits to the shell")
	}
	v := ansi.Strip(m.View())
	uitest.Holds(t, "picker", v, "Upload a dataset", "Showing .jsonl files", dir, "big.jsonl", "notes.txt", "support.jsonl")
	// The first file is over the limit: refused, nothing sent.
	l.press("enter")
	l.until("the refusal", func() bool { return m.pick.problem != "" })
	if want := "big.jsonl is 501.0 MiB, over the 500 MiB limit; nothing was sent"; m.pick.problem != want {
		t.Errorf("problem %q, want %q", m.pick.problem, want)
	}
	// Not JSONL: refused until a shows every file.
	l.press("j", "enter")
	if want := "notes.txt is not a .jsonl file; a shows every file"; m.pick.problem != want {
		t.Errorf("problem %q, want %q", m.pick.problem, want)
	}
	l.press("a", "enter")
	l.until("the name prompt", func() bool { return m.mode == modeName })
	if m.name.Value() != "notes.txt" {
		t.Errorf("name %q", m.name.Value())
	}
	l.press("esc", "esc")
	if m.mode != modeList || len(b.DatasetFixture().Uploads) != 0 {
		t.Errorf("mode %v, uploads %v", m.mode, b.DatasetFixture().Uploads)
	}
}

func TestTypedPath(t *testing.T) {
	m := newLoaded(t, uitest.NewBackend(t), 80, 24)
	l := newLoop(t, m)
	dir := uploadDir(t)
	openPicker(t, l, dir)
	l.press("tab")
	if got := m.pick.path.Value(); got != dir+string(filepath.Separator) {
		t.Fatalf("path starts at %q", got)
	}
	for _, msg := range uitest.Type("support.jsonl") {
		l.send(msg)
	}
	l.press("enter")
	l.until("the name prompt", func() bool { return m.mode == modeName })
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "support.jsonl (12.3 MiB)") || m.name.Value() != "support" {
		t.Errorf("name prompt (name %q):\n%s", m.name.Value(), v)
	}
}

func TestUploadProgressAndCancel(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.DatasetFixture()
	f.UploadStep = make(chan struct{})
	m := newLoaded(t, b, 80, 24)
	l := newLoop(t, m)
	openPicker(t, l, uploadDir(t))
	l.press("j", "j", "enter")
	l.until("the name prompt", func() bool { return m.mode == modeName })
	for range 3 {
		l.send(uitest.Key("backspace"))
	}
	for _, msg := range uitest.Type("-q4") {
		l.send(msg)
	}
	l.press("enter")
	go func() { f.UploadStep <- struct{}{}; f.UploadStep <- struct{}{} }()
	l.until("half the bytes and the uploading row", func() bool {
		return m.up != nil && m.up.progress.Sent == 12_897_484/2 && len(m.items) == 5
	})
	if f.Uploads[0] != "supp-q4" {
		t.Errorf("uploaded as %q", f.Uploads[0])
	}
	v := ansi.Strip(m.View())
	uitest.Holds(t, "upload panel", v, "Uploading supp-q4", "esc cancels", "50%", "6.1 MiB of 12.3 MiB · 3.1 MiB/s · 2s left", "⠋ uploading")
	if m.Badge() != "50%" {
		t.Errorf("badge %q", m.Badge())
	}
	golden.Assert(t, "upload_80x24", m.View())

	// A second upload waits for the first.
	l.press("u")
	l.until("the refusal", func() bool { return contains(notices(l.passed), "An upload is running; esc cancels it") })
	if m.mode != modeList {
		t.Error("u opened a second upload")
	}

	l.press("esc")
	l.until("the upload's end", func() bool { return m.up == nil })
	l.until("the reload and the notice", func() bool {
		return len(m.items) == 4 && contains(notices(l.passed), "Upload of “supp-q4” cancelled; nothing was kept")
	})
	if !f.UploadCancelled {
		t.Error("esc did not cancel the upload's context")
	}
	if _, ok := f.Find("supp-q4"); ok {
		t.Error("the cancelled upload's row remains")
	}
}

func TestUploadCompletes(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newLoaded(t, b, 120, 40)
	l := newLoop(t, m)
	openPicker(t, l, uploadDir(t))
	l.press("j", "j", "enter")
	l.until("the name prompt", func() bool { return m.mode == modeName })
	l.press("enter")
	l.until("the upload's end and its notice", func() bool {
		return m.up == nil && len(m.items) == 5 && contains(notices(l.passed), "Uploaded “support”; validating")
	})
	d, ok := b.DatasetFixture().Find("support")
	if !ok || d.Status != model.DatasetValidating || d.FileSize != 12_897_484 {
		t.Errorf("row %+v", d)
	}
	if !strings.Contains(ansi.Strip(m.View()), "2 validating") {
		t.Errorf("list:\n%s", m.View())
	}
}

func TestUploadFailureIsReported(t *testing.T) {
	m := newLoaded(t, uitest.NewBackend(t), 80, 24)
	l := newLoop(t, m)
	dir := uploadDir(t)
	l.send(uploadDoneMsg{seq: 0, name: "x"}) // no upload: dropped
	l.run(m.startUpload(filepath.Join(dir, "gone.jsonl"), "gone", 10))
	l.until("the upload's error", func() bool {
		_, ok := uitest.Find[common.ErrMsg](l.passed)
		return m.up == nil && ok
	})
	e, ok := uitest.Find[common.ErrMsg](l.passed)
	if !ok || !strings.HasPrefix(e.Error(), "upload “gone”: dataset file:") {
		t.Errorf("error %v", l.passed)
	}
}

func TestProgressSnapshotsKeepOnlyTheNewest(t *testing.T) {
	u := &upload{updates: make(chan engine.UploadProgress, 1), done: make(chan struct{})}
	for i := range 5 {
		u.offer(engine.UploadProgress{Sent: int64(i)})
	}
	msg := u.listen()().(uploadProgressMsg)
	if msg.p.Sent != 4 {
		t.Errorf("listened %d, want the newest, 4", msg.p.Sent)
	}
	close(u.done)
	if got := u.listen()(); got != nil {
		t.Errorf("after the end: %v", got)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

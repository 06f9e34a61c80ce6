package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// oneLineError fails t unless r exited with code and wrote exactly one line
// on stderr holding every want, with no log or SDK noise in it.
func oneLineError(t *testing.T, r result, code int, want ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	if r.code != code || len(lines) != 1 || lines[0] == "" {
		t.Fatalf("exit %d, stderr %q; want exit %d and one line", r.code, r.stderr, code)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Fatalf("stderr %q does not say %q", r.stderr, w)
		}
	}
	for _, noise := range []string{"level=", "RequestID", "HostID", "SQLSTATE", "panic"} {
		if strings.Contains(r.stderr, noise) {
			t.Fatalf("stderr %q holds %q", r.stderr, noise)
		}
	}
}

// An explicitly empty --data-dir is a usage error, not "the default": no
// command may quietly use and seed the default data dir instead.
func TestE2EEmptyDataDirRefused(t *testing.T) {
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_DATA_HOME=", "BRIGHTRUN_DATA_DIR="}
	for _, args := range [][]string{
		{"status", "--data-dir", ""},
		{"status", "--json", "--data-dir="},
		{"--data-dir", ""}, // the TUI
		{"conversations", "list", "--data-dir", ""},
		{"estimate", "--pairs", "10", "--tokens", "100", "--data-dir", ""},
		{"dataset", "validate", "x.jsonl", "--data-dir", ""},
	} {
		r := run(t, env, args...)
		oneLineError(t, r, 2, "data-dir", "empty")
		if r.stdout != "" {
			t.Fatalf("%v: stdout %q", args, r.stdout)
		}
	}
	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		t.Fatalf("HOME gained %v: a default data dir was created", entries)
	}
}

// Text that is not UTF-8 never reaches the database: it is refused before
// any query, naming the flag or argument (exit 2), not answered with an
// SQLSTATE.
func TestE2EInvalidUTF8Refused(t *testing.T) {
	d := dataDir(t)
	bad := "caf\xe9"
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"conversations", "list", "--filter", bad}, "--filter"},
		{[]string{"conversations", "list", "--persona", bad}, "--persona"},
		{[]string{"dataset", "upload-url", "--name", bad}, "--name"},
		{[]string{"trainingfile", "create", "--name", bad, "--all"}, "--name"},
		{[]string{"job", "list", "--status", bad}, "--status"},
		{[]string{"user", "add", bad}, "argument 1"},
		{[]string{"conversations", "show", bad}, "argument 1"},
	}
	for _, tt := range tests {
		r := run(t, nil, append(tt.args, "--data-dir", d)...)
		oneLineError(t, r, 2, tt.want, "UTF-8")
	}
}

// Asking for an ID that does not exist, or is another operator's, is a
// negative answer (exit 1, one line saying not found) for every command
// that looks one up; an ID that is not a UUID is a usage error (exit 2).
func TestE2ENotFoundIsNegative(t *testing.T) {
	d := dataDir(t)
	alice := []string{"BRIGHTRUN_USER=alice"}
	r := run(t, alice, "dataset", "upload-url", "--name", "alices", "--json", "--data-dir", d)
	var ticket struct {
		Dataset struct {
			ID string `json:"id"`
		} `json:"dataset"`
	}
	decode(t, r, &ticket)
	theirs := ticket.Dataset.ID
	mallory := []string{"BRIGHTRUN_USER=mallory"}
	for _, args := range [][]string{
		{"job", "create", "--dataset", theirs},
		{"dataset", "show", theirs},
		{"dataset", "confirm", theirs},
		{"dataset", "delete", theirs},
		{"estimate", "--dataset", theirs},
	} {
		oneLineError(t, run(t, mallory, append(args, "--data-dir", d)...), 1, "not found")
	}
	missing := "6f1c2a7e-0000-4000-8000-00000000abcd"
	for _, args := range [][]string{
		{"job", "create", "--dataset", missing},
		{"job", "show", missing},
		{"job", "cancel", missing},
		{"job", "watch", missing},
		{"job", "logs", missing},
		{"job", "download", missing, "--out", t.TempDir()},
		{"dataset", "show", missing},
		{"dataset", "revalidate", missing},
		{"dataset", "from-trainingfile", missing},
		{"trainingfile", "show", missing},
		{"trainingfile", "build", missing},
		{"conversations", "show", missing},
		{"user", "remove-key", "nobody", "SHA256:abc"},
	} {
		oneLineError(t, run(t, nil, append(args, "--data-dir", d)...), 1, "not found")
	}
	oneLineError(t, run(t, nil, "job", "show", "not-a-uuid", "--data-dir", d), 2, "not a UUID")
	// alice's dataset is still there: mallory's delete touched nothing.
	if r := run(t, alice, "dataset", "show", theirs, "--data-dir", d); r.code != 0 {
		t.Fatalf("alice's dataset after mallory's delete: exit %d %s", r.code, r.stderr)
	}
}

// A file that changes while it is uploaded fails with one line saying so,
// and nothing is kept; no log line or SDK error (request IDs, host IDs)
// reaches the terminal. A FIFO is refused: upload needs a known size.
func TestE2EUploadOfAChangingFileFailsInOneLine(t *testing.T) {
	d := dataDir(t)
	if r := run(t, nil, "status", "--data-dir", d); r.code != 0 { // start and seed first
		t.Fatalf("status: %d %s", r.code, r.stderr)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "growing.jsonl")
	line := `{"messages":[{"role":"user","content":"` + strings.Repeat("hello ", 20) + `"},{"role":"assistant","content":"` + strings.Repeat("world ", 20) + `"}]}` + "\n"
	if err := os.WriteFile(file, []byte(strings.Repeat(line, 150000)), 0o600); err != nil { // ~40 MB
		t.Fatal(err)
	}
	for _, change := range []string{"append", "truncate"} {
		t.Run(change, func(t *testing.T) {
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND, 0)
				if err != nil {
					return
				}
				defer f.Close()
				chunk := []byte(strings.Repeat(line, 100))
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
					if change == "append" && i < 2000 {
						f.Write(chunk)
					} else if st, err := f.Stat(); err == nil && st.Size() > int64(len(chunk)) {
						f.Truncate(st.Size() - int64(len(chunk)))
					}
				}
			}()
			r := run(t, nil, "dataset", "upload", file, "--no-wait", "--data-dir", d)
			close(stop)
			<-done
			oneLineError(t, r, 2, file+" changed while it was being uploaded", "nothing was kept")
		})
	}
	r := run(t, nil, "dataset", "list", "--json", "--data-dir", d)
	var page struct {
		Total int `json:"total"`
	}
	decode(t, r, &page)
	if page.Total != 0 {
		t.Fatalf("a dataset was kept: %s", r.stdout)
	}

	fifo := filepath.Join(dir, "pipe.jsonl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	oneLineError(t, run(t, nil, "dataset", "upload", fifo, "--data-dir", d), 2, "not a regular file (a FIFO)")
}

// status with servers that do not answer still prints the status, each
// down server with why (JSON: ok false and an error), and exits 1.
func TestE2EStatusShowsDownServers(t *testing.T) {
	env := []string{"DATABASE_URL=postgres://nobody@127.0.0.1:1/x?connect_timeout=2",
		"AWS_ENDPOINT_URL=http://127.0.0.1:1", "AWS_ACCESS_KEY_ID=k", "AWS_SECRET_ACCESS_KEY=s", "AWS_REGION=us-east-1"}
	d := t.TempDir()
	r := run(t, env, "status", "--json", "--data-dir", d)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", r.code, r.stderr)
	}
	var st struct {
		Postgres struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		} `json:"postgres"`
		S3 struct {
			OK       bool   `json:"ok"`
			Endpoint string `json:"endpoint"`
			Error    string `json:"error"`
		} `json:"s3"`
		Mode string `json:"mode"`
	}
	decode(t, r, &st)
	if st.Postgres.OK || !strings.Contains(st.Postgres.Error, "127.0.0.1:1") || st.S3.OK || st.S3.Endpoint != "http://127.0.0.1:1" ||
		!strings.Contains(st.S3.Error, "connection refused") || strings.Contains(st.S3.Error, "RequestID") || st.Mode != "shared" {
		t.Fatalf("status: %+v", st)
	}
	r = run(t, env, "status", "--data-dir", d)
	if r.code != 1 || strings.Count(r.stdout, "DOWN") != 2 || !strings.Contains(r.stdout, "postgres  DOWN") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// Numbers at the edges of their types are refused with the flag and its
// range, never wrapped into negative step counts or offsets.
func TestE2ENumericEdgesRefused(t *testing.T) {
	d := dataDir(t)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"estimate", "--pairs", "9223372036854775807", "--tokens", "100"}, []string{"pairs 9223372036854775807 is out of range: must be between 1 and 1000000000"}},
		{[]string{"estimate", "--pairs", "100", "--tokens", "9223372036854775807", "--compare"}, []string{"tokens 9223372036854775807 is out of range"}},
		{[]string{"estimate", "--pairs", "100", "--tokens", "100", "--alpha", "9223372036854775807"}, []string{"alpha 9223372036854775807 is out of range"}},
		{[]string{"estimate", "--pairs", "100", "--tokens", "100", "--learning-rate", "NaN"}, []string{"--learning-rate NaN is not a finite number"}},
		{[]string{"estimate", "--pairs", "100", "--tokens", "100", "--dropout", "Inf"}, []string{"--dropout +Inf is not a finite number"}},
		{[]string{"estimate", "--pairs", "99999999999999999999", "--tokens", "100"}, []string{"-pairs", "value out of range"}},
		{[]string{"conversations", "list", "--page", "9223372036854775807"}, []string{"--page 9223372036854775807 is out of range: must be between 1 and 1000000"}},
		{[]string{"job", "list", "--page", "9223372036854775807"}, []string{"--page", "between 1 and 1000000"}},
		{[]string{"conversations", "list", "--min-quality", "NaN"}, []string{"--min-quality NaN is not a finite number"}},
		{[]string{"conversations", "list", "--min-quality", "10.5"}, []string{"min quality 10.5 is out of range"}},
		{[]string{"job", "compare", "--points", "9223372036854775807"}, []string{"--points", "up to 100000"}},
		{[]string{"worker", "--concurrency", "1000000"}, []string{"--concurrency 1000000 is out of range"}},
		{[]string{"worker", "--sim-speed", "NaN"}, []string{"--sim-speed NaN is not a finite number"}},
		{[]string{"serve", "--shutdown-grace", "-1s"}, []string{"--shutdown-grace -1s is negative"}},
	}
	for _, tt := range tests {
		r := run(t, nil, append(tt.args, "--data-dir", d)...)
		oneLineError(t, r, 2, tt.want...)
		if r.stdout != "" {
			t.Fatalf("%v: stdout %q", tt.args, r.stdout)
		}
	}
	// The largest pricing that is allowed is priced exactly, with positive steps.
	r := run(t, nil, "estimate", "--pairs", "1000000000", "--tokens", "1000000000000", "--batch-size", "1", "--epochs", "20", "--json", "--data-dir", d)
	var e struct {
		Details struct {
			TotalSteps    int64 `json:"total_steps"`
			StepsPerEpoch int64 `json:"steps_per_epoch"`
		} `json:"training_details"`
		Cost float64 `json:"estimated_cost"`
	}
	decode(t, r, &e)
	if e.Details.StepsPerEpoch != 1_000_000_000 || e.Details.TotalSteps != 20_000_000_000 || !(e.Cost > 0) {
		t.Fatalf("estimate at the bounds: %+v", e)
	}
}

// A conversation file with a key given twice is rejected, naming the file
// and the object's JSON path; the rest of the import goes in.
func TestE2EImportRejectsDuplicateKeys(t *testing.T) {
	d := dataDir(t)
	dir := t.TempDir()
	conv := func(id, secondTurn string) string {
		return `{"conversation_id":"` + id + `","persona":"p","emotional_arc":"a","training_topic":"t","tier":"template",
"turns":[{"role":"user","content":"hello"},` + secondTurn + `]}`
	}
	good := filepath.Join(dir, "good.json")
	dup := filepath.Join(dir, "dup.json")
	os.WriteFile(good, []byte(conv("dupkey-good", `{"role":"assistant","content":"hi"}`)), 0o600)
	os.WriteFile(dup, []byte(conv("dupkey-bad", `{"role":"assistant","content":"hi","role":"user"}`)), 0o600)
	r := run(t, nil, "import", good, dup, "--json", "--data-dir", d)
	var sum struct {
		Imported int `json:"imported"`
		Rejected []struct {
			File, Path, Reason string
		} `json:"rejected"`
	}
	decode(t, r, &sum)
	if r.code != 1 || sum.Imported != 1 || len(sum.Rejected) != 1 || !strings.HasSuffix(sum.Rejected[0].File, "dup.json") ||
		sum.Rejected[0].Path != "$.turns[1]" || !strings.Contains(sum.Rejected[0].Reason, `duplicate key "role"`) {
		t.Fatalf("exit %d, %+v\nstderr: %s", r.code, sum, r.stderr)
	}
	r = run(t, nil, "import", dup, "--data-dir", d)
	if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "dup.json: $.turns[1]: duplicate key \"role\"") {
		t.Fatalf("human: exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
}

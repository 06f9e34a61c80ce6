package main_test

import (
	"os"
	"strings"
	"testing"
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

package main_test

import (
	"strings"
	"testing"
)

// TestE2ECLIFlagPlacementHelpVersion drives the real binary: a global flag
// means the same before or after the command, help and --version answer
// on stdout with exit 0, and an unknown command is one line with exit 2.
func TestE2ECLIFlagPlacementHelpVersion(t *testing.T) {
	// Servers that do not answer: status answers at once, exit 1.
	env := []string{"DATABASE_URL=postgres://nobody@127.0.0.1:1/x?connect_timeout=2",
		"AWS_ENDPOINT_URL=http://127.0.0.1:1", "AWS_ACCESS_KEY_ID=k", "AWS_SECRET_ACCESS_KEY=s", "AWS_REGION=us-east-1"}
	d := t.TempDir()
	after := run(t, env, "status", "--data-dir", d, "--json")
	before := run(t, env, "--data-dir", d, "--json", "status")
	if after.code != 1 || before.code != 1 || !strings.Contains(before.stdout, `"mode": "shared"`) ||
		strings.Count(before.stdout, `"ok": false`) != 2 || before.stderr != after.stderr {
		t.Fatalf("after: exit %d %q %q; before: exit %d %q %q", after.code, after.stdout, after.stderr, before.code, before.stdout, before.stderr)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "COMMANDS"},
		{[]string{"help", "status"}, "brightrun status"},
		{[]string{"status", "--help"}, "brightrun status"},
		{[]string{"job", "--help"}, "download"},
		{[]string{"--version"}, "brightrun version "},
		{[]string{"completion", "bash"}, "bash completion"},
	} {
		r := run(t, nil, tc.args...)
		if r.code != 0 || !strings.Contains(r.stdout, tc.want) || r.stderr != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 0 with %q", tc.args, r.code, r.stdout, r.stderr, tc.want)
		}
	}

	r := run(t, nil, "--data-dir", d, "frobnicate")
	if r.code != 2 || r.stdout != "" || r.stderr != "brightrun: unknown command \"frobnicate\" (run `brightrun help`)\n" {
		t.Errorf("unknown command: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

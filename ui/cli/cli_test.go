package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"brightrun/model"
)

func runIn(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		if k == "HOME" {
			return "/nonexistent-home"
		}
		return ""
	}}
	code = Run(context.Background(), args, env)
	return code, out.String(), errb.String()
}

func TestParseAllowsFlagsAfterArguments(t *testing.T) {
	var c common
	fs := newFlagSet(Env{}, "user add", &c, true)
	pos, err := parse(fs, []string{"alice", "--json", "--data-dir", "/d"})
	if err != nil || len(pos) != 1 || pos[0] != "alice" || !c.json || c.dataDir != "/d" {
		t.Fatalf("pos %v err %v common %+v", pos, err, c)
	}
	pos, err = parse(fs, []string{"--", "--not-a-flag"})
	if err != nil || len(pos) != 1 || pos[0] != "--not-a-flag" {
		t.Fatalf("after --: %v %v", pos, err)
	}
}

func TestPagerChecks(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--page", "0"}, "--page 0 must be at least 1"},
		{[]string{"--limit", "0"}, "--limit 0 is out of range: must be between 1 and 100"},
		{[]string{"--limit", "101"}, "--limit 101 is out of range"},
		{[]string{"--page", "3", "--limit", "100"}, ""},
		{[]string{"--page", "3", "extra"}, `thing list: unexpected argument "extra"`},
	}
	for _, tt := range tests {
		var c common
		fs := newFlagSet(Env{}, "thing list", &c, true)
		pg := addPager(fs, "things", 10, 100)
		page, limit, err := pg.parseList(fs, tt.args)
		switch {
		case tt.want == "" && (err != nil || page != 3 || limit != 100):
			t.Errorf("%v: page %d limit %d err %v", tt.args, page, limit, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%v: err %v, want %q", tt.args, err, tt.want)
		}
	}
}

func TestExitCodesWithoutADatabase(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"help"}, 0, "COMMANDS", ""},
		{[]string{"nope"}, 2, "", "unknown command"},
		{[]string{"estimate", "--pairs", "1000", "--tokens", "13268572", "--gpus", "2", "--batch-size", "4", "--epochs", "3"}, 0, "$25.50", ""},
		{[]string{"estimate", "--pairs", "10"}, 2, "", "--tokens"},
		{[]string{"estimate", "--pairs", "10", "--tokens", "10", "--rank", "2"}, 2, "", "rank 2 is out of range"},
		{[]string{"user"}, 2, "", "user add NAME"},
		{[]string{"dataset"}, 2, "", "give a subcommand"},
		{[]string{"job", "show"}, 2, "", "job show: want exactly one job ID"},
		{[]string{"dataset", "from-trainingfile", "a", "b"}, 2, "", "dataset from-trainingfile: want exactly one training file ID"},
		{[]string{"job", "download", "not-a-uuid", "--out", "/tmp/x"}, 2, "", `job ID "not-a-uuid" is not a UUID`},
		{[]string{"trainer"}, 2, "", "trainer: give a subcommand: check"},
		{[]string{"demo", "nope"}, 2, "", `demo: unknown subcommand "nope" (seed)`},
		{[]string{"trainer", "check"}, 2, "", "trainer check: --exec-trainer CMD is required"},
		{[]string{"trainer", "check", "--exec-trainer", "true", "--timeout", "0s"}, 2, "", "--timeout and --idle-timeout must be between"},
		{[]string{"trainer", "check", "--exec-trainer", "true", "--dataset", "/nonexistent.jsonl"}, 2, "", "trainer check: open /nonexistent.jsonl"},
	}
	for _, tt := range tests {
		code, out, errOut := runIn(tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", tt.args, code, out, errOut)
		}
		if code == 2 && strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: stderr is not one line: %q", tt.args, errOut)
		}
	}
}

// dataset show lists a report's warnings like its errors: counted by code,
// the first by line, and the assistant messages weight 0 leaves out; stored
// text is made inert.
func TestPrintWarnings(t *testing.T) {
	report := `{"warnings":[{"line":6,"code":"same_role_run","message":"messages[1] follows messages[0] from the user too\u001b[2J"}],
		"warning_counts":{"same_role_run":1,"too_many_tokens":2},"excluded_by_weight":3}`
	for _, tc := range []struct {
		name, report, want string
	}{
		{"none", `{"warnings":[],"warning_counts":{}}`, ""},
		{"no report", ``, ""},
		{"warnings", report, "warnings  3 (same_role_run 1, too_many_tokens 2)\n" +
			"warning   line 6: same_role_run: messages[1] follows messages[0] from the user too\\x1b[2J\n" +
			"weight    3 assistant message(s) left out of training by weight 0\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			printWarnings(&out, model.Dataset{ValidationReport: []byte(tc.report)}.ReportWarnings())
			if out.String() != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", out.String(), tc.want)
			}
		})
	}
}

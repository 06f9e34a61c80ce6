package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
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
		{[]string{"trainer"}, 2, "", "trainer check --exec-trainer CMD"},
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

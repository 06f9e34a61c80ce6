package cli

import (
	"strings"
	"testing"
)

// A flag stands before or after the command, and means the same.
func TestFlagsBeforeOrAfterTheCommand(t *testing.T) {
	est := []string{"--pairs", "1000", "--tokens", "13268572"}
	for _, tc := range []struct {
		name          string
		before, after []string
	}{
		{"json", append([]string{"--json", "estimate"}, est...), append(append([]string{"estimate"}, est...), "--json")},
		{"json and data dir", append([]string{"--json", "--data-dir", "/nonexistent", "estimate"}, est...),
			append(append([]string{"estimate"}, est...), "--data-dir", "/nonexistent", "--json")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c1, out1, err1 := runIn(tc.before...)
			c2, out2, err2 := runIn(tc.after...)
			if c1 != 0 || c2 != 0 || out1 != out2 || !strings.HasPrefix(out1, "{") || err1 != "" || err2 != "" {
				t.Fatalf("before: exit %d %q %q; after: exit %d %q %q", c1, out1, err1, c2, out2, err2)
			}
		})
	}
	// The flag's checks hold in both places: an empty data dir is refused.
	for _, args := range [][]string{
		{"--data-dir", "", "status"}, {"status", "--data-dir", ""},
		{"--data-dir", "", "job", "list"}, {"job", "list", "--data-dir", ""},
		{"--data-dir", ""},
	} {
		code, out, errOut := runIn(args...)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, "the data dir is empty") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// Help is asked for, so it goes to stdout with exit 0, in every spelling.
func TestHelpExitsZeroOnStdout(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"COMMANDS", "job", "status", "--data-dir"}},
		{[]string{"-h"}, []string{"COMMANDS"}},
		{[]string{"help"}, []string{"COMMANDS"}},
		{[]string{"help", "estimate"}, []string{"brightrun estimate", "--pairs", "--compare", "--json"}},
		{[]string{"estimate", "--help"}, []string{"brightrun estimate", "--pairs", "--compare"}},
		{[]string{"estimate", "-h"}, []string{"brightrun estimate", "--pairs"}},
		{[]string{"job", "--help"}, []string{"brightrun job", "create", "watch", "download"}},
		{[]string{"help", "job", "create"}, []string{"brightrun job create", "--dataset", "--from", "--learning-rate"}},
		{[]string{"job", "create", "--help"}, []string{"brightrun job create", "--dataset"}},
		{[]string{"--data-dir", "/d", "job", "list", "--help"}, []string{"brightrun job list", "--page", "--limit"}},
		{[]string{"worker", "--help"}, []string{"brightrun worker", "list", "--concurrency"}},
		{[]string{"user", "add", "--help"}, []string{"brightrun user add", "--key"}},
	} {
		code, out, errOut := runIn(tc.args...)
		if code != ExitOK || errOut != "" {
			t.Errorf("%q: exit %d, stderr %q", tc.args, code, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%q: stdout lacks %q:\n%s", tc.args, w, out)
			}
		}
	}
}

func TestVersionAndCompletion(t *testing.T) {
	code, out, errOut := runIn("--version")
	if code != ExitOK || !strings.HasPrefix(out, "brightrun version ") || errOut != "" {
		t.Errorf("--version: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, out, errOut := runIn("completion", shell)
		if code != ExitOK || !strings.Contains(out, "brightrun") || len(out) < 500 || errOut != "" {
			t.Errorf("completion %s: exit %d, %d bytes, stderr %q", shell, code, len(out), errOut)
		}
	}
}

// Mistakes cobra sees (an unknown command, topic or flag) keep the
// contract: exit 2, one line on stderr, no usage block.
func TestCobraMistakesAreOneLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"nope"}, `brightrun: unknown command "nope" (run ` + "`brightrun help`)"},
		{[]string{"--data-dir", "/d", "nope"}, `unknown command "nope"`},
		{[]string{"help", "nope"}, `help: unknown command "nope"`},
		{[]string{"help", "job", "nope"}, `help: unknown command "job nope"`},
		{[]string{"--bogus"}, "unknown flag: --bogus"},
		{[]string{"job", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"job", "nope"}, `job: unknown subcommand "nope"`},
		{[]string{"--json"}, "--json belongs to a command"},
		{[]string{"serve", "--json"}, "flag provided but not defined: -json"},
		{[]string{"--json", "serve"}, "flag provided but not defined: -json"},
	} {
		code, out, errOut := runIn(tc.args...)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 ||
			!strings.HasPrefix(errOut, "brightrun: ") || strings.Contains(errOut, "Error:") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

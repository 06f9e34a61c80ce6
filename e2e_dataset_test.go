package main_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// `dataset validate` checks a local file with no database: these runs get
// a data dir of their own and must leave it without any service files.

func TestE2EDatasetValidate(t *testing.T) {
	d := t.TempDir()
	corpus := filepath.Join("model", "dataset", "testdata", "corpus")
	// Pointing DATABASE_URL at nothing proves the command never dials it.
	env := []string{"DATABASE_URL=postgres://nobody@127.0.0.1:1/x?connect_timeout=1"}

	t.Run("good file", func(t *testing.T) {
		r := run(t, env, "dataset", "validate", filepath.Join(corpus, "good_chat.jsonl"), "--json", "--data-dir", d)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		var rep map[string]any
		decode(t, r, &rep)
		// docs/cli.md's keys, every one of them.
		for _, key := range []string{"file", "shape", "lines", "blank_lines", "valid", "training_ready", "errors", "error_counts",
			"warnings", "warning_counts", "total_tokens", "tokens", "messages", "duplicates", "samples"} {
			if _, ok := rep[key]; !ok {
				t.Errorf("report lacks %q", key)
			}
		}
		tokens, _ := rep["tokens"].(map[string]any)
		if rep["training_ready"] != true || rep["shape"] != "chat" || rep["valid"] != 12.0 || rep["total_tokens"] != 349.0 ||
			tokens["p50"] == nil || len(rep["samples"].([]any)) != 5 {
			t.Fatalf("report %v", rep)
		}
	})

	t.Run("bad file", func(t *testing.T) {
		r := run(t, env, "dataset", "validate", "--json", filepath.Join(corpus, "bad_codes.jsonl"), "--data-dir", d)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
		}
		var rep struct {
			TrainingReady bool `json:"training_ready"`
			Errors        []struct {
				Line    int    `json:"line"`
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"errors"`
			ErrorCounts map[string]int `json:"error_counts"`
		}
		decode(t, r, &rep)
		var got []string
		for _, e := range rep.Errors {
			got = append(got, strconv.Itoa(e.Line)+":"+e.Code)
		}
		want := "2:invalid_json 3:not_object 4:invalid_utf8 5:shape_mismatch 6:missing_messages 7:empty_messages " +
			"8:message_not_object 9:missing_role 10:unknown_role 11:missing_content 12:empty_content 13:unexpected_key " +
			"14:no_assistant_message 15:last_not_assistant 16:misplaced_system"
		if rep.TrainingReady || strings.Join(got, " ") != want || len(rep.ErrorCounts) != 15 {
			t.Fatalf("errors %v\nwant %s", got, want)
		}
		if !strings.Contains(rep.Errors[8].Message, `"robot" is not one of system, user, assistant, tool`) {
			t.Fatalf("message %q", rep.Errors[8].Message)
		}
	})

	// A key given twice is refused in any object (issue 14, defect 10):
	// encoding/json would keep the last value without a word.
	t.Run("duplicate keys", func(t *testing.T) {
		r := run(t, env, "dataset", "validate", filepath.Join(corpus, "duplicate_keys.jsonl"), "--json", "--data-dir", d)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
		}
		var rep struct {
			Shape  string `json:"shape"`
			Valid  int    `json:"valid"`
			Errors []struct {
				Line    int    `json:"line"`
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"errors"`
		}
		decode(t, r, &rep)
		var got []string
		for _, e := range rep.Errors {
			got = append(got, strconv.Itoa(e.Line)+" "+e.Code+" "+e.Message)
		}
		want := []string{
			`1 invalid_json $: duplicate key "conversations" at column 90`,
			`3 invalid_json $.messages[0]: duplicate key "role" at column 49`,
			`4 invalid_json $.messages[1].tool_calls[0].function: duplicate key "name" at column 191`,
			`5 invalid_json $.metadata: duplicate key "pair_id" at column 124`,
		}
		// The first line's repeated key keeps it from deciding the shape.
		if rep.Shape != "chat" || rep.Valid != 2 || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("shape %s, valid %d, errors:\n%s\nwant:\n%s", rep.Shape, rep.Valid, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		r = run(t, env, "dataset", "validate", filepath.Join(corpus, "duplicate_keys.jsonl"), "--data-dir", d)
		if r.code != 1 || !strings.Contains(r.stdout, `3     invalid_json  $.messages[0]: duplicate key "role" at column 49`) {
			t.Fatalf("exit %d, stdout:\n%s", r.code, r.stdout)
		}
	})

	t.Run("human report", func(t *testing.T) {
		r := run(t, env, "dataset", "validate", filepath.Join(corpus, "bad_codes.jsonl"), "--data-dir", d)
		if r.code != 1 || !strings.Contains(r.stdout, "NOT training ready") || !strings.Contains(r.stdout, "10    unknown_role") {
			t.Fatalf("exit %d, stdout:\n%s", r.code, r.stdout)
		}
	})

	t.Run("missing file", func(t *testing.T) {
		r := run(t, env, "dataset", "validate", filepath.Join(d, "nope.jsonl"), "--json", "--data-dir", d)
		lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
		if r.code != 2 || len(lines) != 1 || !strings.Contains(r.stderr, "nope.jsonl") || r.stdout != "" {
			t.Fatalf("exit %d, stderr %q, stdout %q", r.code, r.stderr, r.stdout)
		}
	})

	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{{"dataset", "frobnicate"}, {"dataset", "validate"}, {"dataset", "validate", "a", "b"},
			{"dataset", "validate", "x.jsonl", "--max-tokens", "0"}} {
			if r := run(t, env, append(args, "--data-dir", d)...); r.code != 2 || strings.Count(r.stderr, "\n") != 1 {
				t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.stderr)
			}
		}
	})

	for _, name := range []string{"services.lock", "services.pid", "services.failed", "logs"} {
		if _, err := os.Stat(filepath.Join(d, name)); err == nil {
			t.Errorf("dataset validate left %s in the data dir: it must not start services", name)
		}
	}
}

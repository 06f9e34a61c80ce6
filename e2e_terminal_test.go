package main_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// Hostile text through the binary: names, descriptions, key comments and a
// trainer's output holding escape sequences are shown visibly in human
// output, never as sequences, and come back exact in --json.

const (
	osc52  = "\x1b]52;c;SGVsbG8=\x07" // writes the clipboard
	askPos = "\x1b[6n"                // makes the terminal type into stdin
)

// inert fails when human output holds a raw ESC, BEL or C1 CSI, and checks
// that what was there is shown visibly.
func inert(t *testing.T, what string, r result, visible ...string) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("%s: exit %d %s", what, r.code, r.stderr)
	}
	for _, out := range []string{r.stdout, r.stderr} {
		if strings.ContainsAny(out, "\x1b\x07\u009b") {
			t.Fatalf("%s: raw escape bytes reach the terminal: %q", what, out)
		}
	}
	for _, v := range visible {
		if !strings.Contains(r.stdout, v) {
			t.Fatalf("%s: %q is not shown visibly in %q", what, v, r.stdout)
		}
	}
}

func TestE2EHostileTextIsInertOnTerminals(t *testing.T) {
	d := dataDir(t)
	env := fakeTrainerEnv(t, "BRIGHTRUN_USER=hostile", "BRIGHTRUN_SIM_SPEED=300")

	// A dataset: name and description.
	dsName := "a" + osc52
	r := run(t, env, "dataset", "upload-url", "--name", dsName, "--description", "d"+askPos, "--json", "--data-dir", d)
	var ticket struct {
		Dataset struct {
			ID          string `json:"id"`
			Name        string `json:"name"`
			Description string `json:"description"`
		} `json:"dataset"`
	}
	decode(t, r, &ticket)
	if ticket.Dataset.Name != dsName || ticket.Dataset.Description != "d"+askPos {
		t.Fatalf("--json does not give the exact text back: %q %q", ticket.Dataset.Name, ticket.Dataset.Description)
	}
	inert(t, "dataset list", run(t, env, "dataset", "list", "--data-dir", d), `a\x1b]52;c;SGVsbG8=\x07`)
	inert(t, "dataset show", run(t, env, "dataset", "show", ticket.Dataset.ID, "--data-dir", d), `a\x1b]52;c;SGVsbG8=\x07`)
	r = run(t, env, "dataset", "list", "--json", "--data-dir", d)
	var list struct {
		Datasets []struct {
			Name string `json:"name"`
		} `json:"datasets"`
	}
	decode(t, r, &list)
	if len(list.Datasets) != 1 || list.Datasets[0].Name != dsName {
		t.Fatalf("dataset list --json: %+v", list)
	}

	// A training file.
	tfName := "tf" + askPos
	r = run(t, env, "trainingfile", "create", "--name", tfName, "--description", osc52, "--all", "--json", "--data-dir", d)
	var tf struct {
		ID, Name, Description string
	}
	decode(t, r, &tf)
	if tf.Name != tfName || tf.Description != osc52 {
		t.Fatalf("trainingfile --json: %q %q", tf.Name, tf.Description)
	}
	inert(t, "trainingfile list", run(t, env, "trainingfile", "list", "--data-dir", d), `tf\x1b[6n`)
	inert(t, "trainingfile show", run(t, env, "trainingfile", "show", tf.ID, "--data-dir", d), `tf\x1b[6n`, `\x1b]52;c;SGVsbG8=\x07`)

	// A job's name, in the lists and views of jobs.
	ds := uploadReady(t, env, d)
	jobName := "job" + osc52 + askPos
	job := createJob(t, env, d, "--dataset", ds, "--name", jobName)
	if r := run(t, env, "job", "show", job.ID, "--json", "--data-dir", d); !strings.Contains(r.stdout, `job\u001b]52;c;SGVsbG8=\u0007\u001b[6n`) {
		t.Fatalf("job show --json: %s", r.stdout)
	}
	inert(t, "job list", run(t, env, "job", "list", "--data-dir", d), `job\x1b]52;c;`)
	inert(t, "job show", run(t, env, "job", "show", job.ID, "--data-dir", d), `job\x1b]52;c;SGVsbG8=\x07\x1b[6n`)
	inert(t, "job watch", run(t, env, "job", "watch", job.ID, "--data-dir", d), `job\x1b]52;c;SGVsbG8=\x07\x1b[6n`)
	second := createJob(t, env, d, "--dataset", ds, "--name", "plain")
	inert(t, "job compare", run(t, env, "job", "compare", job.ID, second.ID, "--data-dir", d), `job\x1b]52;c;`)

	// A trainer's output and events, in `job logs`.
	hostile := createJob(t, env, d, "--dataset", ds, "--trainer", "exec", "--name", "hostile")
	if r := run(t, env, "job", "watch", hostile.ID, "--data-dir", d); r.code != 1 {
		t.Fatalf("hostile trainer: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	inert(t, "job logs", run(t, env, "job", "logs", hostile.ID, "--data-dir", d),
		`colour \x1b[31mred\x1b[0m clip \x1b]52;c;SGVsbG8=\x07 ask \x1b[6n`, `event \x1b]52;c;SGVsbG8=\x07 \x1b[6n`)
	r = run(t, env, "job", "logs", hostile.ID, "--json", "--data-dir", d)
	var logs struct {
		Entries []struct {
			Text string `json:"text"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &logs); err != nil {
		t.Fatalf("job logs --json: %v\n%s", err, r.stdout)
	}
	exact := false
	for _, e := range logs.Entries {
		exact = exact || e.Text == "colour \x1b[31mred\x1b[0m clip "+osc52+" ask "+askPos
	}
	if !exact {
		t.Fatalf("job logs --json lost the exact output: %+v", logs.Entries)
	}

	// An SSH key's comment, in `user list`.
	_, line := newKey(t, "laptop"+osc52)
	if r := run(t, env, "user", "add", "keyed", "--key", writeKeys(t, line), "--data-dir", d); r.code != 0 {
		t.Fatalf("user add: exit %d %s", r.code, r.stderr)
	}
	inert(t, "user list", run(t, env, "user", "list", "--data-dir", d), `laptop\x1b]52;c;SGVsbG8=\x07`)

	// Names and descriptions have limits, with a clear error.
	long := strings.Repeat("n", 201)
	for _, c := range []struct {
		what string
		args []string
		want string
	}{
		{"dataset name", []string{"dataset", "upload-url", "--name", long}, "dataset name is 201 characters long: at most 200"},
		{"dataset description", []string{"dataset", "upload-url", "--name", "n", "--description", strings.Repeat("d", 2001)}, "dataset description is 2001 characters long: at most 2000"},
		{"training file name", []string{"trainingfile", "create", "--name", long, "--all"}, "training file name is 201 characters long: at most 200"},
		{"training file description", []string{"trainingfile", "create", "--name", "n", "--description", strings.Repeat("d", 2001), "--all"}, "training file description is 2001 characters long: at most 2000"},
		{"job name", []string{"job", "create", "--dataset", ds, "--name", long}, "job name is 201 characters long: at most 200"},
		{"user name", []string{"user", "add", long}, "user name is 201 characters long: at most 200"},
	} {
		r := run(t, env, append(c.args, "--data-dir", d)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", c.what, r.code, r.stderr, c.want)
		}
	}
}

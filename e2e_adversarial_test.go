package main_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/uuid"
)

// The adversarial suite (`make adversarial` runs only these): what a hostile
// operator, a hostile file or a crash can do through the binary, bounded in
// time, each against its own data dir. A test here names the defect class it
// guards; the single fixes have their own tests beside their code.

// hostile are texts that would act on a terminal if printed raw: a clipboard
// write (OSC 52), a cursor report that types into stdin, colour, a carriage
// return that overwrites the line, an 8-bit CSI, a bell and a backspace.
var hostile = []string{
	"osc52 \x1b]52;c;SGVsbG8=\x07 end",
	"dsr \x1b[6n end",
	"sgr \x1b[31mred\x1b[0m end",
	"cr hidden\rvisible",
	"c1 \u009b6n end",
	"bel\x07bs\x08del\x7f end",
}

// terminalSafe fails when out holds a byte a terminal would act on: any C0
// control but newline and tab, DEL, a C1 control, or invalid UTF-8 (which a
// terminal may read as C1).
func terminalSafe(t *testing.T, what, out string) {
	t.Helper()
	for i, r := range out {
		bad := (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f)
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(out[i:]); size == 1 {
				bad = true
			}
		}
		if bad {
			lo, hi := max(0, i-40), min(len(out), i+40)
			t.Errorf("%s: raw control %U reaches the terminal at byte %d: %q", what, r, i, out[lo:hi])
			return
		}
	}
}

// hostileConversation writes a conversation file whose title and persona
// carry text.
func hostileConversation(t *testing.T, dir, title string) (string, string) {
	t.Helper()
	data, err := os.ReadFile("assets/demo/conversations/01-savings-to-first-index-fund.enriched.json")
	if err != nil {
		t.Fatal(err)
	}
	var conv map[string]any
	if err := json.Unmarshal(data, &conv); err != nil {
		t.Fatal(err)
	}
	id := uuid.NewString()
	conv["conversation_id"], conv["title"] = id, title
	out, _ := json.Marshal(conv)
	p := filepath.Join(dir, id+".json")
	if err := os.WriteFile(p, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, id
}

// Every text an operator or a file can store is shown by every human list
// and show command without a byte the terminal would act on, and --json
// gives it back exactly.
func TestAdversarialHostileNamesThroughEveryListCommand(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SIM_SPEED=400"}
	convDir := t.TempDir()
	var convIDs []string
	for _, h := range hostile {
		_, id := hostileConversation(t, convDir, "title "+h)
		convIDs = append(convIDs, id)
	}
	if r := run(t, env, "import", convDir, "--data-dir", d); r.code != 0 {
		t.Fatalf("import: exit %d %s", r.code, r.stderr)
	}
	terminalSafe(t, "import output", run(t, env, "import", convDir, "--data-dir", d).stdout)

	name := strings.Join(hostile[:3], "|")
	desc := strings.Join(hostile, "|")
	r := run(t, env, "trainingfile", "create", "--name", name, "--description", desc,
		"--conversations", strings.Join(convIDs, ","), "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("trainingfile create: exit %d %s", r.code, r.stderr)
	}
	var tf struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	decode(t, r, &tf)
	if tf.Name != name || tf.Description != desc {
		t.Fatalf("--json changed the stored text: %q %q", tf.Name, tf.Description)
	}

	r = run(t, env, "dataset", "upload", writeChat(t, 15), "--name", name, "--description", desc, "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("dataset upload: exit %d %s", r.code, r.stderr)
	}
	var ds struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	decode(t, r, &ds)
	if ds.Name != name || ds.Description != desc {
		t.Fatalf("--json changed the stored text: %q %q", ds.Name, ds.Description)
	}
	job := createJob(t, env, d, "--dataset", ds.ID, "--name", name)
	other := createJob(t, env, d, "--dataset", ds.ID, "--name", hostile[4])
	waitFor(t, env, d, job.ID, func(j jobRow) bool { return j.Status == "completed" })
	waitFor(t, env, d, other.ID, func(j jobRow) bool { return j.Status == "completed" })

	_, keyLine := newKey(t, "comment "+hostile[0])
	if r := run(t, env, "user", "add", "mallory", "--key", writeKeys(t, keyLine), "--data-dir", d); r.code != 0 {
		t.Fatalf("user add: exit %d %s", r.code, r.stderr)
	}

	for _, args := range [][]string{
		{"conversations", "list", "--filter", "title "},
		{"conversations", "list", "--persona", "anxious_first_time_investor", "--sort", "title"},
		{"conversations", "show", convIDs[0]},
		{"trainingfile", "list"},
		{"trainingfile", "show", tf.ID},
		{"dataset", "list"},
		{"dataset", "show", ds.ID},
		{"job", "list"},
		{"job", "show", job.ID},
		{"job", "watch", job.ID},
		{"job", "logs", job.ID},
		{"job", "compare", job.ID, other.ID},
		{"user", "list"},
		{"estimate", "--dataset", ds.ID},
	} {
		r := run(t, env, append(args, "--data-dir", d)...)
		what := strings.Join(args[:min(2, len(args))], " ")
		if r.code != 0 {
			t.Errorf("%s: exit %d %s", what, r.code, r.stderr)
			continue
		}
		terminalSafe(t, what+" (stdout)", r.stdout)
		terminalSafe(t, what+" (stderr)", r.stderr)
		if strings.Contains(what, "list") || strings.Contains(what, "show") {
			if !strings.Contains(r.stdout, `\x1b`) && !strings.Contains(r.stdout, "^[") {
				t.Errorf("%s: the escape is not shown visibly:\n%s", what, r.stdout)
			}
		}
	}

	// The same lists as JSON give the exact bytes back.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"dataset", "list", "--json"}, name},
		{[]string{"trainingfile", "list", "--json"}, name},
		{[]string{"job", "list", "--json"}, name},
		{[]string{"conversations", "list", "--filter", "title ", "--json"}, "title " + hostile[0]},
		{[]string{"user", "list", "--json"}, "comment " + hostile[0]},
	} {
		r := run(t, env, append(c.args, "--data-dir", d)...)
		var doc any
		decode(t, r, &doc)
		flat, _ := json.Marshal(doc)
		want, _ := json.Marshal(c.want)
		if !bytes.Contains(flat, want[1:len(want)-1]) {
			t.Errorf("%s: --json lacks the exact text %q", strings.Join(c.args, " "), c.want)
		}
	}

	// Lengths past the limits are refused with the field named, and nothing is written.
	long := strings.Repeat("n", 201)
	if r := run(t, env, "trainingfile", "create", "--name", long, "--all", "--data-dir", d); r.code == 0 || !strings.Contains(r.stderr, "name") {
		t.Errorf("a 201-character name: exit %d %s", r.code, r.stderr)
	}
	if r := run(t, env, "dataset", "upload", writeChat(t, 3), "--name", "ok", "--description", strings.Repeat("d", 2001), "--data-dir", d); r.code == 0 || !strings.Contains(r.stderr, "description") {
		t.Errorf("a 2,001-character description: exit %d %s", r.code, r.stderr)
	}
	var list struct {
		Total int `json:"total"`
	}
	decode(t, run(t, env, "dataset", "list", "--json", "--data-dir", d), &list)
	if list.Total != 1 {
		t.Errorf("refused uploads left rows: %d datasets, want 1", list.Total)
	}
}

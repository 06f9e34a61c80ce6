package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
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

// Every text an operator or a file can store is shown by every human list
// and show command without a byte the terminal would act on, and --json
// gives it back exactly.
func TestAdversarialHostileNamesThroughEveryListCommand(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SIM_SPEED=400"}
	convDir := t.TempDir()
	var convIDs []string
	for _, h := range hostile {
		_, id := writeConversationIn(t, convDir, "title "+h)
		convIDs = append(convIDs, id)
	}
	if r := run(t, env, "import", convDir, "--data-dir", d); r.code != 0 {
		t.Fatalf("import: exit %d %s", r.code, r.stderr)
	}
	terminalSafe(t, "import output", run(t, env, "import", convDir, "--data-dir", d).stdout)

	name := strings.Join(hostile[:3], "|")
	desc := strings.Join(hostile, "|")
	// created runs a create command with --json and checks that the name
	// and description come back exactly as given.
	created := func(args ...string) (id string) {
		t.Helper()
		r := run(t, env, append(args, "--name", name, "--description", desc, "--json", "--data-dir", d)...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d %s", strings.Join(args[:2], " "), r.code, r.stderr)
		}
		var row struct {
			ID          string `json:"id"`
			Name        string `json:"name"`
			Description string `json:"description"`
		}
		decode(t, r, &row)
		if row.Name != name || row.Description != desc {
			t.Fatalf("%s --json changed the stored text: %q %q", strings.Join(args[:2], " "), row.Name, row.Description)
		}
		return row.ID
	}
	tf := created("trainingfile", "create", "--conversations", strings.Join(convIDs, ","))
	ds := created("dataset", "upload", writeChat(t, 15))
	job := createJob(t, env, d, "--dataset", ds, "--name", name)
	other := createJob(t, env, d, "--dataset", ds, "--name", hostile[4])
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
		{"trainingfile", "show", tf},
		{"dataset", "list"},
		{"dataset", "show", ds},
		{"job", "list"},
		{"job", "show", job.ID},
		{"job", "watch", job.ID},
		{"job", "logs", job.ID},
		{"job", "compare", job.ID, other.ID},
		{"user", "list"},
		{"estimate", "--dataset", ds},
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

// processWithEnv finds the one process whose environment holds want (a
// job's spec path names its job), reading /proc.
func processWithEnv(want string) int {
	environs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, p := range environs {
		data, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(data, []byte(want)) {
			continue
		}
		var pid int
		if _, err := fmt.Sscanf(p, "/proc/%d/environ", &pid); err == nil && pid != os.Getpid() {
			return pid
		}
	}
	return 0
}

// kill -9 of each kind of process while it works leaves nothing half-done:
// what it committed is whole, what it did not is undone or swept, and the
// next process carries on. The services (TestE2EKilledServicesLeaveNoGateway),
// a worker (TestE2EKillWorkerMidJob) and an uploading client
// (TestE2EDeadUploadExpiresUploadURLWaits) have their own tests, run by
// `make adversarial` too; these are the rest.
func TestAdversarialKillEachProcessMidWork(t *testing.T) {
	t.Run("import", func(t *testing.T) {
		d := dataDir(t)
		dir := t.TempDir()
		var ids []string
		for i := 0; i < 400; i++ {
			_, id := writeConversationIn(t, dir, fmt.Sprintf("killed import %03d", i))
			ids = append(ids, id)
		}
		if r := run(t, nil, "status", "--data-dir", d); r.code != 0 {
			t.Fatalf("status: exit %d %s", r.code, r.stderr)
		}
		cmd := binaryCmd(t, nil, "import", dir, "--data-dir", d)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill it once some, not all, of the files are in.
		deadline := time.Now().Add(60 * time.Second)
		for {
			var page struct {
				Total int `json:"total"`
			}
			decode(t, run(t, nil, "conversations", "list", "--filter", "killed import", "--limit", "1", "--json", "--data-dir", d), &page)
			if page.Total > 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		cmd.Process.Kill()
		cmd.Wait()

		// Every conversation that is listed is whole: its file is there.
		var page struct {
			Conversations []struct {
				ID string `json:"conversation_id"`
			} `json:"conversations"`
			Total int `json:"total"`
		}
		decode(t, run(t, nil, "conversations", "list", "--filter", "killed import", "--limit", "500", "--json", "--data-dir", d), &page)
		if page.Total == 0 {
			t.Fatal("nothing was imported before the kill")
		}
		for _, c := range page.Conversations {
			if r := run(t, nil, "conversations", "export", c.ID, "--flavour", "enriched", "--out", "-", "--data-dir", d); r.code != 0 {
				t.Errorf("conversation %s is listed but not whole: exit %d %s", c.ID, r.code, r.stderr)
				break
			}
		}
		// The same import again completes the rest.
		r := run(t, nil, "import", dir, "--json", "--data-dir", d)
		var res struct {
			Imported int   `json:"imported"`
			Updated  int   `json:"updated"`
			Rejected []any `json:"rejected"`
		}
		decode(t, r, &res)
		if r.code != 0 || res.Imported+res.Updated != len(ids) || len(res.Rejected) != 0 {
			t.Fatalf("import after the kill: exit %d %+v %s", r.code, res, r.stderr)
		}
		t.Logf("killed after %d of %d files", page.Total, len(ids))
	})

	t.Run("trainer", func(t *testing.T) {
		d := dataDir(t)
		env := fakeTrainerEnv(t, "BRIGHTRUN_SIM_SPEED=300", "BRIGHTRUN_EXEC_IDLE_TIMEOUT=20s")
		ds := uploadReady(t, env, d)
		job := createJob(t, env, d, "--dataset", ds, "--trainer", "exec", "--name", "slow")
		waitFor(t, env, d, job.ID, func(j jobRow) bool { return j.CurrentStep > 3 })
		pid := processWithEnv(job.ID)
		if pid == 0 {
			t.Fatal("no trainer process found for the job")
		}
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		// The job ends failed, saying how its trainer died, with the cost
		// of the time it ran; it is never left running.
		killed := time.Now()
		r := run(t, env, "job", "watch", job.ID, "--data-dir", d)
		took := time.Since(killed)
		t.Logf("the job ended %s after its trainer was killed", took.Round(time.Millisecond))
		// What the trainer started (here the command under its shell, in
		// real life data loader workers) holds its output open: the job
		// must not wait for them to finish on their own (a minute here).
		if took > 15*time.Second {
			t.Errorf("the job ended %s after its trainer died: it waited on the trainer's children", took)
		}
		j := showJob(t, env, d, job.ID)
		if r.code != 1 || j.Status != "failed" || !strings.Contains(j.ErrorMessage, "killed") || j.FinalCost == nil {
			t.Fatalf("after its trainer was killed: exit %d, %+v\n%s", r.code, j, r.stdout)
		}
	})

	t.Run("serve", func(t *testing.T) {
		d := dataDir(t)
		if r := run(t, nil, "user", "add", "alice", "--data-dir", d); r.code != 0 {
			t.Fatalf("user add: exit %d %s", r.code, r.stderr)
		}
		p := startServe(t, nil, "--data-dir", d)
		if err := p.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-p.exited
		// Its port is free at once and a new server takes it; the data
		// dir's services did not go with it.
		q := startServe(t, nil, "--data-dir", d, "--listen", p.addr)
		if q.addr != p.addr {
			t.Fatalf("the new server listens on %s, want %s", q.addr, p.addr)
		}
		if r := run(t, nil, "status", "--data-dir", d); r.code != 0 {
			t.Fatalf("status after serve was killed: exit %d %s", r.code, r.stderr)
		}
	})
}

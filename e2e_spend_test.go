package main_test

import (
	"bytes"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// Spend control through the binary: the price asked for on a terminal, a
// cost cap that stops the run, a monthly budget that refuses a job, and
// the costs report.

// demoDataset makes the demo data's dataset (66 conversations, 272 pairs):
// balanced on 1 × A100-80GB it is the $2.57 job of docs/operations.md.
func demoDataset(t testing.TB, env []string, d string) string {
	t.Helper()
	r := run(t, env, "trainingfile", "create", "--name", "everything", "--all", "--json", "--data-dir", d)
	var tf struct {
		ID string `json:"id"`
	}
	decode(t, r, &tf)
	r = run(t, env, "dataset", "from-trainingfile", tf.ID, "--json", "--data-dir", d)
	var ds datasetRow
	decode(t, r, &ds)
	if r.code != 0 || ds.Status != "ready" {
		t.Fatalf("demo dataset: exit %d %+v %s", r.code, ds, r.stderr)
	}
	return ds.ID
}

// onTerminal runs `brightrun ARGS…` with a pseudo-terminal as its stdin,
// typing answer into it; stdout and stderr are kept apart.
func onTerminal(t *testing.T, env []string, answer string, args ...string) result {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	go io.Copy(io.Discard, ptmx) // the terminal's echo
	cmd := binaryCmd(t, env, args...)
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := ptmx.Write([]byte(answer + "\n")); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

// jobTotal is how many jobs the operator has.
func jobTotal(t testing.TB, env []string, d string) int {
	t.Helper()
	var page struct {
		Total int `json:"total"`
	}
	decode(t, run(t, env, "job", "list", "--json", "--data-dir", d), &page)
	return page.Total
}

// On a terminal `job create` shows the price and asks; n writes nothing, y
// launches with --json's output unchanged; --yes and a stdin that is no
// terminal do not ask.
func TestE2EJobCreateAsksOnATerminal(t *testing.T) {
	d := dataDir(t)
	ds := demoDataset(t, nil, d)
	create := []string{"job", "create", "--dataset", ds, "--gpu", "A100-80GB", "--data-dir", d}

	r := onTerminal(t, nil, "n", create...)
	for _, want := range []string{"cost      ~$2.57", "gpus      1 × A100-80GB", "model     Qwen/", "duration  ~", "Launch? [y/N]", "nothing was written"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the question lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != 1 || r.stdout != "" || jobTotal(t, nil, d) != 0 {
		t.Fatalf("n: exit %d, stdout %q, %d jobs; want exit 1 and nothing written", r.code, r.stdout, jobTotal(t, nil, d))
	}

	// A cap below the estimate: the question says the run stops early.
	r = onTerminal(t, nil, "y", append(create, "--max-cost", "1", "--json")...)
	if !strings.Contains(r.stderr, "cap       $1.00: below the estimate, so the run will stop early") {
		t.Errorf("the question does not say the cap stops the run early:\n%s", r.stderr)
	}
	var j jobRow
	decode(t, r, &j)
	if r.code != 0 || j.EstimatedTotalCost != 2.57 || jobTotal(t, nil, d) != 1 {
		t.Fatalf("y --json: exit %d %+v %s", r.code, j, r.stderr)
	}

	for _, args := range [][]string{create, append(create, "--yes")} {
		r := run(t, nil, append(args, "--json")...) // stdin: /dev/null
		if r.code != 0 || strings.Contains(r.stderr, "Launch?") {
			t.Fatalf("%v without a terminal: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	if r := onTerminal(t, nil, "", append(create, "--yes")...); r.code != 0 || strings.Contains(r.stderr, "Launch?") {
		t.Fatalf("--yes on a terminal: exit %d, stderr %q", r.code, r.stderr)
	}
}

// --max-cost 1.00 on the $2.57 simulated job: the worker stops it,
// cancelled, at the cap plus at most one flush's worth, with the reason.
func TestE2ECostCapStopsTheJob(t *testing.T) {
	d := dataDir(t)
	const speed = 100
	env := []string{"BRIGHTRUN_SIM_SPEED=100"}
	ds := demoDataset(t, env, d)
	job := createJob(t, env, d, "--dataset", ds, "--gpu", "A100-80GB", "--max-cost", "1.00")
	var capped struct {
		jobRow
		MaxCost    *float64 `json:"max_cost"`
		StopReason string   `json:"stop_reason"`
	}
	if job.EstimatedTotalCost != 2.57 {
		t.Fatalf("the demo job is estimated at $%.2f, want $2.57", job.EstimatedTotalCost)
	}
	if r := run(t, env, "job", "watch", job.ID, "--data-dir", d); r.code != 1 {
		t.Fatalf("job watch of a capped job: exit %d, want 1 (cancelled)\n%s", r.code, r.stdout)
	}
	r := run(t, env, "job", "show", job.ID, "--json", "--data-dir", d)
	decode(t, r, &capped)
	// One flush is a tick of the simulated trainer (250 ms of wall time at
	// --sim-speed 100, i.e. 25 simulated seconds); a loaded machine may
	// stretch it, so allow four ticks.
	const rate = 3.50 // the catalog's A100-80GB, per GPU-hour
	flushWorth := rate * speed * 4 * 0.25 / 3600
	if capped.Status != "cancelled" || capped.FinalCost == nil || *capped.FinalCost < 1.00 || *capped.FinalCost > 1.00+flushWorth ||
		!strings.HasPrefix(capped.StopReason, "cost cap of $1.00 reached at step ") || capped.MaxCost == nil || *capped.MaxCost != 1 {
		t.Fatalf("capped job: %+v final %v stop %q", capped.jobRow, capped.FinalCost, capped.StopReason)
	}
	if r := run(t, env, "job", "show", job.ID, "--data-dir", d); !strings.Contains(r.stdout, "· cap $1.00") {
		t.Fatalf("job show does not show the cap on the cost line:\n%s", r.stdout)
	}
}

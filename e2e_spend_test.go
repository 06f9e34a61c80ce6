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

// A $5 budget lets the $2.57 job through and refuses a second with exit 1,
// the numbers in one line and nothing written. Once the job has run,
// `costs --json` sums to its cost record however it is grouped.
func TestE2EBudgetRefusesAndCostsSumUp(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_SIM_SPEED=300"}
	ds := demoDataset(t, env, d)
	if r := run(t, env, "budget", "show", "--data-dir", d); r.code != 1 || !strings.Contains(r.stderr, "has no monthly budget") {
		t.Fatalf("budget show without one: exit %d %q", r.code, r.stderr)
	}
	var b map[string]any
	decode(t, run(t, env, "budget", "set", "--monthly", "5", "--json", "--data-dir", d), &b)
	for _, k := range []string{"user", "month", "monthly_limit", "spent", "committed", "remaining"} {
		if _, ok := b[k]; !ok {
			t.Errorf("budget set --json lacks %q: %v", k, b)
		}
	}
	if b["monthly_limit"] != 5.0 || b["remaining"] != 5.0 || len(b["month"].(string)) != 7 {
		t.Fatalf("budget set: %v", b)
	}
	job := createJob(t, env, d, "--dataset", ds, "--gpu", "A100-80GB")
	r := run(t, env, "job", "create", "--dataset", ds, "--gpu", "A100-80GB", "--json", "--data-dir", d)
	if r.code != 1 || r.stdout != "" || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 ||
		!strings.Contains(r.stderr, "+ this job $2.57") || !strings.Contains(r.stderr, "the monthly limit of $5.00") {
		t.Fatalf("second job over the budget: exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
	if n := jobTotal(t, env, d); n != 1 {
		t.Fatalf("the refused job was written: %d jobs", n)
	}
	if r := run(t, env, "budget", "set", "--monthly", "5", "--user", "nobody", "--data-dir", d); r.code != 1 || !strings.Contains(r.stderr, "not found") {
		t.Fatalf("budget of an unknown user: exit %d %q", r.code, r.stderr)
	}

	if r := run(t, env, "job", "watch", job.ID, "--data-dir", d); r.code != 0 {
		t.Fatalf("job watch: exit %d %s", r.code, r.stderr)
	}
	done := showJob(t, env, d, job.ID)
	decode(t, run(t, env, "budget", "show", "--json", "--data-dir", d), &b)
	if b["spent"] != *done.FinalCost || b["committed"] != 0.0 {
		t.Fatalf("budget after the job: %+v, final cost %v", b, *done.FinalCost)
	}
	for _, by := range []string{"day", "user", "gpu", "model"} {
		var rep struct {
			Rows  []struct{ Total, Compute, Storage float64 } `json:"rows"`
			Total struct {
				Total float64 `json:"total"`
				Jobs  int     `json:"jobs"`
			} `json:"total"`
			TopJobs []struct {
				JobID string  `json:"job_id"`
				Total float64 `json:"total"`
			} `json:"top_jobs"`
		}
		decode(t, run(t, env, "costs", "--by", by, "--json", "--data-dir", d), &rep)
		sum := 0.0
		for _, row := range rep.Rows {
			sum += row.Total
			if diff := row.Compute + row.Storage - row.Total; diff > 0.005 || diff < -0.005 {
				t.Errorf("--by %s: a row's compute and storage do not add up to its total: %+v", by, row)
			}
		}
		if len(rep.Rows) != 1 || sum != rep.Total.Total || rep.Total.Total != *done.FinalCost || rep.Total.Jobs != 1 ||
			len(rep.TopJobs) != 1 || rep.TopJobs[0].JobID != job.ID {
			t.Errorf("costs --by %s: rows sum to %v, total %+v, the job's record %v, top %+v", by, sum, rep.Total, *done.FinalCost, rep.TopJobs)
		}
	}
	r = run(t, env, "costs", "--by", "gpu", "--csv", "--data-dir", d)
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); r.code != 0 || len(lines) != 3 || lines[0] != "gpu,compute,storage,total,gpu_hours,jobs" ||
		!strings.HasPrefix(lines[1], "A100-80GB,") || !strings.HasPrefix(lines[2], "total,") {
		t.Fatalf("costs --csv: exit %d\n%s", r.code, r.stdout)
	}
	if r := run(t, env, "costs", "--month", "2020-01", "--json", "--data-dir", d); r.code != 0 || !strings.Contains(r.stdout, `"rows": []`) {
		t.Fatalf("an empty month: exit %d %s", r.code, r.stdout)
	}
	for _, args := range [][]string{{"costs", "--by", "week"}, {"costs", "--month", "2026-13"}, {"costs", "--csv", "--json"}, {"budget", "set"}, {"budget", "set", "--monthly", "-2"}} {
		if r := run(t, env, append(args, "--data-dir", d)...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
}

package main_test

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchmarkJobCancel measures what an operator waits for when cancelling a
// running job: `brightrun job cancel ID` through the binary, from the
// process's start to its exit with the job cancelled and its cost recorded.
// Each round cancels 20 running simulated jobs and 5 running exec jobs
// (engine/worker/testdata/fake_trainer.sh in its slow mode), and 3 exec jobs whose
// trainer ignores SIGTERM (stubborn mode: only the SIGKILL stops it), one at
// a time, on the services' worker; a few jobs run at once, so the worker is
// busy as usual.
//
// It reports p50 and p95 of the whole command for each kind, and where
// the time goes (over all of them), from the job's own timestamps (the database's clock, the
// same host's): start-ms is the process start, engine open and the cancel
// request (up to cancel_requested_at); stop-ms is the worker noticing,
// stopping the trainer and writing the end (up to cancelled_at); tail-ms is
// the command noticing the end and exiting. show-ms is `job show` of the
// same job: what starting any command costs.
//
//	go test -run '^$' -bench BenchmarkJobCancel -benchtime 1x .
func BenchmarkJobCancel(b *testing.B) {
	// Slow enough that no job ends by itself before it is cancelled; the
	// services' exec worker holds 4 GPUs, so a batch of 4 one-GPU exec jobs
	// runs at once (a later value wins over fakeTrainerEnv's 2).
	env := fakeTrainerEnv(b, "BRIGHTRUN_SIM_SPEED=20", "BRIGHTRUN_WORKER_GPUS=4")
	var sim, execs, stubborn, start, stop, tail, show []time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := dataDir(b)
		ds := uploadReady(b, env, d)
		b.StartTimer()
		round := func(n int, args ...string) []time.Duration {
			var took []time.Duration
			for len(took) < n {
				batch := min(4, n-len(took)) // the services' worker runs 4 at once
				var jobs []jobRow
				for range batch {
					jobs = append(jobs, createJob(b, env, d, append([]string{"--dataset", ds}, args...)...))
				}
				for _, j := range jobs {
					// Training: the trainer is up and reporting.
					waitFor(b, env, d, j.ID, func(j jobRow) bool { return j.CurrentStep > 0 })
				}
				for _, j := range jobs {
					s := cancelTimed(b, env, d, j.ID)
					took = append(took, s.total)
					start, stop, tail, show = append(start, s.start), append(stop, s.stop), append(tail, s.tail), append(show, s.show)
				}
			}
			return took
		}
		sim = append(sim, round(20)...)
		execs = append(execs, round(5, "--trainer", "exec", "--name", "slow")...)
		stubborn = append(stubborn, round(3, "--trainer", "exec", "--name", "stubborn")...)
	}
	ms := func(ds []time.Duration, p float64) float64 {
		s := slices.Clone(ds)
		slices.Sort(s)
		return float64(s[int(p*float64(len(s)-1)+0.5)].Microseconds()) / 1000
	}
	report := func(name string, ds []time.Duration, percentiles ...int) {
		for _, p := range percentiles {
			b.ReportMetric(ms(ds, float64(p)/100), fmt.Sprintf("%s-p%d-ms", name, p))
		}
	}
	report("sim", sim, 50, 95)
	report("exec", execs, 50, 95)
	report("stubborn", stubborn, 50, 95)
	report("start", start, 50)
	report("stop", stop, 50, 95)
	report("tail", tail, 50, 95)
	report("show", show, 50)
}

// cancelSample is one timed `job cancel` and where its time went.
type cancelSample struct{ total, start, stop, tail, show time.Duration }

// cancelTimed cancels a running job through the binary and checks that it
// came back cancelled with its cost.
func cancelTimed(tb testing.TB, env []string, d, id string) cancelSample {
	tb.Helper()
	began := time.Now()
	r := run(tb, env, "job", "cancel", id, "--json", "--data-dir", d)
	ended := time.Now()
	var j struct {
		jobRow
		CancelRequestedAt *time.Time `json:"cancel_requested_at"`
		CancelledAt       *time.Time `json:"cancelled_at"`
	}
	decode(tb, r, &j)
	if r.code != 0 || j.Status != "cancelled" || j.FinalCost == nil || j.CancelRequestedAt == nil || j.CancelledAt == nil {
		tb.Fatalf("job cancel: exit %d %+v\n%s", r.code, j, r.stderr)
	}
	showBegan := time.Now()
	showJob(tb, env, d, id)
	return cancelSample{
		total: ended.Sub(began), start: j.CancelRequestedAt.Sub(began), stop: j.CancelledAt.Sub(*j.CancelRequestedAt),
		tail: ended.Sub(*j.CancelledAt), show: time.Since(showBegan),
	}
}

package main_test

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	gossh "golang.org/x/crypto/ssh"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/storetest"
	"brightrun/ui/app"
	"brightrun/ui/format"
	"brightrun/ui/sshserve"
	"brightrun/ui/sshserve/sshtest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// Environment of the benchmark's client process (see TestServeBenchClients).
const (
	benchAddrEnv     = "BRIGHTRUN_BENCH_SSH_ADDR"
	benchKeyEnv      = "BRIGHTRUN_BENCH_SSH_KEY"
	benchSessionsEnv = "BRIGHTRUN_BENCH_SSH_SESSIONS"
	// benchClientArgsEnv adds flags to the client process, as
	// -test.cpuprofile=clients.out to see what the clients cost.
	benchClientArgsEnv = "BRIGHTRUN_BENCH_CLIENT_ARGS"
)

// BenchmarkSessions50 serves the real TUI to 50 concurrent SSH sessions, each
// on the live view of one job, while that job streams metrics: each op is one
// metric point and progress write by a worker's own engine, as the trainer
// writes it, and ends when every session's screen shows the new step.
//
// It reports the server's live heap per session (runtime.ReadMemStats after a
// GC, before the sessions and once they all show the job, per session) and
// the frame latency from the write to the frame with the new step arriving
// at each client (p50, p95, max over every session and step), and the CPU
// one session costs the server per frame (and the clients, and the whole
// machine). The SSH clients run in a child process, so their memory is not
// counted; their CPU is, in the latency, since they share the machine.
//
// The sessions are one operator's (a job is seen by its owner only), so
// the reads of each change are shared (see engine's liveReads); every
// session still lays out and renders its own frames.
func BenchmarkSessions50(b *testing.B) { benchSessions(b, 50, 1) }

// BenchmarkSessions10 is the same with 10 sessions: beside the 50, it shows
// how the latency grows with the CPU the sessions need.
func BenchmarkSessions10(b *testing.B) { benchSessions(b, 10, 1) }

// BenchmarkSessions50Operators is 50 sessions of 50 operators, each on the
// live view of a job of their own, all 50 jobs streaming: each op writes a
// metric point to every job (in one transaction, as a worker's progress
// writer batches the runs it holds) and ends when every session shows its
// job's new step. No read is shared here.
func BenchmarkSessions50Operators(b *testing.B) { benchSessions(b, 50, 50) }

func benchSessions(b *testing.B, n, operators int) {
	ctx := context.Background()
	f := startServed(b)
	workerDB, srv := f.workerDB, f.srv
	ops := []benchOperator{f.benchOperator}
	for i := 1; i < operators; i++ {
		ops = append(ops, f.addOperator(b, fmt.Sprintf("bench%d", i)))
	}
	// The event listener and the pool are the server's whatever the number
	// of sessions: start them before the baseline.
	_, unsubscribe := f.server.Session(f.user).Subscribe()
	defer unsubscribe()

	var keyFiles []string
	for i, o := range ops {
		block, err := gossh.MarshalPrivateKey(o.priv, "")
		if err != nil {
			b.Fatal(err)
		}
		keyFile := fmt.Sprintf("%s/id_ed25519_%d", b.TempDir(), i)
		if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
			b.Fatal(err)
		}
		keyFiles = append(keyFiles, keyFile)
	}

	before := liveHeap()
	child := exec.Command(os.Args[0], append([]string{"-test.run=^TestServeBenchClients$", "-test.timeout=10m"}, strings.Fields(os.Getenv(benchClientArgsEnv))...)...)
	child.Env = append(os.Environ(), benchAddrEnv+"="+f.addr, benchKeyEnv+"="+strings.Join(keyFiles, ","),
		benchSessionsEnv+"="+strconv.Itoa(n))
	child.Stderr = os.Stderr
	toChild, err := child.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	fromChild, err := child.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := child.Start(); err != nil {
		b.Fatal(err)
	}
	var clientCPU time.Duration
	defer func() {
		toChild.Close()
		_ = child.Wait()
	}()
	lines := bufio.NewScanner(fromChild)
	expect := func(prefix string) string {
		for lines.Scan() {
			if rest, ok := strings.CutPrefix(lines.Text(), prefix); ok {
				return rest
			}
		}
		b.Fatalf("client process ended before %q: %v", prefix, lines.Err())
		return ""
	}
	expect("ready")
	after := liveHeap()
	sessions := srv.Sessions()

	var latencies []time.Duration
	var peak uint64 // the most heap in use after any op, garbage included
	serverCPU := processCPU()
	sys0 := machineBusy()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step := i + 1
		start := time.Now()
		flushes := make([]store.RunFlush, len(ops))
		for i, o := range ops {
			flushes[i] = storetest.PointFlush(o.user.ID, o.job.ID, step)
		}
		err := workerDB.Tx(ctx, func(tx pgx.Tx) error {
			results, err := store.SaveRunFlushes(ctx, tx, flushes)
			for _, r := range results {
				err = errors.Join(err, r.Err)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(toChild, "step %d %d\n", step, start.UnixNano())
		for _, f := range strings.Fields(expect(fmt.Sprintf("latencies %d ", step))) {
			ns, _ := strconv.ParseInt(f, 10, 64)
			if ns < 0 {
				b.Fatalf("a session never showed step %d", step)
			}
			latencies = append(latencies, time.Duration(ns))
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	b.StopTimer()
	machineCPU := machineBusy() - sys0
	serverCPU = processCPU() - serverCPU
	toChild.Close()
	if err := child.Wait(); err == nil {
		clientCPU = child.ProcessState.UserTime() + child.ProcessState.SystemTime()
	}
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	// After the loop: ResetTimer drops metrics reported before it.
	b.ReportMetric(float64(after-before)/float64(sessions)/(1<<20), "MiB/session")
	// The peak counts garbage not yet collected too, so it is what the
	// sessions cost between collections, at the collector's target.
	b.ReportMetric(float64(peak-min(peak, before))/float64(sessions)/(1<<20), "peak-MiB/session")
	b.ReportMetric(pct(0.50), "p50-frame-ms")
	b.ReportMetric(pct(0.95), "p95-frame-ms")
	b.ReportMetric(pct(1), "max-frame-ms")
	// CPU per metric write and session: what each session costs the server,
	// and for comparison what the clients' terminal emulation cost (the
	// clients share the machine's cores with the server).
	b.ReportMetric(float64(serverCPU.Microseconds())/1000/float64(b.N*sessions), "server-cpu-ms/frame")
	b.ReportMetric(float64(clientCPU.Microseconds())/1000/float64(b.N*sessions), "client-cpu-ms/frame")
	// And the whole machine's, Postgres included: on two cores the latency
	// is mostly the time all of it takes.
	b.ReportMetric(float64(machineCPU.Microseconds())/1000/float64(b.N*sessions), "machine-cpu-ms/frame")
}

// served is the real TUI served over SSH on a free port, with one operator
// who has a ready dataset and a queued job: what the sessions benchmark and
// the session tests connect to.
type served struct {
	server, worker *engine.Engine
	workerDB       *store.DB
	srv            *sshserve.Server
	addr           string
	benchOperator
}

// benchOperator is an operator with a key, a ready dataset and a job.
type benchOperator struct {
	user   model.User
	job    model.Job
	priv   ed25519.PrivateKey
	signer gossh.Signer
}

// addOperator registers another operator with a key, a ready dataset and a
// queued job named bench-job.
func (f *served) addOperator(tb testing.TB, name string) benchOperator {
	tb.Helper()
	ctx := context.Background()
	var o benchOperator
	var err error
	_, o.priv, _ = ed25519.GenerateKey(rand.Reader)
	if o.signer, err = gossh.NewSignerFromKey(o.priv); err != nil {
		tb.Fatal(err)
	}
	keys, err := engine.ParseAuthorizedKeys(name, gossh.MarshalAuthorizedKey(o.signer.PublicKey()))
	if err != nil {
		tb.Fatal(err)
	}
	if o.user, _, err = f.server.AddUserWithKeys(ctx, name, keys); err != nil {
		tb.Fatal(err)
	}
	dsID := uuid.New()
	err = f.workerDB.WithUser(ctx, o.user.ID, func(tx pgx.Tx) error {
		if _, err := store.InsertDataset(ctx, tx, o.user.ID, store.NewDataset{ID: dsID, Name: "bench-ds", Bucket: store.BucketDatasets, StoragePath: "k", FileName: "f.jsonl"}); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE datasets SET status = 'ready', training_ready = true, total_training_pairs = 1000, total_tokens = 400000 WHERE id = $1`, dsID)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	o.job, err = f.worker.Session(o.user).CreateJob(ctx, engine.JobRequest{DatasetID: dsID, Name: "bench-job", GPU: model.GPUConfig{Type: "A100-80GB", Count: 1}})
	if err != nil {
		tb.Fatal(err)
	}
	return o
}

func startServed(tb testing.TB) *served {
	tb.Helper()
	ctx := context.Background()
	f := &served{}
	f.worker, f.workerDB, f.server = enginetest.WorkerAndScreen(tb, storetest.NewDatabase(tb))
	f.benchOperator = f.addOperator(tb, "bench")

	hostKey, err := sshserve.LoadOrCreateHostKey(sshserve.HostKeyPath(tb.TempDir()))
	if err != nil {
		tb.Fatal(err)
	}
	f.srv, err = sshserve.New(sshserve.Config{
		HostKey: hostKey,
		Lookup:  f.server.UserByKey,
		NewModel: func(t sshserve.Terminal) tea.Model {
			return app.New(f.server.Session(t.User), app.Options{Context: t.Ctx, NoColor: t.NoColor, Remote: true, Logger: f.server.Log()})
		},
		IdleTimeout: time.Hour,
	})
	if err != nil {
		tb.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	f.addr = l.Addr().String()
	go f.srv.Serve(l)
	tb.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = f.srv.Shutdown(sctx)
	})
	return f
}

// processCPU is the CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	var ms runtime.MemStats
	for range 2 {
		runtime.GC()
	}
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestServeBenchClients is the client side of BenchmarkSessions50, run in a
// process of its own: it opens the sessions, puts each on the job's live
// view, says "ready", then for each "step N T0" line it reads waits for every
// screen to show step N and answers with the latencies from T0 to the
// arrival of those frames.
func TestServeBenchClients(t *testing.T) {
	addr := os.Getenv(benchAddrEnv)
	if addr == "" {
		t.Skip("the client process of BenchmarkSessions50")
	}
	// Session i signs in with key i of the list, round the list.
	var signers []gossh.Signer
	for _, file := range strings.Split(os.Getenv(benchKeyEnv), ",") {
		pemBytes, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		signer, err := gossh.ParsePrivateKey(pemBytes)
		if err != nil {
			t.Fatal(err)
		}
		signers = append(signers, signer)
	}
	n, err := strconv.Atoi(os.Getenv(benchSessionsEnv))
	if err != nil {
		t.Fatal(err)
	}
	terms := make([]*sshtest.Term, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range terms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := sshtest.Dial(addr, "bench", gossh.PublicKeys(signers[i%len(signers)]))
			if err != nil {
				errs <- err
				return
			}
			term, err := sshtest.Open(c, "xterm-256color", 120, 40, nil)
			if err != nil {
				errs <- err
				return
			}
			terms[i] = term
			term.Press("5")
			if _, err := term.WaitText(30*time.Second, "bench-job", "GPUs"); err != nil {
				errs <- fmt.Errorf("jobs list: %w", err)
				return
			}
			term.Press("enter")
			if text, err := term.WaitText(30*time.Second, "step 0/"); err != nil {
				errs <- fmt.Errorf("job view: %w\n%s", err, text)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		var step int
		var t0 int64
		if _, err := fmt.Sscanf(in.Text(), "step %d %d", &step, &t0); err != nil {
			t.Fatalf("bad line %q", in.Text())
		}
		want := "step " + format.Thousands(int64(step)) + "/"
		lat := make([]int64, len(terms))
		for i, term := range terms {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := term.WaitText(10*time.Second, want); err != nil {
					lat[i] = -1
					return
				}
				_, at := term.Output()
				lat[i] = at.UnixNano() - t0
			}()
		}
		wg.Wait()
		var out strings.Builder
		fmt.Fprintf(&out, "latencies %d", step)
		for _, l := range lat {
			fmt.Fprintf(&out, " %d", l)
		}
		fmt.Println(out.String())
	}
	for _, term := range terms {
		term.Close()
	}
}

// machineBusy is the CPU time every core of the machine has spent busy
// since boot (Linux's /proc/stat; 0 elsewhere), in clock ticks of 10 ms.
func machineBusy() time.Duration {
	data, _ := os.ReadFile("/proc/stat")
	f := strings.Fields(strings.SplitN(string(data), "\n", 2)[0])
	if len(f) < 2 {
		return 0
	}
	var busy int64
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i != 3 && i != 4 {
			busy += n
		}
	}
	return time.Duration(busy) * 10 * time.Millisecond
}

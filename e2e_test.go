package main_test

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The end-to-end tests build the real binary once and drive it as an
// operator or a script would, against the real local services.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func brightrunBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "brightrun-e2e-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "brightrun")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = err
			t.Logf("%s", out)
			return
		}
		gw, _ := filepath.Abs("bin/versitygw")
		if p := os.Getenv("BRIGHTRUN_VERSITYGW"); p != "" {
			gw = p
		}
		if _, err := os.Stat(gw); err != nil {
			buildErr = err
			return
		}
		buildErr = os.Symlink(gw, filepath.Join(dir, "versitygw"))
	})
	if buildErr != nil {
		t.Fatalf("build brightrun (run `make build` first for bin/versitygw): %v", buildErr)
	}
	return binPath
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs `brightrun ARGS…` to its end with the e2e environment plus env.
func run(t testing.TB, env []string, args ...string) result {
	t.Helper()
	return runCmd(t, binaryCmd(t, env, args...))
}

// binaryCmd prepares `brightrun ARGS…` with the environment every e2e run
// gets (services idle out after 20 s; no outside database or gateway), then
// env on top.
func binaryCmd(t testing.TB, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(brightrunBinary(t), args...)
	cmd.Env = append(append(os.Environ(), "BRIGHTRUN_SERVICES_IDLE=20s", "DATABASE_URL=", "BRIGHTRUN_VERSITYGW="), env...)
	return cmd
}

// runCmd runs a prepared command to its end and returns its exit code and
// output; a command that cannot run at all fails the test.
func runCmd(t testing.TB, cmd *exec.Cmd) result {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", cmd.Args[1:], err)
	}
	return result{code, out.String(), errb.String()}
}

// dataDir gives a test its own data dir and stops its services at the end.
func dataDir(t testing.TB) string {
	t.Helper()
	d := t.TempDir()
	t.Cleanup(func() {
		run(t, nil, "services", "stop", "--data-dir", d)
		if os.Geteuid() == 0 {
			// root keeps the cluster outside the data dir; tidy it too.
			matches, _ := filepath.Glob("/var/lib/brightrun/*")
			for _, m := range matches {
				if owner, err := os.ReadFile(filepath.Join(m, "data-dir")); err == nil && strings.TrimSpace(string(owner)) == d {
					os.RemoveAll(m)
				}
			}
		}
	})
	return d
}

func decode(t testing.TB, r result, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s\nstderr: %s", err, r.stdout, r.stderr)
	}
}

func TestE2EEstimateWorkedExample(t *testing.T) {
	r := run(t, nil, "estimate", "--pairs", "1000", "--tokens", "13268572", "--gpu", "A100-80GB", "--gpus", "2",
		"--batch-size", "4", "--epochs", "3", "--json", "--data-dir", t.TempDir())
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var e struct {
		EstimatedCost  float64            `json:"estimated_cost"`
		CostBreakdown  map[string]float64 `json:"cost_breakdown"`
		Hours          float64            `json:"estimated_duration_hours"`
		HourlyRate     float64            `json:"hourly_rate"`
		Details        map[string]float64 `json:"training_details"`
		GPUConfig      map[string]any     `json:"gpu_config"`
		Hyperparameter map[string]float64 `json:"hyperparameters"`
	}
	decode(t, r, &e)
	if e.EstimatedCost != 25.50 || e.CostBreakdown["compute"] != 25.00 || e.CostBreakdown["storage"] != 0.50 ||
		e.Hours != 3.57 || e.HourlyRate != 7.00 || e.Details["total_steps"] != 750 || e.Details["steps_per_epoch"] != 250 ||
		e.Details["estimated_throughput_tokens_per_sec"] != 3600 || e.Hyperparameter["rank"] != 16 || e.Hyperparameter["alpha"] != 32 {
		t.Fatalf("worked example: %+v", e)
	}

	r = run(t, nil, "estimate", "--pairs", "1000", "--tokens", "5000000", "--gpus", "4", "--compare", "--json", "--data-dir", t.TempDir())
	var list []map[string]any
	decode(t, r, &list)
	if r.code != 0 || len(list) != 12 {
		t.Fatalf("compare: exit %d, %d rows", r.code, len(list))
	}
}

func TestE2EBadInputExits2WithOneLine(t *testing.T) {
	d := t.TempDir()
	file := filepath.Join(d, "file")
	os.WriteFile(file, nil, 0o600)
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"unknown flag", nil, []string{"estimate", "--bogus"}, "flag provided but not defined"},
		{"out of range", nil, []string{"estimate", "--pairs", "10", "--tokens", "100", "--gpus", "9", "--batch-size", "65"}, "gpu_count 9"},
		{"bad preset", nil, []string{"estimate", "--pairs", "10", "--tokens", "100", "--preset", "turbo"}, "turbo"},
		{"missing pairs", nil, []string{"estimate", "--tokens", "100"}, "--pairs"},
		{"unknown command", nil, []string{"frobnicate"}, "unknown command"},
		{"unreachable database", []string{"DATABASE_URL=postgres://nobody@127.0.0.1:1/x?connect_timeout=2"}, []string{"conversations", "list", "--data-dir", d}, "127.0.0.1"},
		{"data dir not writable", nil, []string{"status", "--data-dir", filepath.Join(file, "sub")}, "data dir"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.env, tt.args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2; stderr %q", r.code, r.stderr)
			}
			lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
				t.Fatalf("stderr %q (want one line with %q), stdout %q", r.stderr, tt.want, r.stdout)
			}
		})
	}
}

func TestE2EStatusMigrateUsersServices(t *testing.T) {
	d := dataDir(t)
	env := []string{"BRIGHTRUN_USER=operator1"}

	// Two processes starting at the same moment share one set of services.
	var wg sync.WaitGroup
	results := make([]result, 2)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = run(t, env, "status", "--json", "--data-dir", d)
		}(i)
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Fatalf("status %d: exit %d: %s", i, r.code, r.stderr)
		}
		var st struct {
			Postgres struct {
				OK      bool   `json:"ok"`
				Version string `json:"version"`
			} `json:"postgres"`
			S3 struct {
				OK       bool   `json:"ok"`
				Endpoint string `json:"endpoint"`
			} `json:"s3"`
			User    string           `json:"user"`
			DataDir string           `json:"data_dir"`
			Counts  map[string]int64 `json:"counts"`
		}
		decode(t, r, &st)
		if !st.Postgres.OK || st.Postgres.Version == "" || !st.S3.OK || !strings.HasPrefix(st.S3.Endpoint, "http://127.0.0.1:") ||
			st.User != "operator1" || st.DataDir != d || st.Counts == nil {
			t.Fatalf("status %d: %+v", i, st)
		}
	}
	var svc struct {
		Running bool `json:"running"`
		PID     int  `json:"pid"`
	}
	r := run(t, nil, "services", "status", "--json", "--data-dir", d)
	decode(t, r, &svc)
	if !svc.Running || svc.PID == 0 {
		t.Fatalf("services status: %+v", svc)
	}
	if n := countProcesses(t, "services\x00--data-dir\x00"+d+"\x00"); n != 1 {
		t.Fatalf("%d services processes for one data dir, want 1", n)
	}

	r = run(t, nil, "migrate", "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "up to date") {
		t.Fatalf("migrate: exit %d %q %q", r.code, r.stdout, r.stderr)
	}

	r = run(t, nil, "user", "add", "alice", "--json", "--data-dir", d)
	var u struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	decode(t, r, &u)
	if r.code != 0 || u.Name != "alice" || u.ID == "" {
		t.Fatalf("user add: %d %+v", r.code, u)
	}
	r = run(t, nil, "user", "add", "alice", "--data-dir", d)
	if r.code != 2 || !strings.Contains(r.stderr, "exists") {
		t.Fatalf("duplicate user: exit %d %q", r.code, r.stderr)
	}
	r = run(t, nil, "user", "add", "bad name!", "--data-dir", d)
	if r.code != 2 {
		t.Fatalf("bad user name: exit %d %q", r.code, r.stderr)
	}

	r = run(t, nil, "services", "stop", "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "stopped") {
		t.Fatalf("services stop: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, nil, "services", "status", "--data-dir", d)
	if r.code != 1 {
		t.Fatalf("services status after stop: exit %d, want 1", r.code)
	}
	// Everything survives a restart: the user added before is still there.
	r = run(t, nil, "user", "list", "--json", "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, `"alice"`) {
		t.Fatalf("user list after restart: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestE2EPortInUseFailsCleanly(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	d := dataDir(t)
	r := run(t, []string{"BRIGHTRUN_S3_ADDR=" + busy.Addr().String()}, "status", "--data-dir", d)
	if r.code != 2 || !strings.Contains(r.stderr, "in use") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Fatalf("exit %d, stderr %q; want 2 and one line saying the port is in use", r.code, r.stderr)
	}
	// Nothing was left half-started: the next start, unpinned, works.
	r = run(t, nil, "status", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("start after the failed one: exit %d %q", r.code, r.stderr)
	}
}

// countProcesses counts processes whose command line contains want (NUL
// separated), reading /proc rather than needing pgrep on the machine.
func countProcesses(t testing.TB, want string) int {
	t.Helper()
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	n := 0
	for _, p := range cmdlines {
		data, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(data), want) {
			n++
		}
	}
	return n
}

package main_test

import (
	"strings"
	"testing"
)

// Every setting read from the environment is held to its flag's bounds: a
// bad value is one usage line (exit 2) naming the variable, its value and
// what is allowed, never a quiet fallback to the default (issue 14, defect
// 10). Those the background services read reach the command that started
// them.
func TestE2EEnvironmentValuesRefused(t *testing.T) {
	d := dataDir(t)
	convs := []string{"conversations", "list", "--data-dir", d} // starts the services in the background
	worker := []string{"worker", "--data-dir", d}
	services := []string{"services", "--data-dir", d} // the services in the foreground
	serve := []string{"serve", "--data-dir", d}
	for _, tc := range []struct {
		name, value string
		args        []string
		want        string
		env         []string
	}{
		{"BRIGHTRUN_WORKER_CONCURRENCY", "abc", worker, "want a whole number from 1 to 256", nil},
		{"BRIGHTRUN_WORKER_CONCURRENCY", "0", worker, "want a whole number from 1 to 256", nil},
		{"BRIGHTRUN_WORKER_CONCURRENCY", "257", convs, "want a whole number from 1 to 256", nil},
		{"BRIGHTRUN_WORKER_CONCURRENCY", " 4", services, "want a whole number from 1 to 256", nil},
		{"BRIGHTRUN_SIM_SPEED", "NaN", worker, "want a number between 0", nil},
		{"BRIGHTRUN_SIM_SPEED", "-1", convs, "want a number between 0", nil},
		{"BRIGHTRUN_EXEC_IDLE_TIMEOUT", "0", worker, "want a positive duration", nil},
		{"BRIGHTRUN_RESCUE_AFTER", "soon", convs, "want a positive duration", nil},
		{"BRIGHTRUN_SERVICES_IDLE", "soon", convs, "want a duration such as 30m, or 0 for never", nil},
		{"BRIGHTRUN_SERVICES_IDLE", "-1m", services, "want a duration such as 30m, or 0 for never", nil},
		{"BRIGHTRUN_SERVICES_WORKER", "maybe", convs, "want 1 or 0", nil},
		{"BRIGHTRUN_S3_ADDR", "nope", convs, "want host:port with a port from 1 to 65535", nil},
		{"BRIGHTRUN_S3_ADDR", "127.0.0.1:0", convs, "want host:port with a port from 1 to 65535", nil},
		{"BRIGHTRUN_S3_ADDR", "127.0.0.1:70000", services, "want host:port with a port from 1 to 65535", nil},
		{"BRIGHTRUN_SSH_LISTEN", "nonsense", serve, "want host:port with a port from 0 to 65535", nil},
		{"BRIGHTRUN_SSH_IDLE_TIMEOUT", "-1m", serve, "want a duration such as 30m, or 0 for none", nil},
		{"BRIGHTRUN_S3_PATH_STYLE", "maybe", convs, "want true or false", []string{"DATABASE_URL=postgres://nobody@127.0.0.1:1/x"}},
		{"AWS_S3_USE_PATH_STYLE", "sometimes", convs, "want true or false", []string{"DATABASE_URL=postgres://nobody@127.0.0.1:1/x"}},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			r := run(t, append(tc.env, tc.name+"="+tc.value), tc.args...)
			want := tc.name + "=" + `"` + tc.value + `": ` + tc.want
			if r.code != 2 || !strings.Contains(r.stderr, want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Fatalf("%v: exit %d, stderr %q; want 2 and one line with %q", tc.args, r.code, r.stderr, want)
			}
		})
	}

	// An empty value counts as unset: the default applies, nothing is refused.
	t.Run("empty is unset", func(t *testing.T) {
		empty := []string{"BRIGHTRUN_WORKER_CONCURRENCY=", "BRIGHTRUN_SIM_SPEED=", "BRIGHTRUN_EXEC_IDLE_TIMEOUT=",
			"BRIGHTRUN_RESCUE_AFTER=", "BRIGHTRUN_SERVICES_IDLE=", "BRIGHTRUN_SERVICES_WORKER=", "BRIGHTRUN_S3_ADDR="}
		if r := run(t, empty, "services", "status", "--data-dir", d); r.code != 1 || !strings.Contains(r.stdout, "no local services running") {
			t.Fatalf("services status: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
		if r := run(t, empty, "worker", "--concurrency", "0", "--data-dir", d); r.code != 2 || !strings.Contains(r.stderr, "--concurrency 0 is out of range") {
			t.Fatalf("worker: exit %d, stderr %q", r.code, r.stderr)
		}
	})
}

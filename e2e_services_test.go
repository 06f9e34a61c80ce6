package main_test

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// servicesPort is the S3 gateway's port of the data dir's running services.
func servicesPort(t *testing.T, d string) int {
	t.Helper()
	var svc struct {
		Running    bool   `json:"running"`
		S3Endpoint string `json:"s3_endpoint"`
	}
	decode(t, run(t, nil, "services", "status", "--json", "--data-dir", d), &svc)
	u, err := url.Parse(svc.S3Endpoint)
	if !svc.Running || err != nil {
		t.Fatalf("services status: %+v %v", svc, err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatalf("endpoint %q has no port", svc.S3Endpoint)
	}
	return port
}

func servicesStop(t *testing.T, d string) {
	t.Helper()
	if r := run(t, nil, "services", "stop", "--data-dir", d); r.code != 0 || !strings.Contains(r.stdout, "stopped") {
		t.Fatalf("services stop: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// A presigned URL handed out before the services stop (idle, crash) still
// works after the next start: the gateway takes the port it had. When that
// port is taken, it takes another and says so wherever URLs are shown.
func TestE2EServicesKeepTheirS3Port(t *testing.T) {
	d := dataDir(t)
	r := run(t, nil, "dataset", "upload-url", "--name", "later", "--json", "--data-dir", d)
	var ticket struct {
		URL string `json:"url"`
	}
	decode(t, r, &ticket)
	port := servicesPort(t, d)
	servicesStop(t, d)

	if r = run(t, nil, "status", "--data-dir", d); r.code != 0 || strings.Contains(r.stdout, "port changed") {
		t.Fatalf("status after restart: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if got := servicesPort(t, d); got != port {
		t.Fatalf("S3 port %d after a restart, want %d as before", got, port)
	}
	req, _ := http.NewRequest(http.MethodPut, ticket.URL, bytes.NewReader([]byte(`{"messages":[]}`+"\n")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("PUT to the URL from before the restart: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT to the URL from before the restart: %s", resp.Status)
	}

	// The saved port is taken while the services are down.
	servicesStop(t, d)
	busy, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("occupy port %d: %v", port, err)
	}
	defer busy.Close()
	var st struct {
		S3 struct {
			OK              bool   `json:"ok"`
			Endpoint        string `json:"endpoint"`
			PortChangedFrom int    `json:"port_changed_from"`
			Note            string `json:"note"`
		} `json:"s3"`
	}
	r = run(t, nil, "status", "--json", "--data-dir", d)
	decode(t, r, &st)
	moved := servicesPort(t, d)
	if r.code != 0 || !st.S3.OK || moved == port || st.S3.PortChangedFrom != port ||
		!strings.Contains(st.S3.Note, "changed from "+strconv.Itoa(port)+" to "+strconv.Itoa(moved)) {
		t.Fatalf("status --json after the port was taken: exit %d %+v (port was %d, is %d)", r.code, st.S3, port, moved)
	}
	r = run(t, nil, "status", "--data-dir", d)
	if !strings.Contains(r.stdout, "warning: the S3 port changed from "+strconv.Itoa(port)) {
		t.Fatalf("status does not warn of the port change:\n%s", r.stdout)
	}
	r = run(t, nil, "services", "status", "--data-dir", d)
	if !strings.Contains(r.stdout, "warning: the S3 port changed from "+strconv.Itoa(port)) {
		t.Fatalf("services status does not warn of the port change:\n%s", r.stdout)
	}
	r = run(t, nil, "dataset", "upload-url", "--name", "after", "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stderr, "warning: the S3 port changed from "+strconv.Itoa(port)+" to "+strconv.Itoa(moved)) {
		t.Fatalf("upload-url does not warn of the port change: %d %q", r.code, r.stderr)
	}
	// The new port is kept from now on, and the warning goes with the start that moved it.
	servicesStop(t, d)
	busy.Close()
	r = run(t, nil, "status", "--json", "--data-dir", d)
	st.S3.PortChangedFrom, st.S3.Note = 0, ""
	decode(t, r, &st)
	if got := servicesPort(t, d); got != moved || st.S3.PortChangedFrom != 0 || st.S3.Note != "" {
		t.Fatalf("after the next restart: port %d (want %d), %+v", got, moved, st.S3)
	}
}

// processesOf lists the pids whose command line holds want (NUL separated).
func processesOf(want string) []int {
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var pids []int
	for _, p := range cmdlines {
		data, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(data), want) {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
			pids = append(pids, pid)
		}
	}
	return pids
}

// gatewayOf is what every versitygw of the data dir d has on its command line.
func gatewayOf(d string) string { return "posix\x00" + filepath.Join(d, "objects") + "\x00" }

// waitNone waits up to 10s until no process's command line holds want.
func waitNone(t *testing.T, want string) []int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		pids := processesOf(want)
		if len(pids) == 0 || time.Now().After(deadline) {
			return pids
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill -9 of the services takes their gateway and postgres with them; the
// next start runs exactly one gateway, and stop leaves none.
func TestE2EKilledServicesLeaveNoGateway(t *testing.T) {
	d := dataDir(t)
	if r := run(t, nil, "status", "--data-dir", d); r.code != 0 {
		t.Fatalf("status: %d %q", r.code, r.stderr)
	}
	var svc struct {
		PID int `json:"pid"`
	}
	decode(t, run(t, nil, "services", "status", "--json", "--data-dir", d), &svc)
	gw := processesOf(gatewayOf(d))
	pg := processesOf(clusterDirOf(t, d) + "\x00")
	if svc.PID == 0 || len(gw) != 1 || len(pg) == 0 {
		t.Fatalf("services pid %d, gateways %v, postgres %v", svc.PID, gw, pg)
	}
	if err := syscall.Kill(svc.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if left := waitNone(t, gatewayOf(d)); len(left) != 0 {
		t.Fatalf("the gateway %v outlived its killed services", left)
	}
	if left := waitNone(t, "-D\x00"+clusterDirOf(t, d)+"\x00"); len(left) != 0 {
		t.Fatalf("postgres %v outlived its killed services", left)
	}
	if r := run(t, nil, "status", "--data-dir", d); r.code != 0 {
		t.Fatalf("status after the kill: %d %q", r.code, r.stderr)
	}
	if n := len(processesOf(gatewayOf(d))); n != 1 {
		t.Fatalf("%d gateways for one data dir after the restart, want 1", n)
	}
	servicesStop(t, d)
	if left := waitNone(t, gatewayOf(d)); len(left) != 0 {
		t.Fatalf("services stop left the gateway %v", left)
	}
}

// A gateway that survived its services (no parent-death signal on this
// system, or started before this fix) is found through its pid file and
// stopped by the next start; a pid file naming a process that is not the
// data dir's gateway (a recycled pid) is never acted on.
func TestE2EStartStopsAStaleGateway(t *testing.T) {
	d := dataDir(t)
	if r := run(t, nil, "status", "--data-dir", d); r.code != 0 {
		t.Fatalf("status: %d %q", r.code, r.stderr)
	}
	servicesStop(t, d)

	// The orphan: a gateway of this data dir that no services own.
	creds, err := os.ReadFile(filepath.Join(d, "s3-credentials.json"))
	if err != nil {
		t.Fatal(err)
	}
	var keys struct {
		AccessKey string `json:"access_key"`
		SecretKey string `json:"secret_key"`
	}
	if err := json.Unmarshal(creds, &keys); err != nil {
		t.Fatal(err)
	}
	gwBin, _ := filepath.Abs("bin/versitygw")
	if p := os.Getenv("BRIGHTRUN_VERSITYGW"); p != "" {
		gwBin = p
	}
	orphan := exec.Command(gwBin, "--port", "127.0.0.1:0", "--quiet", "posix", filepath.Join(d, "objects"))
	orphan.Env = append(os.Environ(), "ROOT_ACCESS_KEY_ID="+keys.AccessKey, "ROOT_SECRET_ACCESS_KEY="+keys.SecretKey)
	if err := orphan.Start(); err != nil {
		t.Fatal(err)
	}
	orphanDone := make(chan error, 1)
	go func() { orphanDone <- orphan.Wait() }()
	defer orphan.Process.Kill()
	// And an unrelated process, as if a recycled pid were in the file.
	bystander := exec.Command("sleep", "60")
	if err := bystander.Start(); err != nil {
		t.Fatal(err)
	}
	defer bystander.Process.Kill()
	pidFile := filepath.Join(d, "s3-gateway.pid")

	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(bystander.Process.Pid)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := run(t, nil, "status", "--data-dir", d); r.code != 0 {
		t.Fatalf("status: %d %q", r.code, r.stderr)
	}
	if err := syscall.Kill(bystander.Process.Pid, 0); err != nil {
		t.Fatalf("the start signalled pid %d, which is not a gateway: %v", bystander.Process.Pid, err)
	}
	servicesStop(t, d)

	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(orphan.Process.Pid)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := run(t, nil, "status", "--data-dir", d); r.code != 0 {
		t.Fatalf("status: %d %q", r.code, r.stderr)
	}
	select {
	case <-orphanDone:
	case <-time.After(10 * time.Second):
		t.Fatalf("the start left the stale gateway %d running", orphan.Process.Pid)
	}
	if pids := processesOf(gatewayOf(d)); len(pids) != 1 {
		t.Fatalf("gateways %v for one data dir, want 1", pids)
	}
}

// clusterDirOf is PGDATA of the data dir d: inside it, or as root under
// /var/lib/brightrun in the cluster that names d as its data dir.
func clusterDirOf(t *testing.T, d string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		return filepath.Join(d, "postgres", "data")
	}
	owners, _ := filepath.Glob("/var/lib/brightrun/*/data-dir")
	for _, o := range owners {
		data, err := os.ReadFile(o)
		if err == nil && strings.SplitN(string(data), "\n", 2)[0] == d {
			return filepath.Join(filepath.Dir(o), "data")
		}
	}
	t.Fatalf("no cluster under /var/lib/brightrun names %s", d)
	return ""
}

type conversationList struct {
	Total int `json:"total"`
}

// As root the cluster lives outside the data dir. Deleting the data dir and
// making it again at the same path must start afresh (demo seed, none of
// the old rows, whose objects went with the data dir), and the old cluster
// is removed by that start.
func TestE2EDeletedDataDirStartsAfresh(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the cluster lives outside the data dir only as root")
	}
	d := dataDir(t)
	var before conversationList
	decode(t, run(t, nil, "conversations", "list", "--json", "--data-dir", d), &before)
	if before.Total == 0 {
		t.Fatal("no demo seed at the first start")
	}
	if r := run(t, nil, "dataset", "upload-url", "--name", "old-row", "--json", "--data-dir", d); r.code != 0 {
		t.Fatalf("upload-url: %d %s", r.code, r.stderr)
	}
	oldCluster := filepath.Dir(clusterDirOf(t, d))
	servicesStop(t, d)
	if err := os.RemoveAll(d); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(d, 0o700); err != nil {
		t.Fatal(err)
	}

	r := run(t, nil, "conversations", "list", "--json", "--data-dir", d)
	var after conversationList
	decode(t, r, &after)
	if r.code != 0 || after.Total != before.Total || !strings.Contains(r.stderr, "demo") {
		t.Fatalf("after recreating the data dir: exit %d, %d conversations (want the %d of a fresh seed), stderr %q", r.code, after.Total, before.Total, r.stderr)
	}
	r = run(t, nil, "dataset", "list", "--json", "--data-dir", d)
	if strings.Contains(r.stdout, "old-row") {
		t.Fatalf("the old data dir's rows came back:\n%s", r.stdout)
	}
	if _, err := os.Stat(oldCluster); !os.IsNotExist(err) {
		t.Fatalf("the old cluster %s is still there (%v)", oldCluster, err)
	}
	if now := filepath.Dir(clusterDirOf(t, d)); now == oldCluster {
		t.Fatalf("the new data dir reuses the cluster %s", now)
	}
	id, err := os.ReadFile(filepath.Join(d, "id"))
	if st, serr := os.Stat(filepath.Join(d, "id")); err != nil || serr != nil || st.Mode().Perm() != 0o600 ||
		filepath.Base(filepath.Dir(clusterDirOf(t, d))) != strings.TrimSpace(string(id)) {
		t.Fatalf("the data dir's id %q (%v) does not key its cluster %s", id, err, clusterDirOf(t, d))
	}
}

// services purge deletes the data dir's database and objects (after a
// confirmation it cannot get without a terminal), and the next start seeds
// afresh.
func TestE2EServicesPurge(t *testing.T) {
	d := dataDir(t)
	var before conversationList
	decode(t, run(t, nil, "conversations", "list", "--json", "--data-dir", d), &before)
	if r := run(t, nil, "dataset", "upload-url", "--name", "old-row", "--json", "--data-dir", d); r.code != 0 {
		t.Fatalf("upload-url: %d %s", r.code, r.stderr)
	}
	cluster := filepath.Dir(clusterDirOf(t, d))
	objects := filepath.Join(d, "objects")

	r := run(t, nil, "services", "purge", "--data-dir", d)
	if r.code != 2 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("purge without a terminal or --yes: exit %d %q", r.code, r.stderr)
	}
	if _, err := os.Stat(cluster); err != nil {
		t.Fatalf("a refused purge touched the cluster: %v", err)
	}
	var out struct {
		Deleted []string `json:"deleted"`
	}
	r = run(t, nil, "services", "purge", "--yes", "--json", "--data-dir", d)
	decode(t, r, &out)
	if r.code != 0 || !slices.Contains(out.Deleted, cluster) || !slices.Contains(out.Deleted, objects) {
		t.Fatalf("purge: exit %d, deleted %v, want %s and %s; stderr %q", r.code, out.Deleted, cluster, objects, r.stderr)
	}
	for _, p := range []string{cluster, objects} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("%s survived the purge (%v)", p, err)
		}
	}
	if n := len(processesOf(gatewayOf(d))); n != 0 {
		t.Fatalf("%d gateways left after the purge", n)
	}
	var after conversationList
	r = run(t, nil, "conversations", "list", "--json", "--data-dir", d)
	decode(t, r, &after)
	if after.Total != before.Total {
		t.Fatalf("after the purge: %d conversations, want the %d of a fresh seed", after.Total, before.Total)
	}
	if r = run(t, nil, "dataset", "list", "--json", "--data-dir", d); strings.Contains(r.stdout, "old-row") {
		t.Fatalf("a purged row came back:\n%s", r.stdout)
	}
	servicesStop(t, d)
	r = run(t, nil, "services", "purge", "--yes", "--data-dir", d)
	if r.code != 0 || !strings.Contains(r.stdout, "deleted the database and objects of "+d) {
		t.Fatalf("human purge: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// For an ordinary user the cluster is inside the data dir; purge deletes it
// there. As root this runs the binary as nobody to take that path too.
func TestE2EServicesPurgeAsUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("TestE2EServicesPurge takes this path when not root")
	}
	bin := brightrunBinary(t)
	if err := os.Chmod(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	parent, err := os.MkdirTemp("", "brightrun-user-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(parent) })
	if err := os.Chmod(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	d := filepath.Join(parent, "data")
	if err := os.Mkdir(d, 0o700); err != nil {
		t.Fatal(err)
	}
	const nobody = 65534
	if err := os.Chown(d, nobody, nobody); err != nil {
		t.Fatal(err)
	}
	asUser := func(args ...string) result {
		t.Helper()
		cmd := binaryCmd(t, []string{"HOME=" + d, "BRIGHTRUN_USER=someone"}, append(args, "--data-dir", d)...)
		cmd.Dir = d
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody, NoSetGroups: true}}
		return runCmd(t, cmd)
	}
	t.Cleanup(func() { asUser("services", "stop") })

	var before conversationList
	decode(t, asUser("conversations", "list", "--json"), &before)
	cluster, objects := filepath.Join(d, "postgres"), filepath.Join(d, "objects")
	for _, p := range []string{cluster, objects} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("as a user the data dir holds %s: %v", p, err)
		}
	}
	var out struct {
		Deleted []string `json:"deleted"`
	}
	r := asUser("services", "purge", "--yes", "--json")
	decode(t, r, &out)
	if r.code != 0 || !slices.Contains(out.Deleted, cluster) || !slices.Contains(out.Deleted, objects) {
		t.Fatalf("purge: exit %d, deleted %v; stderr %q", r.code, out.Deleted, r.stderr)
	}
	for _, p := range []string{cluster, objects} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("%s survived the purge (%v)", p, err)
		}
	}
	var after conversationList
	decode(t, asUser("conversations", "list", "--json"), &after)
	if before.Total == 0 || after.Total != before.Total {
		t.Fatalf("conversations before %d, after the purge %d: want a fresh seed", before.Total, after.Total)
	}
}

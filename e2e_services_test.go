package main_test

import (
	"bytes"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
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

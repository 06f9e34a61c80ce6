package local

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// Credentials are the S3 keys of the local gateway, generated once per data dir.
type Credentials struct {
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key"`
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return string(b)
}

// loadCredentials reads the keys, creating them (mode 0600) on first use.
func loadCredentials(path string) (Credentials, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		var c Credentials
		if err := json.Unmarshal(data, &c); err != nil || c.AccessKey == "" || c.SecretKey == "" {
			return Credentials{}, fmt.Errorf("S3 credentials file %s is damaged; delete it to generate new keys", path)
		}
		return c, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return Credentials{}, fmt.Errorf("read S3 credentials: %w", err)
	}
	c := Credentials{AccessKey: "BR" + randomString(18), SecretKey: randomString(40)}
	data, _ = json.MarshalIndent(c, "", "  ")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return Credentials{}, fmt.Errorf("write S3 credentials: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return Credentials{}, fmt.Errorf("write S3 credentials: %w", err)
	}
	return c, nil
}

// gateway is a versitygw posix process serving the objects directory.
type gateway struct {
	bin      string
	dir      string
	pidFile  string
	creds    Credentials
	addr     string
	cmd      *exec.Cmd
	exited   chan error
	Endpoint string
}

// FindVersitygw looks for the gateway binary: $BRIGHTRUN_VERSITYGW, next to
// our own executable (make build puts both in bin/), then PATH.
func FindVersitygw() (string, error) {
	if p := os.Getenv("BRIGHTRUN_VERSITYGW"); p != "" {
		if isExec(p) {
			return p, nil
		}
		return "", fmt.Errorf("BRIGHTRUN_VERSITYGW=%s is not an executable file", p)
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), "versitygw")
		if isExec(p) {
			return p, nil
		}
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	return "", errors.New("versitygw (the local S3 gateway) not found next to brightrun or on PATH: run `make build`, which puts it in bin/")
}

// freePort asks the kernel for an unused loopback port.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// start runs the gateway on addr, or on a free port when addr is empty,
// retrying a few times because a free port can be taken before we bind it.
func (g *gateway) start(ctx context.Context, addr string, logf *os.File) error {
	if err := os.MkdirAll(g.dir, 0o700); err != nil {
		return fmt.Errorf("create objects dir: %w", err)
	}
	fixed := addr != ""
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		a := addr
		if !fixed {
			p, err := freePort()
			if err != nil {
				return fmt.Errorf("find a free port for the S3 gateway: %w", err)
			}
			a = p
		} else if l, err := net.Listen("tcp", a); err != nil {
			return fmt.Errorf("S3 gateway address %s is in use or not available: %w", a, err)
		} else {
			l.Close()
		}
		err := g.startOn(ctx, a, logf)
		if err == nil {
			return nil
		}
		lastErr = err
		if fixed || ctx.Err() != nil {
			break
		}
	}
	return lastErr
}

func (g *gateway) startOn(ctx context.Context, addr string, logf *os.File) error {
	cmd := exec.Command(g.bin, "--port", addr, "--quiet", "posix", g.dir)
	cmd.Env = append(os.Environ(),
		"ROOT_ACCESS_KEY_ID="+g.creds.AccessKey,
		"ROOT_SECRET_ACCESS_KEY="+g.creds.SecretKey,
	)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := StartChild(cmd, syscall.SIGKILL); err != nil {
		return fmt.Errorf("start versitygw: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	if err := writePIDFile(g.pidFile, cmd.Process.Pid); err != nil {
		_ = cmd.Process.Kill()
		<-exited
		return err
	}
	endpoint := "http://" + addr
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get(endpoint + "/")
		if err == nil {
			resp.Body.Close()
			g.cmd, g.exited, g.addr, g.Endpoint = cmd, exited, addr, endpoint
			return nil
		}
		select {
		case werr := <-exited:
			return fmt.Errorf("versitygw exited during start on %s: %v", addr, werr)
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			<-exited
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("versitygw did not answer on %s within 30s", addr)
		}
	}
}

// stopStale stops a gateway of this data dir left running by services that
// died before they could stop it (where the kernel does not do it for us).
func (g *gateway) stopStale(logf io.Writer) error {
	pid, err := stopStale(g.pidFile, g.dir, syscall.SIGTERM, 5*time.Second)
	if pid != 0 {
		fmt.Fprintf(logf, "stopped the S3 gateway (pid %d) that earlier services of this data dir left running\n", pid)
	}
	return err
}

func (g *gateway) stop() {
	if g.cmd == nil {
		return
	}
	defer os.Remove(g.pidFile)
	_ = g.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-g.exited:
		g.exited <- err
	case <-time.After(10 * time.Second):
		_ = g.cmd.Process.Kill()
		<-g.exited
	}
}

package main_test

import (
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh/agent"
)

// TestE2EServeRefusesOpenSSHForwarding connects with OpenSSH's own client
// asking for agent forwarding (ssh -A, with an agent to forward) and a local
// port forward (-L): `brightrun serve` logs both refused, never opens a
// channel back to the agent, and the session still starts its TUI.
func TestE2EServeRefusesOpenSSHForwarding(t *testing.T) {
	sshBin, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("no OpenSSH client (ssh) on PATH")
	}
	keygen, err := exec.LookPath("ssh-keygen")
	if err != nil {
		t.Skip("no ssh-keygen on PATH")
	}
	d := dataDir(t)
	if r := run(t, []string{"BRIGHTRUN_USER=seeder"}, "status", "--data-dir", d); r.code != 0 {
		t.Fatalf("status: exit %d %s", r.code, r.stderr)
	}
	keyDir := t.TempDir()
	key := filepath.Join(keyDir, "id_ed25519")
	if out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-C", "alice@openssh", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v %s", err, out)
	}
	if r := run(t, nil, "user", "add", "alice", "--key", key+".pub", "--data-dir", d); r.code != 0 {
		t.Fatalf("user add: exit %d %s", r.code, r.stderr)
	}
	srv := startServe(t, nil, "--data-dir", d)
	host, port, _ := net.SplitHostPort(srv.addr)

	// An agent to forward: OpenSSH asks only when it has one.
	sock := filepath.Join(t.TempDir(), "agent.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	keyring := agent.NewKeyring()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); _ = agent.ServeAgent(keyring, c) }()
		}
	}()

	// A free port for -L: the first connection to it asks for a channel.
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	forward := free.Addr().String()
	free.Close()

	cmd := exec.Command(sshBin, "-F", "/dev/null", "-A", "-tt", "-p", port, "-i", key,
		"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=/dev/null", "-o", "ExitOnForwardFailure=no",
		"-L", forward+":127.0.0.1:22", "alice@"+host)
	cmd.Env = append(os.Environ(), "SSH_AUTH_SOCK="+sock, "TERM=xterm-256color")
	stdin, err := cmd.StdinPipe() // held open: its end would end the session
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() })

	logFile := filepath.Join(d, "logs", "brightrun.log") // where serve logs
	serverLog := func() string {
		b, _ := os.ReadFile(logFile)
		return string(b)
	}
	waitLog := func(want ...string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			ok := true
			for _, w := range want {
				ok = ok && strings.Contains(serverLog(), w)
			}
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the server's log lacks %q:\n%s", want, serverLog())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitLog("ssh session start", "ssh request refused: agent forwarding", "type=auth-agent-req@openssh.com")

	// ssh -L: the tunnel's first connection is closed, its channel refused.
	c, err := net.DialTimeout("tcp", forward, 10*time.Second)
	if err != nil {
		t.Fatalf("ssh -L listens on nothing: %v", err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := c.Read(make([]byte, 1)); err == nil || n > 0 {
		t.Errorf("the forwarded connection read %d bytes, %v; want it closed", n, err)
	}
	waitLog("ssh channel refused", "type=direct-tcpip", "user=alice")
}

package sshserve_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"brightrun/ui/sshserve/sshtest"
)

// TestForwardingIsRefusedAndTheSessionGoesOn asks, with a real client, for
// every kind of forwarding in the protocol (ssh -A, -X, -R, -L, -D and their
// unix-socket forms) on one authenticated connection: each is answered no
// and logged, and a session that asked for agent and X11 forwarding still
// gets its terminal.
func TestForwardingIsRefusedAndTheSessionGoesOn(t *testing.T) {
	f := start(t, nil)
	c := f.dial(t, gossh.PublicKeys(f.alice.signer))

	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	x11 := gossh.Marshal(struct {
		Single          bool
		Protocol, Cooki string
		Screen          uint32
	}{false, "MIT-MAGIC-COOKIE-1", "00112233445566778899aabbccddeeff", 0})
	for _, req := range []struct {
		typ     string
		payload []byte
		logged  string
	}{
		{"auth-agent-req@openssh.com", nil, "ssh request refused: agent forwarding"},
		{"x11-req", x11, "ssh request refused: X11 forwarding"},
	} {
		ok, err := sess.SendRequest(req.typ, true, req.payload)
		if err != nil || ok {
			t.Errorf("session request %s: ok=%v err=%v; want refused", req.typ, ok, err)
		}
		if !waitLog(f.log, req.logged, "type="+req.typ, "user=alice") {
			t.Errorf("%s: log lacks %q:\n%s", req.typ, req.logged, f.log)
		}
	}
	// What ssh -A does, through the library's own call.
	if err := agent.RequestAgentForwarding(sess); err == nil || !strings.Contains(err.Error(), "denied") {
		t.Errorf("RequestAgentForwarding: %v; want denied", err)
	}

	// The session itself still works: it gets a terminal and its TUI.
	screen := sshtest.NewScreen(80, 24)
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatalf("pty after the refusals: %v", err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	// Stdin stays open: its end would close the session.
	if _, err := sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatalf("shell after the refusals: %v", err)
	}
	chunks := make(chan []byte)
	go func() {
		defer close(chunks)
		for {
			b := make([]byte, 4096)
			n, err := stdout.Read(b)
			if n > 0 {
				chunks <- b[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	deadline := time.After(5 * time.Second)
	for !strings.Contains(screen.Text(), "user=alice size=80x24") {
		select {
		case b, ok := <-chunks:
			if !ok {
				t.Fatalf("the session ended before its TUI showed: %v\n%s\n%s", sess.Wait(), screen.Text(), f.log)
			}
			screen.Write(b)
		case <-deadline:
			t.Fatalf("no TUI after the refusals:\n%s", screen.Text())
		}
	}

	// Connection-wide requests: remote forwarding of ports and sockets.
	for _, typ := range []string{"tcpip-forward", "cancel-tcpip-forward", "streamlocal-forward@openssh.com", "cancel-streamlocal-forward@openssh.com"} {
		payload := gossh.Marshal(struct {
			Addr string
			Port uint32
		}{"127.0.0.1", 0})
		if strings.HasPrefix(typ, "streamlocal") || strings.HasPrefix(typ, "cancel-streamlocal") {
			payload = gossh.Marshal(struct{ Path string }{"/tmp/brightrun-test.sock"})
		}
		ok, _, err := c.SendRequest(typ, true, payload)
		if err != nil || ok {
			t.Errorf("global request %s: ok=%v err=%v; want refused", typ, ok, err)
		}
		if !waitLog(f.log, "ssh request refused", "type="+typ, "user=alice") {
			t.Errorf("%s: refusal not logged:\n%s", typ, f.log)
		}
	}
	if _, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		t.Error("ssh -R: Listen was allowed")
	}

	// Channels other than a session: local and dynamic forwarding, unix
	// sockets, and the channels agent and X11 forwarding would open.
	for _, typ := range []string{"direct-tcpip", "direct-streamlocal@openssh.com", "x11", "auth-agent@openssh.com", "no-such-channel"} {
		ch, reqs, err := c.OpenChannel(typ, nil)
		if err == nil {
			go gossh.DiscardRequests(reqs)
			ch.Close()
			t.Errorf("channel %s was opened", typ)
			continue
		}
		var oce *gossh.OpenChannelError
		if !errors.As(err, &oce) || oce.Reason != gossh.Prohibited || !strings.Contains(oce.Message, "no forwarding") {
			t.Errorf("channel %s: %v; want prohibited, saying so", typ, err)
		}
		if !waitLog(f.log, "ssh channel refused", "type="+typ, "user=alice") {
			t.Errorf("%s: refusal not logged:\n%s", typ, f.log)
		}
	}
	if _, err := c.Dial("tcp", "127.0.0.1:22"); err == nil {
		t.Error("ssh -L: Dial was allowed")
	}
}

package sshserve_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"
	gossh "golang.org/x/crypto/ssh"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/sshserve"
	"brightrun/ui/sshserve/sshtest"
)

// echo is a stand-in TUI that shows what the server gave it.
type echo struct {
	t      sshserve.Terminal
	w, h   int
	ending string
	typed  string
}

func (m *echo) Init() tea.Cmd { return nil }

func (m *echo) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyPressMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
		m.typed += msg.String()
	case common.SessionEndingMsg:
		m.ending = msg.Reason
	}
	return m, nil
}

func (m *echo) View() tea.View {
	v := tea.NewView(fmt.Sprintf("user=%s size=%dx%d nocolor=%v term=%s\nending=%s\ntyped=%s",
		m.t.User.Name, m.w, m.h, m.t.NoColor, m.t.Term, m.ending, m.typed))
	v.AltScreen = true
	return v
}

// syncBuffer is a log sink the server's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type operator struct {
	user   model.User
	signer gossh.Signer
}

type fixture struct {
	addr   string
	srv    *sshserve.Server
	log    *syncBuffer
	alice  operator
	bob    operator
	ctxs   chan context.Context // every session's context, as built
	mu     sync.Mutex
	lookup map[string]model.User
}

func newOperator(t *testing.T, name string) operator {
	t.Helper()
	signer, _, err := sshtest.NewKey(name + "@test")
	if err != nil {
		t.Fatal(err)
	}
	return operator{user: model.User{ID: uuid.New(), Name: name, CreatedAt: time.Now().UTC()}, signer: signer}
}

// start runs a server on a free port with alice and bob registered; edit
// adjusts its config first.
func start(t *testing.T, edit func(*sshserve.Config)) *fixture {
	t.Helper()
	f := &fixture{log: &syncBuffer{}, alice: newOperator(t, "alice"), bob: newOperator(t, "bob"),
		ctxs: make(chan context.Context, 64), lookup: map[string]model.User{}}
	for _, o := range []operator{f.alice, f.bob} {
		f.lookup[gossh.FingerprintSHA256(o.signer.PublicKey())] = o.user
	}
	hostKey, err := sshserve.LoadOrCreateHostKey(sshserve.HostKeyPath(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	cfg := sshserve.Config{
		HostKey: hostKey,
		Lookup: func(_ context.Context, fp string) (model.User, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			if u, ok := f.lookup[fp]; ok {
				return u, nil
			}
			return model.User{}, fmt.Errorf("key %s: %w", fp, engine.ErrUnknownKey)
		},
		NewModel: func(term sshserve.Terminal) tea.Model {
			f.ctxs <- term.Ctx
			return &echo{t: term}
		},
		Grace: 300 * time.Millisecond,
		Log:   slog.New(slog.NewTextHandler(f.log, nil)),
	}
	if edit != nil {
		edit(&cfg)
	}
	f.srv, err = sshserve.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.addr = l.Addr().String()
	served := make(chan error, 1)
	go func() { served <- f.srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		// Every client is closed by now (their cleanups ran first), so the
		// connections must all have ended well within the deadline.
		if err := f.srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
		if strings.Contains(f.log.String(), "panic") {
			t.Errorf("the server log mentions a panic:\n%s", f.log.String())
		}
	})
	return f
}

func (f *fixture) dial(t *testing.T, auth ...gossh.AuthMethod) *gossh.Client {
	t.Helper()
	c, err := sshtest.Dial(f.addr, "anyone", auth...)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func (f *fixture) open(t *testing.T, o operator, w, h int, env map[string]string) *sshtest.Term {
	t.Helper()
	term, err := sshtest.Open(f.dial(t, gossh.PublicKeys(o.signer)), "xterm-256color", w, h, env)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	return term
}

func TestEachSessionIsItsKeysOperator(t *testing.T) {
	f := start(t, nil)
	a := f.open(t, f.alice, 80, 24, nil)
	b := f.open(t, f.bob, 100, 30, nil)
	if text, err := a.WaitText(5*time.Second, "user=alice size=80x24 nocolor=false term=xterm-256color"); err != nil {
		t.Fatalf("alice: %v\n%s", err, text)
	}
	if text, err := b.WaitText(5*time.Second, "user=bob size=100x30"); err != nil {
		t.Fatalf("bob: %v\n%s", err, text)
	}
	// Keys reach the session's program, and q ends it with status 0.
	a.Press("x", "y")
	if text, err := a.WaitText(5*time.Second, "typed=xy"); err != nil {
		t.Fatalf("typing: %v\n%s", err, text)
	}
	a.Press("q")
	select {
	case <-a.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("q did not end the session")
	}
	if err := a.Exit(); err != nil {
		t.Errorf("exit after q: %v", err)
	}
	if !waitLog(f.log, "ssh session end", "user=alice", "reason=quit") {
		t.Errorf("log lacks the end of alice's session:\n%s", f.log)
	}
	if !strings.Contains(f.log.String(), "key="+gossh.FingerprintSHA256(f.alice.signer.PublicKey())) {
		t.Errorf("log lacks alice's key fingerprint:\n%s", f.log)
	}
}

func waitLog(log *syncBuffer, want ...string) bool {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(log.String(), "\n") {
			ok := true
			for _, w := range want {
				ok = ok && strings.Contains(line, w)
			}
			if ok {
				return true
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// waitSessions waits up to 5 s for the server to hold no more than want
// sessions, and returns how many it holds.
func waitSessions(srv *sshserve.Server, want int) int {
	deadline := time.Now().Add(5 * time.Second)
	for srv.Sessions() > want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	return srv.Sessions()
}

func TestUnknownKeysAndPasswordsAreRefused(t *testing.T) {
	f := start(t, nil)
	stranger := newOperator(t, "stranger")
	if _, err := sshtest.Dial(f.addr, "alice", gossh.PublicKeys(stranger.signer)); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("unknown key: %v, want refused", err)
	}
	if !waitLog(f.log, "ssh key refused: no operator has it", "key="+gossh.FingerprintSHA256(stranger.signer.PublicKey())) {
		t.Errorf("refusal not logged:\n%s", f.log)
	}
	_, err := sshtest.Dial(f.addr, "alice", gossh.Password("hunter2"), gossh.KeyboardInteractive(
		func(string, string, []string, []bool) ([]string, error) { return nil, nil }))
	if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("password: %v, want refused (only publickey is offered)", err)
	}
	if _, err := sshtest.Dial(f.addr, "alice"); err == nil {
		t.Error("no authentication at all was accepted")
	}

	// A key removed while the server runs no longer gets in.
	f.mu.Lock()
	delete(f.lookup, gossh.FingerprintSHA256(f.bob.signer.PublicKey()))
	f.mu.Unlock()
	if _, err := sshtest.Dial(f.addr, "bob", gossh.PublicKeys(f.bob.signer)); err == nil {
		t.Error("a removed key still gets in")
	}

	// A database outage refuses too, and says why in the log.
	f2 := start(t, func(c *sshserve.Config) {
		c.Lookup = func(context.Context, string) (model.User, error) {
			return model.User{}, errors.New("connection refused")
		}
	})
	if _, err := sshtest.Dial(f2.addr, "alice", gossh.PublicKeys(f2.alice.signer)); err == nil {
		t.Error("lookup failure let a key in")
	}
	if !waitLog(f2.log, "lookup failed", "connection refused") {
		t.Errorf("lookup failure not logged:\n%s", f2.log)
	}
}

func TestCommandsSubsystemsAndNoTerminalAreRefused(t *testing.T) {
	f := start(t, nil)
	c := f.dial(t, gossh.PublicKeys(f.alice.signer))

	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	sess.Stderr = &stderr
	err = sess.Run("cat /etc/passwd")
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 || !strings.Contains(stderr.String(), `runs no commands (asked for "cat /etc/passwd")`) {
		t.Errorf("exec: %v, stderr %q; want exit 1 saying commands are not run", err, stderr.String())
	}

	sess, err = c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	sess.Stderr = &stderr
	sess.Stderr = nil
	errPipe, err := sess.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestSubsystem("sftp"); err != nil {
		t.Fatalf("sftp: %v; want it accepted and then refused with a message", err)
	}
	msg, _ := io.ReadAll(errPipe)
	if !strings.Contains(string(msg), `"sftp" subsystem is not offered`) {
		t.Errorf("sftp: stderr %q; want it saying so", msg)
	}

	sess, err = c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	sess.Stderr = &stderr
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	err = sess.Wait()
	if !errors.As(err, &exit) || exit.ExitStatus() != 1 || !strings.Contains(stderr.String(), "ssh -t") {
		t.Errorf("no pty: %v, stderr %q; want exit 1 telling to use ssh -t", err, stderr.String())
	}

	// Forwarding is not offered either.
	if _, err := c.Dial("tcp", "127.0.0.1:22"); err == nil {
		t.Error("port forwarding was allowed")
	}
}

func TestColourFollowsTheClientsTerminal(t *testing.T) {
	f := start(t, nil)
	for _, tc := range []struct {
		term    string
		env     map[string]string
		noColor bool
	}{
		{"xterm-256color", nil, false},
		{"xterm-256color", map[string]string{"NO_COLOR": "1"}, true},
		{"dumb", nil, true},
	} {
		term, err := sshtest.Open(f.dial(t, gossh.PublicKeys(f.alice.signer)), tc.term, 80, 24, tc.env)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("nocolor=%v term=%s", tc.noColor, tc.term)
		if text, err := term.WaitText(5*time.Second, want); err != nil {
			t.Errorf("%s %v: %v\n%s", tc.term, tc.env, err, text)
		}
		term.Close()
	}
}

func TestOddSizesAreClampedNotFatal(t *testing.T) {
	f := start(t, nil)
	term := f.open(t, f.alice, 0, 0, nil)
	for _, s := range [][2]int{{1, 1}, {5, 3}, {100000, 100000}, {0, 0}, {80, 24}} {
		if err := term.Resize(s[0], s[1]); err != nil {
			t.Fatal(err)
		}
	}
	if text, err := term.WaitText(5*time.Second, "size=80x24"); err != nil {
		t.Fatalf("after odd sizes: %v\n%s", err, text)
	}
	big := f.open(t, f.bob, 100000, 100000, nil)
	if err := big.Resize(120, 40); err != nil {
		t.Fatal(err)
	}
	if text, err := big.WaitText(5*time.Second, "size=120x40"); err != nil {
		t.Fatalf("huge start: %v\n%q\n%s", err, text, f.log)
	}
	if !waitLog(f.log, "ssh session start", "user=bob") {
		t.Errorf("start not logged:\n%s", f.log)
	}
}

func TestIdleSessionsAreWarnedThenClosed(t *testing.T) {
	f := start(t, func(c *sshserve.Config) { c.IdleTimeout = 800 * time.Millisecond })
	term := f.open(t, f.alice, 80, 24, nil)
	if text, err := term.WaitText(5*time.Second, "ending=no key pressed for"); err != nil {
		t.Fatalf("no idle warning: %v\n%s", err, text)
	}
	// A key takes the warning back.
	term.Press("k")
	if text, err := term.WaitFor(5*time.Second, func(s string) bool {
		return strings.Contains(s, "typed=k") && strings.Contains(s, "ending=\n")
	}); err != nil {
		t.Fatalf("warning not taken back: %v\n%s", err, text)
	}
	select {
	case <-term.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("idle session never closed")
	}
	if !strings.Contains(term.Text(), "brightrun: session closed: no key pressed for 800ms") {
		t.Errorf("no closing line:\n%s", term.Text())
	}
	if !waitLog(f.log, "ssh session end", "no key pressed") {
		t.Errorf("idle end not logged:\n%s", f.log)
	}
}

func TestShutdownWarnsSessionsThenClosesThem(t *testing.T) {
	f := start(t, func(c *sshserve.Config) { c.Grace = 500 * time.Millisecond })
	a := f.open(t, f.alice, 80, 24, nil)
	b := f.open(t, f.bob, 80, 24, nil)
	for _, term := range []*sshtest.Term{a, b} {
		if _, err := term.WaitText(5*time.Second, "user="); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		done <- f.srv.Shutdown(ctx)
	}()
	for _, term := range []*sshtest.Term{a, b} {
		if text, err := term.WaitText(5*time.Second, "ending=the server is shutting down"); err != nil {
			t.Fatalf("no warning: %v\n%s", err, text)
		}
	}
	for _, term := range []*sshtest.Term{a, b} {
		select {
		case <-term.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("session outlived the shutdown")
		}
		if !strings.Contains(term.Text(), "session closed: the server is shutting down") {
			t.Errorf("no closing line:\n%s", term.Text())
		}
	}
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("sessions closed after %s, before the grace", d)
	}
	a.Session.Close()
	b.Session.Close()
	// The client connections are still open; shutdown waits for them or its
	// deadline, and refuses new ones meanwhile.
	if _, err := sshtest.Dial(f.addr, "alice", gossh.PublicKeys(f.alice.signer)); err == nil {
		t.Error("a new connection got in during shutdown")
	}
}

// A client that vanishes while its screen is being drawn ends its session
// and nothing else.
func TestDisconnectMidRender(t *testing.T) {
	f := start(t, nil)
	for range 5 {
		c, err := sshtest.Dial(f.addr, "alice", gossh.PublicKeys(f.alice.signer))
		if err != nil {
			t.Fatal(err)
		}
		term, err := sshtest.Open(c, "xterm-256color", 200, 60, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			term.Resize(100+i, 30+i%7)
		}
		c.Close()
	}
	if n := waitSessions(f.srv, 0); n != 0 {
		t.Fatalf("%d sessions left after their clients vanished", n)
	}
	// Each session's context ended with it.
	for len(f.ctxs) > 0 {
		ctx := <-f.ctxs
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
			t.Error("a session's context outlived it")
		}
	}
	b := f.open(t, f.bob, 80, 24, nil)
	if _, err := b.WaitText(5*time.Second, "user=bob"); err != nil {
		t.Fatalf("server unusable after disconnects: %v", err)
	}
}

// A session whose TUI panics while it is being built ends alone: the panic
// is logged with its stack, and the server goes on serving everyone else.
func TestAPanickingSessionEndsAlone(t *testing.T) {
	var f *fixture
	f = start(t, func(c *sshserve.Config) {
		build := c.NewModel
		c.NewModel = func(term sshserve.Terminal) tea.Model {
			if term.User.Name == "bob" {
				panic("bob's screen is broken")
			}
			return build(term)
		}
	})
	b := f.open(t, f.bob, 80, 24, nil)
	select {
	case <-b.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the panicking session did not end")
	}
	if !waitLog(f.log, "ssh session panicked", "bob's screen is broken") {
		t.Fatalf("the panic is not in the log:\n%s", f.log)
	}
	a := f.open(t, f.alice, 80, 24, nil)
	if text, err := a.WaitText(5*time.Second, "user=alice"); err != nil {
		t.Fatalf("after bob's panic, alice: %v\n%s", err, text)
	}
	f.log.Reset() // the panic was meant; the fixture's check is for others
}

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
}

// Removing a key ends the sessions it opened, saying why; the operator's
// other sessions and other operators' go on.
func TestRemovingAKeyEndsItsSessions(t *testing.T) {
	f := start(t, func(c *sshserve.Config) { c.KeyCheck = 100 * time.Millisecond })
	a := f.open(t, f.alice, 80, 24, nil)
	b := f.open(t, f.bob, 80, 24, nil)
	if text, err := a.WaitText(5*time.Second, "user=alice"); err != nil {
		t.Fatalf("alice: %v\n%s", err, text)
	}
	f.mu.Lock()
	delete(f.lookup, gossh.FingerprintSHA256(f.alice.signer.PublicKey()))
	f.mu.Unlock()
	select {
	case <-a.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("alice's session outlived her key")
	}
	if text, err := a.WaitText(time.Second, "session closed: the key this session logged in with was removed"); err != nil {
		t.Errorf("alice was not told why: %v\n%s", err, text)
	}
	b.Press("x")
	if text, err := b.WaitText(5*time.Second, "typed=x"); err != nil {
		t.Fatalf("bob's session ended with alice's key: %v\n%s", err, text)
	}
	if !waitLog(f.log, "key was removed", "user=alice") {
		t.Errorf("log lacks the key removal:\n%s", f.log)
	}
}

// A client that closes a session but keeps its connection, as OpenSSH does
// when sessions share one (ControlMaster), ends that session at once; the
// connection's other sessions go on.
func TestClosingASessionOnAnOpenConnectionEndsIt(t *testing.T) {
	f := start(t, nil)
	c := f.dial(t, gossh.PublicKeys(f.alice.signer))
	closing, err := sshtest.Open(c, "xterm-256color", 80, 24, nil)
	if err != nil {
		t.Fatal(err)
	}
	staying, err := sshtest.Open(c, "xterm-256color", 80, 24, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer staying.Close()
	for _, term := range []*sshtest.Term{closing, staying} {
		if _, err := term.WaitText(5*time.Second, "user=alice"); err != nil {
			t.Fatal(err)
		}
	}
	closing.Close()
	if n := waitSessions(f.srv, 1); n != 1 {
		t.Fatalf("%d sessions after one of two closed, want 1", n)
	}
	if !waitLog(f.log, "ssh session end", "client closed the session") {
		t.Errorf("the log does not say why the session ended:\n%s", f.log)
	}
	staying.Press("x", "y")
	if _, err := staying.WaitText(5*time.Second, "typed=xy"); err != nil {
		t.Errorf("the other session on the connection stopped: %v", err)
	}
}

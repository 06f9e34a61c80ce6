// Package sshtest drives `brightrun serve` the way an operator's ssh does:
// it connects with a key, asks for a terminal, types, and reads what the TUI
// draws into a Screen. The unit tests of ui/sshserve, the end-to-end tests
// and the benchmark share it.
package sshtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// NewKey makes an Ed25519 key pair: the signer a client logs in with and
// its public half in authorized_keys form (what `user add --key` reads).
func NewKey(comment string) (gossh.Signer, string, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, "", err
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return nil, "", err
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
	if comment != "" {
		line += " " + comment
	}
	return signer, line, nil
}

// Dial connects and authenticates with the given methods (one or more
// keys, or a password to see it refused).
func Dial(addr, login string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: login,
		Auth: auth,
		// The tests start the server they talk to; its key is new each time.
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         10 * time.Second,
	})
}

// Term is one interactive session: a pty of a size, the program's output
// fed to a Screen.
type Term struct {
	Session *gossh.Session
	stdin   io.WriteCloser

	mu      sync.Mutex
	screen  *Screen
	bytes   int64
	lastOut time.Time
	changed chan struct{} // closed and replaced at every output
	done    chan struct{}
	exitErr error
	stderr  strings.Builder
}

// Open starts a shell session on a pty of w × h with TERM=term, after
// setting env (NO_COLOR, …) on the session.
func Open(c *gossh.Client, term string, w, h int, env map[string]string) (*Term, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	t := &Term{Session: sess, screen: NewScreen(w, h), changed: make(chan struct{}), done: make(chan struct{})}
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			sess.Close()
			return nil, fmt.Errorf("setenv %s: %w", k, err)
		}
	}
	if err := sess.RequestPty(term, h, w, gossh.TerminalModes{}); err != nil {
		sess.Close()
		return nil, fmt.Errorf("pty: %w", err)
	}
	if t.stdin, err = sess.StdinPipe(); err != nil {
		sess.Close()
		return nil, err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		sess.Close()
		return nil, err
	}
	sess.Stderr = &lockedWriter{t: t}
	if err := sess.Shell(); err != nil {
		sess.Close()
		return nil, fmt.Errorf("shell: %w", err)
	}
	go t.read(stdout)
	return t, nil
}

type lockedWriter struct{ t *Term }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.t.mu.Lock()
	defer w.t.mu.Unlock()
	return w.t.stderr.Write(p)
}

func (t *Term) read(r io.Reader) {
	buf := make([]byte, 32*1024)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			t.mu.Lock()
			t.screen.Write(buf[:n])
			t.bytes += int64(n)
			t.lastOut = time.Now()
			close(t.changed)
			t.changed = make(chan struct{})
			t.mu.Unlock()
		}
		if err != nil {
			break
		}
	}
	err := t.Session.Wait()
	t.mu.Lock()
	t.exitErr = err
	t.mu.Unlock()
	close(t.done)
}

// Text is what the screen shows now.
func (t *Term) Text() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.screen.Text()
}

// Stderr is what the server wrote on the session's stderr.
func (t *Term) Stderr() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stderr.String()
}

// Output is how many bytes arrived so far, and when the last did.
func (t *Term) Output() (int64, time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.bytes, t.lastOut
}

// Changed is closed at the next output.
func (t *Term) Changed() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.changed
}

// Done is closed when the session has ended; Exit then says how.
func (t *Term) Done() <-chan struct{} { return t.done }

// Exit is the session's end: nil for exit status 0, a *gossh.ExitError
// otherwise.
func (t *Term) Exit() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.exitErr
}

// ErrTimeout is what WaitFor returns when the screen never matched.
var ErrTimeout = errors.New("timed out")

// WaitFor waits until ok accepts the screen's text, and returns that text;
// on timeout or the session's end it returns the last text and an error.
func (t *Term) WaitFor(timeout time.Duration, ok func(text string) bool) (string, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		changed := t.Changed()
		text := t.Text()
		if ok(text) {
			return text, nil
		}
		select {
		case <-changed:
		case <-deadline.C:
			return text, fmt.Errorf("screen never matched: %w", ErrTimeout)
		case <-t.done:
			text := t.Text()
			if ok(text) {
				return text, nil
			}
			return text, fmt.Errorf("session ended (%v) before the screen matched", t.Exit())
		}
	}
}

// WaitText waits until the screen shows every one of want.
func (t *Term) WaitText(timeout time.Duration, want ...string) (string, error) {
	return t.WaitFor(timeout, func(text string) bool {
		for _, w := range want {
			if !strings.Contains(text, w) {
				return false
			}
		}
		return true
	})
}

var keys = map[string]string{
	"enter": "\r", "esc": "\x1b", "tab": "\t", "space": " ", "backspace": "\x7f",
	"up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D",
	"ctrl+c": "\x03",
}

// Press types keys: names such as "enter", "esc" or "down", or text.
// Named keys go one write each, so an esc is not read as the start of a
// sequence with what follows.
func (t *Term) Press(ks ...string) error {
	for _, k := range ks {
		s, ok := keys[k]
		if !ok {
			s = k
		}
		if _, err := io.WriteString(t.stdin, s); err != nil {
			return fmt.Errorf("type %q: %w", k, err)
		}
		if ok && k == "esc" {
			time.Sleep(60 * time.Millisecond)
		}
	}
	return nil
}

// Resize tells the server the window changed.
func (t *Term) Resize(w, h int) error {
	t.mu.Lock()
	t.screen.Resize(w, h)
	t.mu.Unlock()
	return t.Session.WindowChange(h, w)
}

// Close ends the session from the client's side.
func (t *Term) Close() error { return t.Session.Close() }

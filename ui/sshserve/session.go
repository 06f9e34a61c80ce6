package sshserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"

	"brightrun/engine"
	"brightrun/model"
)

// Terminal sizes beyond these are clamped: a client may claim any size, and
// the renderer keeps buffers of width × height cells (about 110 bytes each)
// per session, so a claim of 100000 × 100000 must not cost the server
// gigabytes. 500 × 200 is a 4K screen in a small font.
const (
	maxWidth  = 500
	maxHeight = 200
)

// session is one running TUI.
type session struct {
	id uint64
	p  *tea.Program
	// lastInput is when the client last sent a byte (unix nanoseconds).
	lastInput atomic.Int64
	// inputEnded is set when the client closed its side of the session
	// (end of input, or the channel closed) while its connection may stay
	// open: an OpenSSH client sharing one connection among sessions
	// (ControlMaster) closes only the channel. endInput ends the TUI then.
	inputEnded atomic.Bool
	endInput   context.CancelFunc

	mu     sync.Mutex
	reason string // why the server closed it, told to the client after
}

// warn shows the session that it is about to be closed.
func (ss *session) warn(reason string, at time.Time) {
	go ss.p.Send(endingMsg{Reason: reason, At: at})
}

// close ends the session for reason (the first reason given stands).
func (ss *session) close(reason string) {
	ss.mu.Lock()
	if ss.reason == "" {
		ss.reason = reason
	}
	ss.mu.Unlock()
	ss.p.Quit()
}

func (ss *session) closedFor() string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.reason
}

// activity is the session's input, noting when the operator last typed.
type activity struct {
	r  io.Reader
	ss *session
}

func (a activity) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.ss.lastInput.Store(time.Now().UnixNano())
	}
	if err != nil && a.ss.inputEnded.CompareAndSwap(false, true) {
		// Bubble Tea stops reading at the end of its input but runs on:
		// with no one to type or to see it, the session is over.
		a.ss.endInput()
	}
	return n, err
}

// handle runs one session: refusals first, then the TUI until the operator
// quits, the client goes away, the idle timeout or a shutdown.
func (s *Server) handle(sess ssh.Session) {
	start := time.Now()
	pi, hasPty := s.ptyOf(sess)
	if windows := pi.windows; windows != nil {
		// The session's request loop blocks on this channel until someone
		// reads it, and a blocked loop keeps the whole connection from
		// noticing that the client has gone: read it to its end whatever
		// happens here.
		defer func() { go drain(windows) }()
	}
	u, fp, ok := sessionUser(sess)
	remote := addrString(sess.RemoteAddr())
	log := s.log.With("user", u.Name, "key", fp, "remote", remote)
	refuse := func(why, msg string, args ...any) {
		log.Info("ssh session refused: "+why, args...)
		fmt.Fprint(sess.Stderr(), "brightrun: "+msg+"\n")
		_ = sess.Exit(1)
	}
	if !ok {
		refuse("no user", "this connection did not authenticate with an operator's key")
		return
	}
	if cmd := sess.RawCommand(); cmd != "" {
		refuse("command", fmt.Sprintf("this server runs the interactive TUI only and runs no commands (asked for %q); connect without one: ssh -t -p %s HOST",
			cmd, portOf(sess.LocalAddr())), "command", cmd)
		return
	}
	pty, windows := pi.pty, pi.windows
	if !hasPty {
		refuse("no terminal", fmt.Sprintf("no terminal was requested, and this server runs a full-screen TUI; connect with ssh -t -p %s HOST", portOf(sess.LocalAddr())))
		return
	}

	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	env := append(sess.Environ(), "TERM="+pty.Term)
	noColor := noColorWanted(env)
	profile := colorprofile.Env(env)
	if noColor && profile > colorprofile.ASCII {
		profile = colorprofile.ASCII
	}
	ss := &session{id: s.seq.Add(1), endInput: cancel}
	ss.lastInput.Store(time.Now().UnixNano())
	m := limitFrames(s.cfg.NewModel(Terminal{
		Ctx: ctx, User: u, KeyFingerprint: fp, RemoteAddr: remote, Term: pty.Term,
		NoColor: noColor || profile <= colorprofile.ASCII,
	}), s.cfg.Settle, s.cfg.MaxFrameWait)
	w, h := clampSize(pty.Window.Width, pty.Window.Height)
	sized := make(chan struct{})
	var sizedOnce sync.Once
	// What wish's bubbletea.MakeOptions sets for an emulated pty, except
	// that it reads the size through Session.Pty (a data race with window
	// changes, see recordPty); and besides, input that notes activity, the
	// size clamped, NO_COLOR honoured as the local TUI does, and the
	// server's own signals kept away from the session.
	opts := []tea.ProgramOption{
		tea.WithInput(activity{r: sess, ss: ss}),
		tea.WithOutput(sess),
		tea.WithEnvironment(env),
		tea.WithWindowSize(w, h),
		tea.WithColorProfile(profile),
		tea.WithContext(ctx),
		tea.WithoutSignalHandler(),
		tea.WithFPS(120),
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			switch msg.(type) {
			case tea.SuspendMsg:
				// There is no shell to suspend to (as MakeOptions' filter).
				return tea.ResumeMsg{}
			case tea.WindowSizeMsg:
				sizedOnce.Do(func() { close(sized) })
			}
			return msg
		}),
	}
	ss.p = tea.NewProgram(m, opts...)
	if !s.add(ss) {
		refuse("shutting down", "the server is shutting down; try again in a moment")
		return
	}
	defer s.remove(ss)
	log = log.With("session", ss.id)
	log.Info("ssh session start", "term", pty.Term, "width", pty.Window.Width, "height", pty.Window.Height,
		"color", profile.String(), "login", sess.User())
	if s.cfg.KeyUsed != nil {
		go func() {
			kctx, kcancel := context.WithTimeout(ctx, lookupTimeout)
			defer kcancel()
			if err := s.cfg.KeyUsed(kctx, u, fp); err != nil && ctx.Err() == nil {
				log.Warn("record key use", "err", err)
			}
		}()
	}
	go followWindow(ctx, ss.p, windows, sized)
	if s.cfg.IdleTimeout > 0 {
		go s.watchIdle(ctx, ss)
	}
	go s.watchKey(ctx, ss, u, fp, log)

	_, err := ss.p.Run()
	disconnected := sess.Context().Err() != nil
	cancel()
	reason := ss.closedFor()
	switch {
	case reason != "":
		// The TUI has left the alternate screen: this line stays in the
		// client's terminal, saying why the session ended.
		fmt.Fprintf(sess, "brightrun: session closed: %s\n", reason)
	case disconnected:
		reason = "client disconnected"
	case ss.inputEnded.Load():
		reason = "client closed the session"
	case err != nil:
		reason = "error: " + err.Error()
		log.Error("ssh session failed", "err", err)
	default:
		reason = "quit"
	}
	log.Info("ssh session end", "duration", time.Since(start).Round(time.Millisecond), "reason", reason)
}

// followWindow passes the client's window changes to the program. It
// starts once the program has taken its initial size, which Bubble Tea sends
// itself from a goroutine of its own: a change sent before could be
// overtaken by it and leave the program at the old size.
func followWindow(ctx context.Context, p *tea.Program, windows <-chan ssh.Window, sized <-chan struct{}) {
	select {
	case <-ctx.Done():
		return
	case <-sized:
	}
	for {
		select {
		case <-ctx.Done():
			return
		case win, ok := <-windows:
			if !ok {
				return
			}
			w, h := clampSize(win.Width, win.Height)
			p.Send(tea.WindowSizeMsg{Width: w, Height: h})
		}
	}
}

func drain(windows <-chan ssh.Window) {
	for range windows {
	}
}

// watchIdle closes a session the operator has not typed in for
// IdleTimeout, warning for the last stretch of it; typing takes the
// warning back.
func (s *Server) watchIdle(ctx context.Context, ss *session) {
	timeout := s.cfg.IdleTimeout
	warnFor := min(time.Minute, timeout/4)
	tick := time.NewTicker(max(50*time.Millisecond, min(10*time.Second, timeout/20)))
	defer tick.Stop()
	warned := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		last := time.Unix(0, ss.lastInput.Load())
		idle := time.Since(last)
		switch {
		case idle >= timeout:
			ss.close("no key pressed for " + human(timeout))
			return
		case idle >= timeout-warnFor && !warned:
			warned = true
			ss.warn("no key pressed for "+human(idle.Round(time.Second)), last.Add(timeout))
		case idle < timeout-warnFor && warned:
			warned = false
			go ss.p.Send(endingMsg{})
		}
	}
}

// watchKey looks the session's key up again every KeyCheck and closes the
// session once the key no longer belongs to its operator: removing a key
// ends what it opened, not only future logins. A failed lookup (the
// database restarting) closes nothing.
func (s *Server) watchKey(ctx context.Context, ss *session, u model.User, fp string, log *slog.Logger) {
	tick := time.NewTicker(s.cfg.KeyCheck)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		lctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		owner, err := s.cfg.Lookup(lctx, fp)
		cancel()
		switch {
		case errors.Is(err, engine.ErrUnknownKey) || (err == nil && owner.ID != u.ID):
			log.Info("ssh session's key was removed; closing it")
			ss.close("the key this session logged in with was removed")
			return
		case err != nil && ctx.Err() == nil:
			log.Warn("ssh key check failed; the session goes on", "err", err)
		}
	}
}

// noColorWanted follows no-color.org: NO_COLOR set to anything but "".
func noColorWanted(env []string) bool {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "NO_COLOR="); ok && v != "" {
			return true
		}
	}
	return false
}

func clampSize(w, h int) (int, int) {
	return min(max(w, 0), maxWidth), min(max(h, 0), maxHeight)
}

// human prints a duration without trailing zero units: 30m, 1h30m, 45s.
func human(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func addrString(a net.Addr) string {
	if a == nil {
		return "unknown"
	}
	return a.String()
}

// portOf is the port clients reached us on, for the hints in refusals.
func portOf(a net.Addr) string {
	if a != nil {
		if _, port, err := net.SplitHostPort(a.String()); err == nil {
			return port
		}
	}
	return "PORT"
}

// Package sshserve serves the TUI over SSH (`brightrun serve`): one Bubble
// Tea program per session, sized to the client's terminal and coloured for
// it, acting for the operator whose public key the session authenticated
// with. It is a thin layer: the key decides the user, and the caller's
// NewModel builds that user's root model; everything the operator then sees
// is read under that user's row-level security.
//
// Only public keys of registered operators get in (no passwords, no
// keyboard-interactive). A session must ask for a terminal and nothing
// else: commands and subsystems (sftp) are refused with a line saying so;
// agent, X11, port and socket forwarding are answered no and logged
// (refuse.go).
package sshserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/recover"
	"github.com/google/uuid"
	gossh "golang.org/x/crypto/ssh"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
)

// Defaults of Config.
const (
	DefaultAddr        = ":23234"
	DefaultIdleTimeout = 30 * time.Minute
	DefaultGrace       = 5 * time.Second
	DefaultKeyCheck    = 30 * time.Second
	// handshakeTimeout bounds a connection that never authenticates.
	handshakeTimeout = 30 * time.Second
	// lookupTimeout bounds the key lookup, so a database outage refuses
	// logins within seconds instead of hanging the client.
	lookupTimeout = 10 * time.Second
)

// Terminal is what a session's model is built from.
type Terminal struct {
	// Ctx ends when the session does (the client left, the server closed it).
	Ctx            context.Context
	User           model.User
	KeyFingerprint string
	RemoteAddr     string
	// Term is the client's $TERM.
	Term string
	// NoColor is true when the client sent NO_COLOR or its terminal has no
	// colours (TERM=dumb); styles then use no colour at all.
	NoColor bool
}

// Config sets up a Server. Lookup, NewModel and HostKey are required.
type Config struct {
	HostKey gossh.Signer
	// Lookup finds the operator holding the key with this SHA256
	// fingerprint. An error refuses the key: engine.ErrUnknownKey quietly,
	// anything else (the database is down) with an error in the log.
	Lookup func(ctx context.Context, fingerprint string) (model.User, error)
	// NewModel builds the root model of one session.
	NewModel func(Terminal) tea.Model
	// KeyUsed, when set, records each login (errors are only logged).
	KeyUsed func(ctx context.Context, u model.User, fingerprint string) error
	// KeyCheck is how often an open session's key is looked up again, so
	// a session whose key was removed (or whose operator was) ends within
	// that long; 0 means DefaultKeyCheck.
	KeyCheck time.Duration
	// IdleTimeout closes a session after this long without a key press
	// (0: never). A warning shows for the last minute (or quarter) of it.
	IdleTimeout time.Duration
	// Grace is how long sessions show the shutdown warning before Shutdown
	// closes them; 0 means DefaultGrace.
	Grace time.Duration
	// Settle and MaxFrameWait pace a session's drawing (see frameLimiter);
	// 0 means DefaultSettle and DefaultMaxFrameWait.
	Settle, MaxFrameWait time.Duration
	// Log receives connections, refusals and session ends; nil discards.
	Log *slog.Logger
}

// Server is the SSH server. Run it with Serve, stop it with Shutdown.
type Server struct {
	cfg Config
	log *slog.Logger
	ssh *ssh.Server

	seq atomic.Uint64
	// ptys are the terminals sessions asked for, taken when they ask (see
	// recordPty), by session.
	ptys     sync.Map
	mu       sync.Mutex
	sessions map[*session]struct{}
	closing  bool
	gone     chan struct{} // signalled whenever a session ends
}

// Permission extensions carry the key's user from the authentication to the
// session. They are set on the permissions of the very key that
// authenticated (x/crypto/ssh returns those), never on the connection's
// context, which a client offering several keys could otherwise make name
// the user of a key it merely probed without holding its private half.
const (
	extUserID      = "brightrun-user-id"
	extUserName    = "brightrun-user-name"
	extUserCreated = "brightrun-user-created"
	extFingerprint = "brightrun-key-fingerprint"
)

// positiveOr is d, or def when d is not positive: a Config duration left
// zero (or set negative) takes its default.
func positiveOr(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// New builds a server from cfg.
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.HostKey == nil:
		return nil, errors.New("ssh server: no host key")
	case cfg.Lookup == nil:
		return nil, errors.New("ssh server: no way to look up keys")
	case cfg.NewModel == nil:
		return nil, errors.New("ssh server: no TUI to serve")
	}
	cfg.Grace = positiveOr(cfg.Grace, DefaultGrace)
	cfg.KeyCheck = positiveOr(cfg.KeyCheck, DefaultKeyCheck)
	cfg.Settle = positiveOr(cfg.Settle, DefaultSettle)
	cfg.MaxFrameWait = positiveOr(cfg.MaxFrameWait, DefaultMaxFrameWait)
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{cfg: cfg, log: cfg.Log, sessions: map[*session]struct{}{}, gone: make(chan struct{}, 1)}
	srv, err := wish.NewServer(
		wish.WithVersion("brightrun"),
		withHostSigner(cfg.HostKey), // before anything else: wish would otherwise make a key of its own
		// Public keys only: no password or keyboard-interactive handler is
		// set, so the server offers neither.
		wish.WithPublicKeyAuth(s.authorize),
		// Subsystems (sftp and the like) all land in one refusal that
		// says so, rather than a bare protocol failure.
		wish.WithSubsystem("default", s.refuseSubsystem),
		wish.WithMiddleware(
			s.handleSession,
			// Outermost: a panic anywhere in a session ends that session,
			// logged with its stack, never the server and everyone else's.
			recover.MiddlewareWithLogger(panicLogger{s.log}),
		),
		func(srv *ssh.Server) error {
			srv.PtyHandler = s.recordPty
			s.withRefusals(srv) // forwarding of any kind, see refuse.go
			srv.HandshakeTimeout = handshakeTimeout
			srv.ConnectionFailedCallback = func(c net.Conn, err error) {
				s.log.Info("ssh connection failed", "remote", addrString(c.RemoteAddr()), "err", err)
			}
			return nil
		},
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// withHostSigner makes signer the server's host key.
func withHostSigner(signer gossh.Signer) ssh.Option {
	return func(srv *ssh.Server) error {
		srv.AddHostKey(signer)
		return nil
	}
}

// handleSession is the session handler as a wish middleware: it is the
// end of the chain, so next (wish's no-op) is not called.
func (s *Server) handleSession(ssh.Handler) ssh.Handler { return s.handle }

// panicLogger hands wish's recovered panics to the server's log.
type panicLogger struct{ log *slog.Logger }

func (l panicLogger) Printf(format string, v ...any) {
	l.log.Error("ssh session panicked", "panic", fmt.Sprintf(format, v...))
}

// Serve accepts connections on l until Shutdown; it then returns nil.
func (s *Server) Serve(l net.Listener) error {
	err := s.ssh.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) || s.isClosing() {
		return nil
	}
	return err
}

// Sessions is how many sessions are open.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// Shutdown stops accepting connections, warns every open session that it
// closes in Grace, closes them after it (or sooner when they have all
// gone), and waits for the connections to end until ctx expires, when it
// cuts the rest.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	live := make([]*session, 0, len(s.sessions))
	for ss := range s.sessions {
		live = append(live, ss)
	}
	s.mu.Unlock()
	s.log.Info("ssh server shutting down", "sessions", len(live), "grace", s.cfg.Grace)

	closed := make(chan error, 1)
	go func() { closed <- s.ssh.Shutdown(ctx) }()

	const reason = "the server is shutting down"
	at := time.Now().Add(s.cfg.Grace)
	for _, ss := range live {
		ss.warn(reason, at)
	}
	grace := time.NewTimer(s.cfg.Grace)
	defer grace.Stop()
wait:
	for s.Sessions() > 0 {
		select {
		case <-grace.C:
			break wait
		case <-ctx.Done():
			break wait
		case <-s.gone:
		}
	}
	for _, ss := range live {
		ss.close(reason)
	}
	err := <-closed
	if err != nil {
		_ = s.ssh.Close()
		return fmt.Errorf("ssh server: connections still open at the end of shutdown were cut: %w", err)
	}
	return nil
}

// authorize admits a public key of a registered operator and records who
// that is on the key's own permissions.
func (s *Server) authorize(ctx ssh.Context, key ssh.PublicKey) bool {
	fp := gossh.FingerprintSHA256(key)
	log := s.log.With("key", fp, "key_type", key.Type(), "login", ctx.User(), "remote", addrString(ctx.RemoteAddr()))
	if s.isClosing() {
		log.Info("ssh key refused: shutting down")
		return false
	}
	lctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	u, err := s.cfg.Lookup(lctx, fp)
	switch {
	case errors.Is(err, engine.ErrUnknownKey):
		log.Info("ssh key refused: no operator has it")
		return false
	case err != nil:
		log.Error("ssh key refused: lookup failed", "err", err)
		return false
	}
	perms := ctx.Permissions()
	if perms.Permissions == nil {
		return false
	}
	if perms.Extensions == nil {
		perms.Extensions = map[string]string{}
	}
	perms.Extensions[extUserID] = u.ID.String()
	perms.Extensions[extUserName] = u.Name
	perms.Extensions[extUserCreated] = u.CreatedAt.Format(time.RFC3339Nano)
	perms.Extensions[extFingerprint] = fp
	return true
}

// emulatePty is charm.land/ssh's own emulated-pty handler, which the
// server would use by default: the terminal is emulated on the channel, so
// a session costs no OS pty.
var emulatePty = func() ssh.PtyHandler {
	var srv ssh.Server
	_ = ssh.EmulatePty()(&srv)
	return srv.PtyHandler
}()

// ptyInfo is a session's terminal as asked for, and its window changes.
type ptyInfo struct {
	pty     ssh.Pty
	windows <-chan ssh.Window
}

// recordPty takes the session's terminal while the request that asks for
// it is handled. Session.Pty reads the window size that later
// window-change requests write, unguarded, on another goroutine; read here,
// on that same goroutine, it cannot race.
func (s *Server) recordPty(ctx ssh.Context, sess ssh.Session, pty ssh.Pty) (func() error, error) {
	closer, err := emulatePty(ctx, sess, pty)
	if err != nil {
		return nil, err
	}
	p, windows, _ := sess.Pty()
	s.ptys.Store(sess, ptyInfo{pty: p, windows: windows})
	return func() error {
		s.ptys.Delete(sess)
		return closer()
	}, nil
}

func (s *Server) ptyOf(sess ssh.Session) (ptyInfo, bool) {
	v, ok := s.ptys.Load(sess)
	if !ok {
		return ptyInfo{}, false
	}
	return v.(ptyInfo), true
}

// sessionUser reads back what authorize recorded for the key that
// authenticated, and checks it against that key.
func sessionUser(sess ssh.Session) (model.User, string, bool) {
	pk := sess.PublicKey()
	ext := sess.Permissions().Extensions
	if pk == nil || ext == nil {
		return model.User{}, "", false
	}
	fp := ext[extFingerprint]
	if fp == "" || fp != gossh.FingerprintSHA256(pk) {
		return model.User{}, "", false
	}
	id, err := uuid.Parse(ext[extUserID])
	if err != nil {
		return model.User{}, "", false
	}
	created, _ := time.Parse(time.RFC3339Nano, ext[extUserCreated])
	return model.User{ID: id, Name: ext[extUserName], CreatedAt: created}, fp, true
}

func (s *Server) add(ss *session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.sessions[ss] = struct{}{}
	return true
}

func (s *Server) remove(ss *session) {
	s.mu.Lock()
	delete(s.sessions, ss)
	s.mu.Unlock()
	select {
	case s.gone <- struct{}{}:
	default:
	}
}

// refuseSubsystem answers every subsystem request (sftp, …).
func (s *Server) refuseSubsystem(sess ssh.Session) {
	u, fp, _ := sessionUser(sess)
	s.log.Info("ssh subsystem refused", "subsystem", sess.Subsystem(), "user", u.Name, "key", fp, "remote", addrString(sess.RemoteAddr()))
	fmt.Fprintf(sess.Stderr(), "brightrun: the %q subsystem is not offered here; this server runs the interactive TUI only (connect with ssh -t)\n", sess.Subsystem())
	_ = sess.Exit(1)
}

// common.SessionEndingMsg is how the server talks to a session's shell; the
// alias keeps that dependency in one place.
type endingMsg = common.SessionEndingMsg

package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/sshserve"
)

// SessionTUI builds the root model of one SSH session for its operator;
// main wires the app's, as it does RunTUI.
type SessionTUI func(e *engine.Engine, s *engine.Session, t sshserve.Terminal) tea.Model

// runServe serves the TUI over SSH to every operator with a registered key.
func runServe(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "serve", &c, false)
	listenDefault, err := addrEnv(env, "BRIGHTRUN_SSH_LISTEN", sshserve.DefaultAddr, 0, ":23234 or 127.0.0.1:23234")
	if err != nil {
		return err
	}
	listen := fs.String("listen", listenDefault, "address to listen on, host:port (env BRIGHTRUN_SSH_LISTEN)")
	idleDefault, err := durationEnv(env, "BRIGHTRUN_SSH_IDLE_TIMEOUT", sshserve.DefaultIdleTimeout, "none")
	if err != nil {
		return err
	}
	idle := fs.Duration("idle-timeout", idleDefault, "close a session after this long without a key press; 0 = never (env BRIGHTRUN_SSH_IDLE_TIMEOUT)")
	grace := fs.Duration("shutdown-grace", sshserve.DefaultGrace, "on SIGINT/SIGTERM, how long sessions are warned before they are closed")
	hostKey := fs.String("host-key", "", "the server's private host key (default <data dir>/ssh/host_ed25519, generated once)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *idle < 0 {
		return usagef("serve: --idle-timeout %s is negative; use 0 for no timeout", *idle)
	}
	if *grace < 0 {
		return usagef("serve: --shutdown-grace %s is negative", *grace)
	}
	if !validAddr(*listen, 0) {
		return usagef("serve: --listen %q: want host:port, e.g. :23234 or 127.0.0.1:23234", *listen)
	}
	if env.SessionTUI == nil {
		return usagef("this build has no TUI to serve")
	}

	// Listen before opening the engine, so a port in use fails at once
	// rather than after the services started.
	l, err := net.Listen("tcp", *listen)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("serve: %s is in use (another brightrun serve?); choose another with --listen", *listen)
	}
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w", *listen, err)
	}
	defer l.Close()
	return withEngine(ctx, env, c, func(e *engine.Engine) error {
		keyPath := *hostKey
		if keyPath == "" {
			keyPath = sshserve.HostKeyPath(e.Config().DataDir)
		}
		signer, err := sshserve.LoadOrCreateHostKey(keyPath)
		if err != nil {
			return err
		}
		log := e.Log().With("component", "ssh")
		srv, err := sshserve.New(sshserve.Config{
			HostKey: signer,
			Lookup:  e.UserByKey,
			NewModel: func(t sshserve.Terminal) tea.Model {
				return env.SessionTUI(e, e.Session(t.User), t)
			},
			KeyUsed: func(ctx context.Context, u model.User, fp string) error {
				return e.Session(u).KeyUsed(ctx, fp)
			},
			IdleTimeout: *idle,
			Grace:       *grace,
			Log:         log,
		})
		if err != nil {
			return err
		}
		if err := printServing(ctx, env, e, l.Addr(), signer, keyPath, *idle); err != nil {
			return err
		}
		log.Info("ssh server listening", "addr", l.Addr().String(), "host_key", gossh.FingerprintSHA256(signer.PublicKey()), "idle_timeout", *idle)

		ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
		defer stop()
		served := make(chan error, 1)
		go func() { served <- srv.Serve(l) }()
		select {
		case err := <-served:
			if err != nil {
				return fmt.Errorf("serve: %w", err)
			}
			return nil
		case <-ctx.Done():
		}
		stop() // a second ctrl+c kills at once
		n := srv.Sessions()
		fmt.Fprintf(env.Stderr, "brightrun serve: shutting down; closing %d session(s) in %s\n", n, *grace)
		sctx, cancel := context.WithTimeout(context.Background(), *grace+10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Warn("ssh shutdown", "err", err)
		}
		if err := <-served; err != nil && !errors.Is(err, net.ErrClosed) {
			log.Warn("ssh serve", "err", err)
		}
		log.Info("ssh server stopped", "sessions_closed", n)
		return nil
	})
}

// printServing tells the operator at the server where it listens and how
// to connect, and warns when nobody could log in yet.
func printServing(ctx context.Context, env Env, e *engine.Engine, addr net.Addr, signer gossh.Signer, keyPath string, idle time.Duration) error {
	users, err := e.UsersWithKeys(ctx)
	if err != nil {
		return err
	}
	withKeys := 0
	for _, u := range users {
		if len(u.Keys) > 0 {
			withKeys++
		}
	}
	_, port, _ := net.SplitHostPort(addr.String())
	fmt.Fprintf(env.Stderr, "brightrun serve: listening on %s\n", addr)
	fmt.Fprintf(env.Stderr, "  host key   %s (%s)\n", gossh.FingerprintSHA256(signer.PublicKey()), keyPath)
	fmt.Fprintf(env.Stderr, "  operators  %d with SSH keys; connect with: ssh -p %s HOST\n", withKeys, port)
	if idle > 0 {
		fmt.Fprintf(env.Stderr, "  idle       sessions close after %s without a key press\n", idle)
	}
	fmt.Fprintf(env.Stderr, "  log        %s\n", logPath(e.Config().DataDir))
	if withKeys == 0 {
		fmt.Fprintln(env.Stderr, "  nobody can log in yet: add a key with `brightrun user add NAME --key ~/.ssh/id_ed25519.pub` or `brightrun user add-key NAME FILE`")
	}
	return nil
}

// logPath is where openLog writes.
func logPath(dataDir string) string { return filepath.Join(dataDir, "logs", "brightrun.log") }

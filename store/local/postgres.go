package local

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the bootstrap role of the private cluster. Migrations run as
// it; the application itself switches to a role that owns nothing.
const Superuser = "brightrun"

// Database is the application database inside the private cluster.
const Database = "brightrun"

// pgPort only names the socket file; the cluster never listens on TCP.
const pgPort = 5432

// account is the OS identity postgres runs as.
type account struct {
	uid, gid uint32
	name     string
	asRoot   bool
}

// postgresAccount picks who runs postgres: ourselves, or, as root, the
// postgres account when it exists, else nobody.
func postgresAccount() (account, error) {
	if os.Geteuid() != 0 {
		return account{uid: uint32(os.Getuid()), gid: uint32(os.Getgid())}, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return account{uid: uint32(uid), gid: uint32(gid), name: name, asRoot: true}, nil
	}
	return account{}, errors.New("running as root, but neither a postgres nor a nobody account exists to run PostgreSQL as")
}

func (a account) apply(cmd *exec.Cmd) {
	if !a.asRoot {
		return
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: a.uid, Gid: a.gid}}
}

// chownTree hands dir to the postgres account when we are root.
func (a account) own(paths ...string) error {
	if !a.asRoot {
		return nil
	}
	for _, p := range paths {
		if err := os.Chown(p, int(a.uid), int(a.gid)); err != nil {
			return fmt.Errorf("chown %s to %s: %w", p, a.name, err)
		}
	}
	return nil
}

// cluster is a private PostgreSQL server.
type cluster struct {
	layout Layout
	binDir string
	acct   account
	cmd    *exec.Cmd
	exited chan error
}

// initCluster runs initdb once. It writes into a temporary directory and
// renames it into place, so an interrupted initdb never leaves a half cluster.
func (c *cluster) initCluster(ctx context.Context, logf *os.File) error {
	dir := c.layout.ClusterDir()
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err == nil {
		return c.recordOwner()
	}
	if c.acct.asRoot {
		// The unprivileged account must be able to pass through the parent.
		parent := filepath.Dir(c.layout.ClusterRoot)
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", parent, err)
		}
		_ = os.Chmod(parent, 0o755)
	}
	if err := os.MkdirAll(c.layout.ClusterRoot, 0o700); err != nil {
		return fmt.Errorf("create cluster dir: %w", err)
	}
	if err := c.acct.own(c.layout.ClusterRoot); err != nil {
		return err
	}
	// Names the owning data dir, so a root-owned cluster elsewhere can be traced back.
	if err := c.recordOwner(); err != nil {
		return err
	}
	tmp := dir + ".initdb"
	_ = os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, filepath.Join(c.binDir, "initdb"),
		"-D", tmp, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
	cmd.Dir = c.layout.ClusterRoot
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	c.acct.apply(cmd)
	err := StartChild(cmd, syscall.SIGKILL)
	if err == nil {
		err = cmd.Wait()
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("initdb: %w: %s", err, lastLine(out.String()))
	}
	_, _ = logf.Write(out.Bytes())
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("initdb: move cluster into place: %w", err)
	}
	return nil
}

// start launches postgres on the unix socket only and waits until it answers.
func (c *cluster) start(ctx context.Context, logf *os.File) error {
	if err := os.MkdirAll(c.layout.RunDir, 0o700); err != nil {
		return fmt.Errorf("create socket dir: %w", err)
	}
	if err := c.acct.own(c.layout.RunDir); err != nil {
		return err
	}
	if err := c.stopStale(logf); err != nil {
		return err
	}
	cmd := exec.Command(filepath.Join(c.binDir, "postgres"),
		"-D", c.layout.ClusterDir(),
		"-p", strconv.Itoa(pgPort),
		"-c", "listen_addresses=",
		"-c", "unix_socket_directories="+c.layout.RunDir,
		"-c", "unix_socket_permissions=0700",
		"-c", "max_connections=200",
		"-c", "shared_buffers=64MB",
		"-c", "logging_collector=off",
	)
	cmd.Dir = c.layout.ClusterRoot
	cmd.Stdout, cmd.Stderr = logf, logf
	c.acct.apply(cmd)
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	// Its own process group: a ctrl+c meant for a foreground `brightrun
	// services` must reach postgres through us, as an orderly shutdown.
	cmd.SysProcAttr.Setpgid = true
	// SIGINT is a fast shutdown: postgres cuts its clients and stops cleanly
	// when the services die.
	if err := StartChild(cmd, syscall.SIGINT); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	c.cmd = cmd
	c.exited = make(chan error, 1)
	go func() { c.exited <- cmd.Wait() }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, c.DSN("postgres"))
		if err == nil {
			_ = conn.Close(ctx)
			return c.ensureDatabase(ctx)
		}
		select {
		case werr := <-c.exited:
			c.exited <- werr
			return fmt.Errorf("postgres exited during start (%v); see %s", werr, filepath.Join(c.layout.LogDir(), "services.log"))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within 60s: %v", err)
		}
	}
}

// stopStale stops a postmaster left running by a services process that was
// killed, so the new one can take over the cluster. postmaster.pid may name
// a pid since recycled: only a process running postgres on this very
// cluster directory is stopped.
func (c *cluster) stopStale(logf io.Writer) error {
	pid, err := stopStale(filepath.Join(c.layout.ClusterDir(), "postmaster.pid"), c.layout.ClusterDir(), syscall.SIGINT, 10*time.Second)
	if pid != 0 {
		fmt.Fprintf(logf, "stopped the postgres (pid %d) that earlier services of this data dir left running\n", pid)
	}
	return err
}

func (c *cluster) ensureDatabase(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		return fmt.Errorf("connect to postgres: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", Database).Scan(&exists); err != nil {
		return fmt.Errorf("look up database: %w", err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+Database); err != nil {
		return fmt.Errorf("create database %s: %w", Database, err)
	}
	return nil
}

// DSN is the connection string for one database of the cluster, as the superuser.
func (c *cluster) DSN(db string) string {
	return DSN(c.layout.RunDir, db)
}

// DSN builds a unix-socket connection string to the private cluster.
func DSN(runDir, db string) string {
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable", runDir, pgPort, Superuser, db)
}

// stop asks postgres for a fast shutdown and waits for it.
func (c *cluster) stop() {
	if c.cmd == nil || c.cmd.Process == nil {
		return
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-c.exited:
		c.exited <- err
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Signal(syscall.SIGQUIT)
		<-c.exited
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// Package local runs the zero-config services of Brightrun: a private
// PostgreSQL cluster on a unix socket and a versitygw S3 gateway over a
// directory, both owned by one small background process that every brightrun
// process attaches to (the way ssh-agent works).
package local

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// Layout names every file and directory the local services use for one data dir.
type Layout struct {
	DataDir string
	// ClusterRoot holds the PostgreSQL cluster and its socket. It is inside the
	// data dir for an ordinary user; as root it lives where the unprivileged
	// account that runs postgres can reach it, because initdb refuses root.
	ClusterRoot string
	// RunDir holds the unix sockets (postgres and the control socket). Socket
	// paths are limited to about 107 bytes, so a long data dir moves it to /tmp.
	RunDir string
}

// RootClusterBase is where clusters live when brightrun runs as root.
var RootClusterBase = "/var/lib/brightrun"

// NewLayout computes the layout for dataDir, which must be absolute.
func NewLayout(dataDir string) (Layout, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return Layout{}, fmt.Errorf("data dir %q: %w", dataDir, err)
	}
	l := Layout{DataDir: abs}
	sum := sha256.Sum256([]byte(abs))
	hash := hex.EncodeToString(sum[:])[:16]
	if os.Geteuid() == 0 {
		l.ClusterRoot = filepath.Join(RootClusterBase, hash)
		l.RunDir = filepath.Join(l.ClusterRoot, "run")
		return l, nil
	}
	l.ClusterRoot = filepath.Join(abs, "postgres")
	l.RunDir = filepath.Join(abs, "run")
	if len(filepath.Join(l.RunDir, ".s.PGSQL.5432.lock")) > 100 {
		l.RunDir = filepath.Join(os.TempDir(), fmt.Sprintf("brightrun-%d-%s", os.Getuid(), hash))
	}
	return l, nil
}

// ClusterDir is PGDATA.
func (l Layout) ClusterDir() string { return filepath.Join(l.ClusterRoot, "data") }

// ControlSocket is where the services process accepts attaching clients.
func (l Layout) ControlSocket() string { return filepath.Join(l.RunDir, "brightrun.sock") }

// StartLock serialises starting the services between processes.
func (l Layout) StartLock() string { return filepath.Join(l.DataDir, "services.lock") }

// PIDLock is held by the running services process for its whole life.
func (l Layout) PIDLock() string { return filepath.Join(l.DataDir, "services.pid") }

// FailureFile receives the one-line reason when the services fail to start.
func (l Layout) FailureFile() string { return filepath.Join(l.DataDir, "services.failed") }

// CredentialsFile keeps the generated S3 keys (mode 0600).
func (l Layout) CredentialsFile() string { return filepath.Join(l.DataDir, "s3-credentials.json") }

// S3PortFile keeps the gateway's port, so presigned URLs survive a restart.
func (l Layout) S3PortFile() string { return filepath.Join(l.DataDir, "s3-port") }

// GatewayPIDFile names the running gateway, for a start after a crash to
// find and stop it.
func (l Layout) GatewayPIDFile() string { return filepath.Join(l.DataDir, "s3-gateway.pid") }

// ObjectsDir is the versitygw posix backend root: one directory per bucket.
func (l Layout) ObjectsDir() string { return filepath.Join(l.DataDir, "objects") }

// LogDir holds the services log and the application log.
func (l Layout) LogDir() string { return filepath.Join(l.DataDir, "logs") }

// RemoveAll deletes everything of this layout, including a root-owned
// cluster outside the data dir. Tests use it; the services must be stopped.
func (l Layout) RemoveAll() error {
	if err := os.RemoveAll(l.ClusterRoot); err != nil {
		return err
	}
	if err := os.RemoveAll(l.RunDir); err != nil {
		return err
	}
	return os.RemoveAll(l.DataDir)
}

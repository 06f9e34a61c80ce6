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
	// ID is the data dir's identity (its id file; empty before the first
	// start). As root the cluster is keyed to it, not to the path, so a data
	// dir deleted and made again at the same path starts a fresh cluster.
	ID string
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

// NewLayout computes the layout for dataDir, which must be absolute. It
// reads the data dir's id and creates nothing (EnsureIdentity does).
func NewLayout(dataDir string) (Layout, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return Layout{}, fmt.Errorf("data dir %q: %w", dataDir, err)
	}
	id, err := readID(filepath.Join(abs, idFileName))
	if err != nil {
		return Layout{}, err
	}
	return layoutFor(abs, id), nil
}

func layoutFor(abs, id string) Layout {
	l := Layout{DataDir: abs, ID: id}
	hash := pathHash(abs)
	if os.Geteuid() == 0 {
		// Before its first start a data dir has no id: its cluster would be
		// the one of an older brightrun, keyed to the path, which the first
		// start adopts (see EnsureIdentity).
		key := id
		if key == "" {
			key = hash
		}
		l.ClusterRoot = filepath.Join(RootClusterBase, key)
		l.RunDir = filepath.Join(l.ClusterRoot, "run")
		return l
	}
	l.ClusterRoot = filepath.Join(abs, "postgres")
	l.RunDir = filepath.Join(abs, "run")
	if len(filepath.Join(l.RunDir, ".s.PGSQL.5432.lock")) > 100 {
		l.RunDir = filepath.Join(os.TempDir(), fmt.Sprintf("brightrun-%d-%s", os.Getuid(), hash))
	}
	return l
}

// pathHash keyed root clusters to the data dir's path before data dirs had
// an identity; it still names the legacy cluster an old data dir adopts.
func pathHash(abs string) string {
	sum := sha256.Sum256([]byte(abs))
	return hex.EncodeToString(sum[:])[:16]
}

// current is the layout as the data dir's id now says: one computed before
// the first start knows no id, while the services run under the new one.
func (l Layout) current() Layout {
	if l.ID != "" {
		return l
	}
	if n, err := NewLayout(l.DataDir); err == nil {
		return n
	}
	return l
}

// IDFile holds the data dir's identity (mode 0600).
func (l Layout) IDFile() string { return filepath.Join(l.DataDir, idFileName) }

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
	l = l.current()
	if err := os.RemoveAll(l.ClusterRoot); err != nil {
		return err
	}
	if err := os.RemoveAll(l.RunDir); err != nil {
		return err
	}
	return os.RemoveAll(l.DataDir)
}

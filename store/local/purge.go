package local

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// PurgeTargets lists what Purge would delete for the data dir, as it stands:
// the PostgreSQL cluster (with its socket dir) and the objects.
func PurgeTargets(l Layout) []string {
	l = l.current()
	var out []string
	for _, p := range []string{l.ClusterRoot, l.RunDir, l.ObjectsDir()} {
		if _, err := os.Lstat(p); err == nil && !within(p, out) {
			out = append(out, p)
		}
	}
	return out
}

// within says whether p is one of dirs or inside one of them.
func within(p string, dirs []string) bool {
	for _, d := range dirs {
		if rel, err := filepath.Rel(d, p); err == nil && filepath.IsLocal(rel) {
			return true
		}
	}
	return false
}

// Purge stops the data dir's services and deletes its cluster and objects,
// holding the start lock so no brightrun starts them again meanwhile. The
// data dir keeps its identity, keys and settings; the next start makes a
// fresh cluster with the demo seed. It returns what it deleted.
func Purge(ctx context.Context, l Layout) ([]string, error) {
	if _, err := os.Stat(l.DataDir); err != nil {
		return nil, fmt.Errorf("data dir %s: %w", l.DataDir, err)
	}
	unlock, err := holdStartLock(ctx, l)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if _, err := StopServices(ctx, l); err != nil {
		return nil, err
	}
	// Stopped means the pid lock is free; hold it while deleting, so a
	// `brightrun services` started by hand cannot come up on half a cluster.
	pid, err := os.OpenFile(l.PIDLock(), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", l.PIDLock(), err)
	}
	defer pid.Close()
	if err := syscall.Flock(int(pid.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return nil, ErrAlreadyRunning
	}
	defer syscall.Flock(int(pid.Fd()), syscall.LOCK_UN)
	cur := l.current()
	// A postgres or gateway that outlived services killed before this fix
	// would keep the files open; stop them first.
	c := &cluster{layout: cur}
	if err := c.stopStale(io.Discard); err != nil {
		return nil, err
	}
	g := &gateway{dir: cur.ObjectsDir(), pidFile: cur.GatewayPIDFile()}
	if err := g.stopStale(io.Discard); err != nil {
		return nil, err
	}
	var deleted []string
	for _, p := range PurgeTargets(cur) {
		if err := os.RemoveAll(p); err != nil {
			return deleted, fmt.Errorf("delete %s: %w", p, err)
		}
		deleted = append(deleted, p)
	}
	_ = os.Remove(cur.GatewayPIDFile())
	return deleted, nil
}

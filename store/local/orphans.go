package local

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// recordOwner writes into the cluster root which data dir (path and id) the
// cluster belongs to. It is rewritten at every start, so a cluster adopted
// from an older brightrun records its id from then on.
func (c *cluster) recordOwner() error {
	root := c.layout.ClusterRoot
	if err := os.WriteFile(filepath.Join(root, clusterOwnerFile), []byte(c.layout.DataDir+"\n"), 0o644); err != nil {
		return fmt.Errorf("record the cluster's data dir: %w", err)
	}
	if err := os.WriteFile(filepath.Join(root, clusterIDFile), []byte(c.layout.ID+"\n"), 0o644); err != nil {
		return fmt.Errorf("record the cluster's data dir id: %w", err)
	}
	return nil
}

// RemoveOrphanClusters deletes the root-owned clusters (under
// RootClusterBase) whose data dir is gone: its recorded path no longer
// exists, or holds a data dir of another identity. It never touches a
// cluster whose postgres runs, one without a record of its data dir, or one
// whose data dir cannot be read (an unmounted disk, a permission): only a
// data dir known to be gone frees its cluster. It returns what it removed.
func RemoveOrphanClusters(keep Layout) ([]string, error) {
	entries, err := os.ReadDir(RootClusterBase)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", RootClusterBase, err)
	}
	var removed []string
	for _, e := range entries {
		root := filepath.Join(RootClusterBase, e.Name())
		if !e.IsDir() || root == keep.ClusterRoot || !orphanCluster(root) {
			continue
		}
		if err := os.RemoveAll(root); err != nil {
			return removed, fmt.Errorf("remove the orphan cluster %s: %w", root, err)
		}
		removed = append(removed, root)
	}
	return removed, nil
}

// orphanCluster says whether the cluster at root belongs to no data dir.
func orphanCluster(root string) bool {
	owner, err := os.ReadFile(filepath.Join(root, clusterOwnerFile))
	if err != nil {
		return false
	}
	dataDir := strings.TrimSpace(string(owner))
	if !filepath.IsAbs(dataDir) {
		return false
	}
	if clusterRunning(root) {
		return false
	}
	if _, err := os.Lstat(dataDir); err != nil {
		return errors.Is(err, os.ErrNotExist)
	}
	id, err := readID(filepath.Join(dataDir, idFileName))
	if err != nil || id == "" {
		// Unreadable, or a data dir that has not started since it was made:
		// its own first start decides (it adopts this cluster or not).
		return false
	}
	return filepath.Join(RootClusterBase, id) != root
}

// clusterRunning says whether a postgres runs on the cluster at root.
func clusterRunning(root string) bool {
	dir := filepath.Join(root, "data")
	pid := readPIDFile(filepath.Join(dir, "postmaster.pid"))
	return pid != 0 && ownsProcess(pid, dir)
}

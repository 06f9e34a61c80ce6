package local

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// idFileName is the data dir's identity file, created with its first start.
const idFileName = "id"

// clusterIDFile and clusterOwnerFile, in a cluster root, name the data dir
// the cluster belongs to: its id and its path, so that a cluster kept
// outside the data dir (as root) is traced back and removed once that data
// dir is gone.
const (
	clusterIDFile    = "id"
	clusterOwnerFile = "data-dir"
)

// readID reads a data dir's identity: "" when it has none yet.
func readID(path string) (string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the data dir's identity: %w", err)
	}
	id := strings.TrimSpace(string(data))
	if !validID(id) {
		return "", fmt.Errorf("the data dir's identity file %s is damaged (want 16 hex digits, got %q)", path, firstN(id, 40))
	}
	return id, nil
}

func validID(id string) bool {
	if len(id) != 16 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// EnsureIdentity gives the data dir its identity if it has none, and
// returns the layout keyed to it. A data dir of an older brightrun, whose
// root cluster is keyed to its path, adopts that cluster: the id is the
// path's hash, so the cluster stays where it is and keeps its rows. Only a
// data dir that was used (it has its S3 keys) adopts; one deleted and made
// again at the same path starts afresh, and the old cluster is left to
// RemoveOrphanClusters.
func EnsureIdentity(l Layout) (Layout, error) {
	if l.ID != "" {
		return l, nil
	}
	id, err := readID(filepath.Join(l.DataDir, idFileName))
	if err != nil {
		return l, err
	}
	if id == "" {
		id = newID()
		if os.Geteuid() == 0 && adoptable(l.DataDir) {
			id = pathHash(l.DataDir)
		}
		if id, err = createID(filepath.Join(l.DataDir, idFileName), id); err != nil {
			return l, err
		}
	}
	return layoutFor(l.DataDir, id), nil
}

func newID() string {
	b := make([]byte, 8)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err)) // the kernel's randomness never fails on Linux
	}
	return hex.EncodeToString(b)
}

// adoptable says whether the path-keyed cluster of an older brightrun
// belongs to this data dir: it exists, names this data dir, records no id
// (ids came with this version), and the data dir was used (it has its S3
// keys, created at the first start).
func adoptable(dataDir string) bool {
	root := filepath.Join(RootClusterBase, pathHash(dataDir))
	owner, err := os.ReadFile(filepath.Join(root, clusterOwnerFile))
	if err != nil || strings.TrimSpace(string(owner)) != dataDir {
		return false
	}
	if _, err := os.Stat(filepath.Join(root, clusterIDFile)); !errors.Is(err, os.ErrNotExist) {
		return false
	}
	_, err = os.Stat(filepath.Join(dataDir, "s3-credentials.json"))
	return err == nil
}

// createID writes the id file unless another process created it first, in
// which case that one's id wins and is returned.
func createID(path, id string) (string, error) {
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if err := os.WriteFile(tmp, []byte(id+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write the data dir's identity: %w", err)
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return readIDRequired(path)
		}
		return "", fmt.Errorf("write the data dir's identity: %w", err)
	}
	return id, nil
}

func readIDRequired(path string) (string, error) {
	id, err := readID(path)
	if err == nil && id == "" {
		err = fmt.Errorf("the data dir's identity file %s vanished", path)
	}
	return id, err
}

package local

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// rootBase points RootClusterBase at a temporary directory for one test.
func rootBase(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	old := RootClusterBase
	RootClusterBase = base
	t.Cleanup(func() { RootClusterBase = old })
	return base
}

func TestEnsureIdentityMakesOneID(t *testing.T) {
	rootBase(t)
	dir := t.TempDir()
	l, err := NewLayout(dir)
	if err != nil || l.ID != "" {
		t.Fatalf("a new data dir: id %q, %v", l.ID, err)
	}
	l, err = EnsureIdentity(l)
	if err != nil || !validID(l.ID) {
		t.Fatalf("EnsureIdentity: id %q, %v", l.ID, err)
	}
	st, err := os.Stat(filepath.Join(dir, "id"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("id file: %v %v", st, err)
	}
	again, _ := NewLayout(dir)
	if again.ID != l.ID || again.ClusterRoot != l.ClusterRoot || again.RunDir != l.RunDir {
		t.Fatalf("the layout read back differs: %+v vs %+v", again, l)
	}
	if os.Geteuid() == 0 && l.ClusterRoot != filepath.Join(RootClusterBase, l.ID) {
		t.Fatalf("as root the cluster is %s, want it keyed to the id", l.ClusterRoot)
	}
	if err := os.WriteFile(filepath.Join(dir, "id"), []byte("../../etc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewLayout(dir); err == nil {
		t.Fatal("a damaged id file was accepted")
	}
}

// A data dir of an older brightrun (root cluster keyed to its path's hash,
// recording no id) keeps its cluster; a data dir made again at that path
// (never used: no S3 keys) does not take it over.
func TestEnsureIdentityAdoptsALegacyCluster(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("clusters live outside the data dir only as root")
	}
	base := rootBase(t)
	for _, used := range []bool{true, false} {
		dir := t.TempDir()
		legacy := filepath.Join(base, pathHash(dir))
		if err := os.MkdirAll(filepath.Join(legacy, "data"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(legacy, "data-dir"), []byte(dir+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if used {
			if err := os.WriteFile(filepath.Join(dir, "s3-credentials.json"), []byte("{}"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		before, _ := NewLayout(dir)
		l, err := EnsureIdentity(before)
		if err != nil {
			t.Fatal(err)
		}
		if adopted := l.ClusterRoot == legacy; adopted != used {
			t.Errorf("used %v: cluster %s, legacy %s (layout before the id: %s)", used, l.ClusterRoot, legacy, before.ClusterRoot)
		}
	}
}

// Only a cluster whose data dir is known to be gone is removed.
func TestRemoveOrphanClusters(t *testing.T) {
	base := rootBase(t)
	parent := t.TempDir()
	cluster := func(name, dataDir, id string) string {
		root := filepath.Join(base, name)
		if err := os.MkdirAll(filepath.Join(root, "data"), 0o700); err != nil {
			t.Fatal(err)
		}
		if dataDir != "" {
			if err := os.WriteFile(filepath.Join(root, "data-dir"), []byte(dataDir+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if id != "" {
			if err := os.WriteFile(filepath.Join(root, "id"), []byte(id+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return root
	}
	dataDir := func(name, id string) string {
		d := filepath.Join(parent, name)
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if id != "" {
			if err := os.WriteFile(filepath.Join(d, "id"), []byte(id+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	const idA, idB, idC = "aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc"
	gone := cluster("1111111111111111", filepath.Join(parent, "deleted"), "1111111111111111")
	replaced := cluster("2222222222222222", dataDir("recreated", idA), "2222222222222222")
	legacyReplaced := cluster("3333333333333333", dataDir("recreated-legacy", idB), "")
	live := cluster(idC, dataDir("live", idC), idC)
	notStarted := cluster("4444444444444444", dataDir("not-started", ""), "4444444444444444")
	noRecord := cluster("5555555555555555", "", "")
	relative := cluster("6666666666666666", "relative/dir", "")
	running := cluster("7777777777777777", filepath.Join(parent, "deleted-too"), "")
	// A postgres still runs there: something whose command line names the cluster dir.
	proc := exec.Command("sh", "-c", "sleep 30; true", filepath.Join(running, "data"))
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = proc.Process.Kill(); _ = proc.Wait() }()
	if err := os.WriteFile(filepath.Join(running, "data", "postmaster.pid"), []byte(strconv.Itoa(proc.Process.Pid)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A stale postmaster.pid whose pid is some unrelated process: not running.
	if err := os.WriteFile(filepath.Join(gone, "data", "postmaster.pid"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	removed, err := RemoveOrphanClusters(Layout{ClusterRoot: live})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	want := []string{gone, replaced, legacyReplaced}
	if !slices.Equal(removed, want) {
		t.Fatalf("removed %v, want %v", removed, want)
	}
	for _, kept := range []string{live, notStarted, noRecord, relative, running} {
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("%s was removed: %v", kept, err)
		}
	}
}

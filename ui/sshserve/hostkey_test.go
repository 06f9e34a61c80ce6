package sshserve_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"brightrun/ui/sshserve"
)

func TestHostKeyIsMadeOnceAndKept(t *testing.T) {
	path := sshserve.HostKeyPath(t.TempDir())
	// Servers starting together agree on one key.
	keys := make([]gossh.Signer, 4)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := sshserve.LoadOrCreateHostKey(path)
			if err != nil {
				t.Error(err)
				return
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, k := range keys[1:] {
		if !bytes.Equal(k.PublicKey().Marshal(), keys[0].PublicKey().Marshal()) {
			t.Fatal("concurrent starts made different host keys")
		}
	}
	again, err := sshserve.LoadOrCreateHostKey(path)
	if err != nil || !bytes.Equal(again.PublicKey().Marshal(), keys[0].PublicKey().Marshal()) {
		t.Fatalf("reload: %v, or a different key", err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 || keys[0].PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Fatalf("host key mode %v, type %s: %v", st.Mode(), keys[0].PublicKey().Type(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".host_ed25519-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := sshserve.LoadOrCreateHostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("world-readable key: %v, want refused with the fix", err)
	}
	bad := filepath.Join(t.TempDir(), "bad")
	os.WriteFile(bad, []byte("not a key"), 0o600)
	if _, err := sshserve.LoadOrCreateHostKey(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("garbage key: %v, want an error naming the file", err)
	}
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Key files are read before anything is opened, so their mistakes come back
// at once, naming the file and the line, and nothing is written.
func TestUserKeyMistakesNeedNoDatabase(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFEbsV8+l3PeIIi6FpTq9fHYLfVb/ZjMQ+tyHbBd3Yj alice@laptop\n")
	bad := write("bad.pub", "# mine\n\nssh-ed25519 AAAAnotbase64!!\n")
	private := write("id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----\n")
	empty := write("empty.pub", "# nothing here\n")

	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"user", "add", "alice", "--key", good, "--key", bad}, bad + " line 3: not an SSH public key"},
		{[]string{"user", "add", "alice", "--key", private}, private + " line 1: this is a private key; give the public one"},
		{[]string{"user", "add-key", "alice", empty}, empty + " holds no SSH public key"},
		{[]string{"user", "add-key", "alice", filepath.Join(dir, "missing.pub")}, "missing.pub: no such file"},
		{[]string{"user", "add-key", "alice", dir}, "is a directory"},
		{[]string{"user", "add-key", "alice"}, "want NAME and at least one key FILE"},
		{[]string{"user", "remove-key", "alice"}, "want NAME and one FINGERPRINT"},
		{[]string{"user", "remove-key", "alice", "MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48"}, "give the SHA256 fingerprint"},
		{[]string{"user", "frobnicate"}, "want add, add-key, remove-key or list"},
		{[]string{"serve", "--listen", "23234"}, "want host:port"},
		{[]string{"serve", "--idle-timeout", "-1s"}, "negative"},
	}
	for _, tt := range tests {
		code, out, errOut := runIn(tt.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tt.stderr) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line with %q", tt.args, code, out, errOut, tt.stderr)
		}
	}
}

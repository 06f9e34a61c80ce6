package main_test

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	gossh "golang.org/x/crypto/ssh"

	"brightrun/ui/sshserve/sshtest"
)

// `brightrun serve` driven through a real SSH client, against the real
// binary and local services: operators see only their own rows, unknown and
// removed keys stay out, and a job created by one operator appears in that
// operator's other session at once and never in anyone else's.

// serveProc is a running `brightrun serve`.
type serveProc struct {
	cmd    *exec.Cmd
	addr   string
	mu     sync.Mutex
	stderr strings.Builder
	exited chan error
}

func (p *serveProc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// startServe runs `brightrun serve` on a free loopback port and waits for
// the line saying where it listens.
func startServe(t *testing.T, env []string, args ...string) *serveProc {
	t.Helper()
	cmd := binaryCmd(t, env, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProc{cmd: cmd, exited: make(chan error, 1)}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`listening on (\S+)`)
		for sc.Scan() {
			p.mu.Lock()
			p.stderr.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				listening <- m[1]
			}
		}
		p.exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	select {
	case p.addr = <-listening:
	case err := <-p.exited:
		t.Fatalf("serve exited before listening: %v\n%s", err, p.output())
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve never said where it listens:\n%s", p.output())
	}
	return p
}

// writeConversation writes one importable conversation (the first demo
// conversation, renamed) to a fresh folder and returns its path and
// conversation_id.
func writeConversation(t *testing.T, title string) (string, string) {
	t.Helper()
	return writeConversationIn(t, t.TempDir(), title)
}

// writeConversationIn writes the first demo conversation as <id>.json in dir,
// with a new conversation_id and the given title (which may be hostile text),
// and returns its path and conversation_id.
func writeConversationIn(t *testing.T, dir, title string) (string, string) {
	t.Helper()
	data, err := os.ReadFile("assets/demo/conversations/01-savings-to-first-index-fund.enriched.json")
	if err != nil {
		t.Fatal(err)
	}
	var conv map[string]any
	if err := json.Unmarshal(data, &conv); err != nil {
		t.Fatal(err)
	}
	id := uuid.NewString()
	conv["conversation_id"], conv["title"] = id, title
	out, _ := json.Marshal(conv)
	p := filepath.Join(dir, id+".json")
	if err := os.WriteFile(p, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, id
}

// seedOperator gives an operator a row in every table: a conversation, a
// training file holding it, a dataset, and a job run to its end (metrics,
// an artifact, a cost record, notifications). Every name carries tok.
func seedOperator(t *testing.T, env []string, d, tok string) {
	t.Helper()
	path, convID := writeConversation(t, tok+" cash chat")
	if r := run(t, env, "import", path, "--data-dir", d); r.code != 0 {
		t.Fatalf("import: exit %d %s", r.code, r.stderr)
	}
	if r := run(t, env, "trainingfile", "create", "--name", tok+"-tf", "--conversations", convID, "--data-dir", d); r.code != 0 {
		t.Fatalf("trainingfile create: exit %d %s", r.code, r.stderr)
	}
	ds := uploadDataset(t, env, d, writeChat(t, 15), tok+"-ds")
	j := createJob(t, env, d, "--dataset", ds.ID, "--name", tok+"-job")
	waitFor(t, env, d, j.ID, func(j jobRow) bool { return j.Status == "completed" })
}

// writeKeys writes the public keys of signers to one file, one a line.
func writeKeys(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "keys.pub")
	if err := os.WriteFile(p, []byte("# keys of one operator\n"+strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func newKey(t *testing.T, comment string) (gossh.Signer, string) {
	t.Helper()
	s, line, err := sshtest.NewKey(comment)
	if err != nil {
		t.Fatal(err)
	}
	return s, line
}

func openTerm(t *testing.T, addr string, signer gossh.Signer) *sshtest.Term {
	t.Helper()
	c, err := sshtest.Dial(addr, "operator", gossh.PublicKeys(signer))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	term, err := sshtest.Open(c, "xterm-256color", 160, 40, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { term.Close() })
	return term
}

// watcher fails the test the moment a session's screen shows any of the
// forbidden strings, whatever the test is doing at the time.
func watchNever(t *testing.T, term *sshtest.Term, who string, forbidden ...string) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			changed := term.Changed()
			text := term.Text()
			for _, f := range forbidden {
				if strings.Contains(text, f) {
					t.Errorf("%s's screen shows %q:\n%s", who, f, text)
					return
				}
			}
			select {
			case <-changed:
			case <-done:
				return
			case <-term.Done():
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func TestE2EServeIsolatesOperatorsAndPushesJobs(t *testing.T) {
	d := dataDir(t)
	base := []string{"BRIGHTRUN_SIM_SPEED=2000"}
	// The first command of a data dir seeds the demo data, for its own
	// operator: a third party whose 66 conversations neither alice nor bob
	// may see.
	if r := run(t, append(base, "BRIGHTRUN_USER=seeder"), "status", "--data-dir", d); r.code != 0 {
		t.Fatalf("status: exit %d %s", r.code, r.stderr)
	}

	aliceA, aliceALine := newKey(t, "alice@laptop")
	aliceB, aliceBLine := newKey(t, "alice@desktop")
	bobKey, bobLine := newKey(t, "bob@laptop")
	stranger, _ := newKey(t, "stranger")
	if r := run(t, base, "user", "add", "alice", "--key", writeKeys(t, aliceALine, aliceBLine), "--data-dir", d); r.code != 0 || !strings.Contains(r.stdout, "alice@desktop") {
		t.Fatalf("user add alice: exit %d %q %s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, base, "user", "add", "bob", "--data-dir", d); r.code != 0 || !strings.Contains(r.stdout, "has no SSH key yet") {
		t.Fatalf("user add bob: exit %d %q %s", r.code, r.stdout, r.stderr)
	}
	// bob, added without a key, gets one afterwards; nobody else may have it.
	bobFile := writeKeys(t, bobLine)
	if r := run(t, base, "user", "add-key", "bob", bobFile, "--data-dir", d); r.code != 0 {
		t.Fatalf("user add-key: exit %d %s", r.code, r.stderr)
	}
	if r := run(t, base, "user", "add-key", "bob", writeKeys(t, aliceALine), "--data-dir", d); r.code != 2 || !strings.Contains(r.stderr, "belongs to user alice") {
		t.Fatalf("alice's key for bob: exit %d %q", r.code, r.stderr)
	}

	alice := append(base, "BRIGHTRUN_USER=alice")
	bob := append(base, "BRIGHTRUN_USER=bob")
	seedOperator(t, alice, d, "alicetok")
	seedOperator(t, bob, d, "bobtok")

	srv := startServe(t, base, "--data-dir", d, "--shutdown-grace", "1s")

	if _, err := sshtest.Dial(srv.addr, "alice", gossh.PublicKeys(stranger)); err == nil {
		t.Fatal("an unknown key got in")
	}

	a1 := openTerm(t, srv.addr, aliceA)
	a2 := openTerm(t, srv.addr, aliceB)
	b1 := openTerm(t, srv.addr, bobKey)
	demoTitle := "Moving $14k out of a savings account"
	stopA1 := watchNever(t, a1, "alice (laptop)", "bobtok", demoTitle)
	stopA2 := watchNever(t, a2, "alice (desktop)", "bobtok", demoTitle)
	stopB := watchNever(t, b1, "bob", "alicetok", demoTitle)

	// Each tab shows the operator's own rows: conversations, training
	// files, datasets, jobs, and notifications (which name the dataset).
	type session struct {
		term *sshtest.Term
		tok  string
	}
	// Each wait names something only that tab shows, so it cannot pass on
	// the previous tab's screen.
	for _, tab := range []struct {
		key  string
		want []string
	}{
		{"1", []string{"%s cash chat"}},
		{"2", []string{"%s-tf"}},
		{"3", []string{"%s-ds", "Tokens"}},
		{"6", []string{"Training Completed", "Training Job Queued", "%s-ds"}},
		{"5", []string{"%s-job", "GPUs"}},
	} {
		for _, s := range []session{{a1, "alicetok"}, {b1, "bobtok"}} {
			if err := s.term.Press(tab.key); err != nil {
				t.Fatal(err)
			}
			want := make([]string, len(tab.want))
			for i, w := range tab.want {
				want[i] = strings.ReplaceAll(w, "%s", s.tok)
			}
			if text, err := s.term.WaitText(10*time.Second, want...); err != nil {
				t.Fatalf("tab %s of %s: %v\n%s", tab.key, s.tok, err, text)
			}
		}
	}
	// The job view: the curve, cost and events of the operator's own job.
	for _, s := range []session{{a1, "alicetok"}, {b1, "bobtok"}} {
		s.term.Press("enter")
		if text, err := s.term.WaitText(10*time.Second, s.tok+"-job", "completed", "epoch 3/3", "step 12/12"); err != nil {
			t.Fatalf("job view of %s: %v\n%s", s.tok, err, text)
		}
		s.term.Press("esc")
	}
	// Configure offers alice her own datasets only. (Its fields take the
	// digits after this, so it comes last for this session.)
	a1.Press("4")
	if text, err := a1.WaitText(10*time.Second, "alicetok-ds", "Learning rate"); err != nil {
		t.Fatalf("configure: %v\n%s", err, text)
	}

	// A job alice creates from the command line appears in her other
	// session within a second, and never in bob's.
	a2.Press("5")
	b1.Press("5")
	for _, term := range []*sshtest.Term{a2, b1} {
		if _, err := term.WaitText(10*time.Second, "-job", "GPUs"); err != nil {
			t.Fatal(err)
		}
	}
	stopB()
	stopB = watchNever(t, b1, "bob", "alicetok", demoTitle, "pushedtok")
	r := run(t, alice, "dataset", "list", "--json", "--data-dir", d)
	var dl struct {
		Datasets []struct {
			ID string `json:"id"`
		} `json:"datasets"`
	}
	decode(t, r, &dl)
	j := createJob(t, alice, d, "--dataset", dl.Datasets[0].ID, "--name", "pushedtok-job")
	created := time.Now()
	if text, err := a2.WaitText(5*time.Second, "pushedtok-job"); err != nil {
		t.Fatalf("pushed job never showed: %v\n%s", err, text)
	}
	if took := time.Since(created); took > time.Second {
		t.Errorf("the new job took %s to show in alice's other session, want ≤ 1s", took)
	} else {
		t.Logf("the new job showed in alice's other session %s after `job create` returned", took.Round(time.Millisecond))
	}
	// Give bob's screen every chance to show it wrongly.
	waitFor(t, alice, d, j.ID, func(j jobRow) bool { return j.Status == "completed" })
	time.Sleep(time.Second)
	stopA1()
	stopA2()
	stopB()

	// The keys record their use; a removed key no longer gets in, the
	// other key of the same operator still does.
	r = run(t, base, "user", "list", "--json", "--data-dir", d)
	var ul struct {
		Users []struct {
			Name string `json:"name"`
			Keys []struct {
				Fingerprint string  `json:"fingerprint"`
				Comment     string  `json:"comment"`
				LastUsedAt  *string `json:"last_used_at"`
			} `json:"keys"`
		} `json:"users"`
	}
	decode(t, r, &ul)
	var desktopFP string
	for _, u := range ul.Users {
		if u.Name != "alice" {
			continue
		}
		if len(u.Keys) != 2 {
			t.Fatalf("alice's keys: %+v", u.Keys)
		}
		for _, k := range u.Keys {
			if k.LastUsedAt == nil {
				t.Errorf("key %s was used but says never", k.Comment)
			}
			if k.Comment == "alice@desktop" {
				desktopFP = k.Fingerprint
			}
		}
	}
	if r := run(t, base, "user", "remove-key", "alice", desktopFP, "--data-dir", d); r.code != 0 {
		t.Fatalf("remove-key: exit %d %s", r.code, r.stderr)
	}
	if _, err := sshtest.Dial(srv.addr, "alice", gossh.PublicKeys(aliceB)); err == nil {
		t.Error("a removed key still gets in")
	}
	if c, err := sshtest.Dial(srv.addr, "alice", gossh.PublicKeys(aliceA)); err != nil {
		t.Errorf("alice's remaining key: %v", err)
	} else {
		c.Close()
	}

	// Shutdown: every session is told, then closed, and serve exits 0.
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for _, term := range []*sshtest.Term{a1, a2, b1} {
		select {
		case <-term.Done():
		case <-time.After(15 * time.Second):
			t.Fatalf("a session outlived the shutdown:\n%s", term.Text())
		}
		if !strings.Contains(term.Text(), "session closed: the server is shutting down") {
			t.Errorf("no closing line:\n%s", term.Text())
		}
	}
	select {
	case err := <-srv.exited:
		if err != nil {
			t.Errorf("serve exited with %v\n%s", err, srv.output())
		}
		srv.exited <- err // for the cleanup
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not exit:\n%s", srv.output())
	}
	log, _ := os.ReadFile(filepath.Join(d, "logs", "brightrun.log"))
	for _, want := range []string{"ssh session start", "ssh session end", "ssh key refused", "user=alice", "user=bob", "remote=127.0.0.1:"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("serve's log lacks %q", want)
		}
	}
}

// Bad ways to start serve fail at once with one line.
func TestE2EServeRefusesBadFlags(t *testing.T) {
	d := t.TempDir()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tc := range []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"--listen", "nonsense"}, nil, "want host:port"},
		{[]string{"--idle-timeout", "-5m"}, nil, "negative"},
		{nil, []string{"BRIGHTRUN_SSH_IDLE_TIMEOUT=soon"}, "BRIGHTRUN_SSH_IDLE_TIMEOUT"},
		{[]string{"extra"}, nil, "unexpected argument"},
		{[]string{"--listen", busy.Addr().String()}, nil, "is in use"},
	} {
		r := run(t, tc.env, append([]string{"serve", "--data-dir", d}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("serve %v: exit %d, stderr %q; want 2 and one line with %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}

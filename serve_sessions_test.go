package main_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"brightrun/ui/sshserve/sshtest"
)

// Sessions that end leave nothing behind. A client that closes its session
// but keeps its connection (as OpenSSH does when several sessions share
// one) ends the session at once; once the clients have gone, the server's
// goroutines are back to what they were within a second or two, not
// whenever the screens' longest timers would have fired.
func TestEndedSessionsLeaveNothingBehind(t *testing.T) {
	if testing.Short() {
		t.Skip("serves real sessions")
	}
	f := startServed(t)
	type client struct {
		conn *gossh.Client
		term *sshtest.Term
	}
	session := func() client {
		t.Helper()
		c, err := sshtest.Dial(f.addr, "bench", gossh.PublicKeys(f.signer))
		if err != nil {
			t.Fatal(err)
		}
		term, err := sshtest.Open(c, "xterm-256color", 100, 30, nil)
		if err != nil {
			t.Fatal(err)
		}
		term.Press("5")
		if text, err := term.WaitText(20*time.Second, "bench-job"); err != nil {
			t.Fatalf("jobs list: %v\n%s", err, text)
		}
		term.Press("enter")
		if text, err := term.WaitText(20*time.Second, "step 0/"); err != nil {
			t.Fatalf("job view: %v\n%s", err, text)
		}
		return client{c, term}
	}
	settled := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				n := runtime.Stack(buf, true)
				t.Fatalf("%s within 2 s of the clients leaving:\n%s", what, stacks(buf[:n]))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// One session first, so the pools, the event listener and the
	// server's own goroutines are all up before the count.
	first := session()
	first.term.Close()
	settled("the first session did not end", func() bool { return f.srv.Sessions() == 0 })
	first.conn.Close()
	time.Sleep(300 * time.Millisecond)
	base := runtime.NumGoroutine()

	clients := make([]client, 5)
	for i := range clients {
		clients[i] = session()
	}
	if n := runtime.NumGoroutine(); n <= base {
		t.Fatalf("five open sessions run %d goroutines, no more than none (%d)", n, base)
	}
	for _, c := range clients {
		c.term.Close() // the session only: the connections stay
	}
	settled("the sessions did not end", func() bool { return f.srv.Sessions() == 0 })
	for _, c := range clients {
		c.conn.Close()
	}
	settled(fmt.Sprintf("goroutines not back to %d", base), func() bool { return runtime.NumGoroutine() <= base })
}

// stacks keeps the goroutines of ours and of Bubble Tea from a dump.
func stacks(dump []byte) string {
	var keep []string
	for _, g := range strings.Split(string(dump), "\n\n") {
		if strings.Contains(g, "brightrun/") || strings.Contains(g, "bubbletea") {
			keep = append(keep, g)
		}
	}
	return strings.Join(keep, "\n\n")
}

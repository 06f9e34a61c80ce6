package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"brightrun/model/tokens"
)

// TestE2EImportOneLongStringInBoundedMemory imports, through the binary, a
// conversation whose first turn is 16 MB of letters without a space: one
// piece for the tokenizer, which took 45 times the file's size to count
// (1.87 GB for 40 MB). The import's peak RSS, start-up included (about
// 40 MB of it), stays under 8 times the file's size: the file is read once
// into a buffer of its size, parsed in place (the turn is the file's own
// bytes) and counted in under 3 bytes per byte. The row keeps the exact
// count (the counter's, which model/tokens holds to the library's) and a
// short title.
func TestE2EImportOneLongStringInBoundedMemory(t *testing.T) {
	const n = 16 << 20
	rng := rand.New(rand.NewPCG(16, 7))
	letters := make([]byte, n)
	for i := range letters {
		letters[i] = byte('a' + rng.IntN(26))
	}
	data, err := json.Marshal(map[string]any{
		"conversation_id": "one-long-string", "persona": "p", "emotional_arc": "a", "training_topic": "t", "tier": "template",
		"turns": []map[string]string{{"role": "user", "content": string(letters)}, {"role": "assistant", "content": "ok"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "long.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	d := dataDir(t)
	if r := run(t, nil, "status", "--data-dir", d); r.code != 0 {
		t.Fatalf("status: exit %d %s", r.code, r.stderr)
	}

	peak := peakRSS(t, brightrunBinary(t), "import", file, "--data-dir", d)
	t.Logf("import of %d bytes: peak RSS %d MiB (%.1f× the file)", len(data), peak>>20, float64(peak)/float64(len(data)))
	if peak > 8*int64(len(data)) {
		t.Errorf("import of a %d-byte file peaked at %d MiB of RSS, over 8 times its size", len(data), peak>>20)
	}

	r := run(t, nil, "conversations", "list", "--filter", "one-long-string", "--json", "--data-dir", d)
	if r.code != 0 {
		t.Fatalf("list: exit %d %s", r.code, r.stderr)
	}
	var list struct {
		Conversations []struct {
			ConversationID string `json:"conversation_id"`
			TokenCount     int64  `json:"token_count"`
			Title          string `json:"title"`
		} `json:"conversations"`
	}
	decode(t, r, &list)
	for _, row := range list.Conversations {
		if row.ConversationID != "one-long-string" {
			continue
		}
		if want := int64(tokens.Count(string(letters)) + tokens.Count("ok")); row.TokenCount != want {
			t.Errorf("token_count %d, want %d", row.TokenCount, want)
		}
		if want := string(letters[:79]) + "…"; row.Title != want {
			t.Errorf("title %q, want %q", row.Title, want)
		}
		return
	}
	t.Fatalf("the conversation is not listed: %s", r.stdout)
}

// peakRSS runs a command and returns its peak RSS in bytes. It runs it
// from a fresh copy of the test binary (TestPeakRSSHelper): Linux reports
// as a child's peak RSS the larger of its own and that of the process it
// was started from at the time (the exec records the vfork-shared memory
// of its parent), and this test process, grown by other tests or by the
// race detector, would hide the command's own figure.
func peakRSS(t testing.TB, name string, args ...string) int64 {
	t.Helper()
	argv, _ := json.Marshal(append([]string{name}, args...))
	cmd := exec.Command(os.Args[0], "-test.run=^TestPeakRSSHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "BRIGHTRUN_SERVICES_IDLE=20s", "DATABASE_URL=", "BRIGHTRUN_VERSITYGW=",
		"BRIGHTRUN_PEAK_RSS_OF="+string(argv))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s%s", filepath.Base(name), args, err, out.String(), errb.String())
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if v, ok := strings.CutPrefix(line, "peak-rss-kib "); ok {
			kib, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				t.Fatalf("helper said %q", line)
			}
			return kib << 10
		}
	}
	t.Skipf("no resource usage on this platform:\n%s", out.String())
	return 0
}

// TestPeakRSSHelper is peakRSS's helper process, not a test: it runs the
// command it is given and prints its peak RSS.
func TestPeakRSSHelper(t *testing.T) {
	spec := os.Getenv("BRIGHTRUN_PEAK_RSS_OF")
	if spec == "" {
		t.Skip("a helper process of peakRSS")
	}
	var argv []string
	if err := json.Unmarshal([]byte(spec), &argv); err != nil || len(argv) == 0 {
		t.Fatalf("BRIGHTRUN_PEAK_RSS_OF=%q: %v", spec, err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "%v\n", err)
		os.Exit(1)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		fmt.Printf("peak-rss-kib %d\n", ru.Maxrss) // KiB on Linux
	}
	os.Exit(0)
}

package datasets

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
)

// newTicket presses U, names the dataset and delivers the URL.
func newTicket(t *testing.T, m *Model, name string) {
	t.Helper()
	press(m, "U")
	if m.mode != modeURLName || !m.InputFocused() {
		t.Fatalf("U did not ask for a name: mode %v", m.mode)
	}
	typeText(m, name)
	press(m, "enter")
	if m.mode != modeTicket {
		t.Fatalf("no URL box: mode %v\n%s", m.mode, m.View())
	}
}

// waitingForFile is the list after a URL was made for name and its box
// closed: the screen is watching for the file to arrive.
func waitingForFile(t *testing.T, name string) (*Model, *uitest.DatasetFixture) {
	t.Helper()
	b := uitest.NewBackend(t)
	m := newLoaded(t, b, 80, 24)
	newTicket(t, m, name)
	press(m, "esc")
	return m, b.DatasetFixture()
}

func TestUploadFromElsewhereShowsTheCurlLine(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newLoaded(t, b, 80, 24)
	newTicket(t, m, "remote-set")
	golden.Assert(t, "ticket_80x24", m.View())

	// The curl line sits alone between the rules: its lines join back into
	// exactly the engine's command.
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	var rules []int
	for i, l := range lines {
		if strings.HasPrefix(l, "────") {
			rules = append(rules, i)
		}
	}
	if len(rules) != 2 {
		t.Fatalf("rules at %v", rules)
	}
	joined := strings.TrimRight(strings.Join(lines[rules[0]+1:rules[1]], ""), " ")
	if joined != m.ticket.Curl || !strings.HasPrefix(joined, "curl -fT FILE.jsonl 'http://127.0.0.1:7070/lora-datasets/") {
		t.Errorf("curl line\n got %q\nwant %q", joined, m.ticket.Curl)
	}
	if !strings.Contains(ansi.Strip(m.View()), "valid for 1h 00m (until 16:00 UTC)") {
		t.Errorf("no expiry:\n%s", m.View())
	}

	// y copies the curl line through the terminal (OSC 52), Y the URL.
	for k, want := range map[string]string{"y": m.ticket.Curl, "Y": m.ticket.URL} {
		_, cmd := m.Update(uitest.Key(k))
		var copied string
		for _, msg := range uitest.Run(cmd) {
			if fmt.Sprintf("%T", msg) == "tea.setClipboardMsg" {
				copied = fmt.Sprint(msg)
			}
		}
		if copied != want {
			t.Errorf("%s copied %q, want %q", k, copied, want)
		}
	}

	press(m, "esc")
	if m.mode != modeList {
		t.Fatalf("esc left mode %v", m.mode)
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "remote-set") || !strings.Contains(v, "Waiting for the file of “remote-set” · URL valid 1h 00m more") {
		t.Errorf("list does not show the waiting upload:\n%s", v)
	}
}

func TestArrivalStartsValidation(t *testing.T) {
	m, f := waitingForFile(t, "remote-set")
	if !m.confirming {
		t.Fatal("no arrival check scheduled")
	}
	id := m.ticket.Dataset.ID

	// Not there yet: asked, still waiting, quietly.
	passed := deliver(m, []tea.Msg{confirmTickMsg{}})
	if len(f.Confirms) != 1 || f.Confirms[0] != id || len(m.tickets) != 1 || len(notices(passed)) != 0 {
		t.Fatalf("confirms %v, tickets %d, notices %q", f.Confirms, len(m.tickets), notices(passed))
	}

	// The other machine uploaded: the next check starts validation.
	f.Lock()
	f.Arrived[id] = true
	f.Unlock()
	passed = deliver(m, []tea.Msg{confirmTickMsg{}})
	if got := notices(passed); len(got) != 1 || got[0] != "The file of “remote-set” arrived; validating" {
		t.Errorf("notices %q", got)
	}
	if len(m.tickets) != 0 || m.confirming {
		t.Errorf("still watching: %d tickets, confirming %v", len(m.tickets), m.confirming)
	}
	if d, _ := f.Find("remote-set"); d.Status != model.DatasetValidating {
		t.Errorf("status %s", d.Status)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "2 validating") || strings.Contains(v, "Waiting for the file") {
		t.Errorf("list:\n%s", v)
	}
}

func TestExpiredURLStopsTheChecks(t *testing.T) {
	m, f := waitingForFile(t, "late")
	m.common.Now = func() time.Time { return uitest.Now.Add(time.Hour) }
	passed := deliver(m, []tea.Msg{confirmTickMsg{}})
	if got := notices(passed); len(got) != 1 || got[0] != "The upload URL of “late” expired; nothing arrived" {
		t.Errorf("notices %q", got)
	}
	if len(f.Confirms) != 0 || len(m.tickets) != 0 || m.confirming {
		t.Errorf("confirms %v, tickets %d, confirming %v", f.Confirms, len(m.tickets), m.confirming)
	}
}

func TestConfirmByHand(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.DatasetFixture()
	// A dataset waiting for a file whose URL another session handed out.
	f.Items[0].Status = model.DatasetUploading
	m := newLoaded(t, b, 80, 24)
	if !strings.Contains(ansi.Strip(m.View()), "Waiting for its file; c checks whether it arrived") {
		t.Errorf("hint missing:\n%s", m.View())
	}
	passed := press(m, "c")
	if got := notices(passed); len(got) != 1 || got[0] != "No file yet for “tone-tuner-v2”" {
		t.Errorf("notices %q", got)
	}
	f.ConfirmErr = errors.New("dataset \"tone-tuner-v2\": the uploaded file is 612.0 MiB, over the 500 MiB limit; it was removed")
	passed = press(m, "c")
	if e, ok := uitest.Find[common.ErrMsg](passed); !ok || !strings.Contains(e.Error(), "over the 500 MiB limit") {
		t.Errorf("error %v", passed)
	}
}

func TestURLFailureIsReported(t *testing.T) {
	b := uitest.NewBackend(t)
	b.DatasetFixture().URLErr = errors.New("presign: no credentials")
	m := newLoaded(t, b, 80, 24)
	press(m, "U")
	typeText(m, "x")
	passed := press(m, "enter")
	if e, ok := uitest.Find[common.ErrMsg](passed); !ok || e.Error() != "create upload URL: presign: no credentials" {
		t.Errorf("error %v", passed)
	}
	if m.mode != modeURLName {
		t.Errorf("mode %v: the name should stay for another try", m.mode)
	}
	press(m, "esc")
	if m.mode != modeList {
		t.Errorf("esc left mode %v", m.mode)
	}
}

// TestBoxSaysTheFileArrived: the URL box, left open, says when the file
// came and that it is validating, instead of still offering the URL's
// time; p prints the curl line and the URL outside the frame.
func TestBoxSaysTheFileArrived(t *testing.T) {
	b := uitest.NewBackend(t)
	f := b.DatasetFixture()
	m := newLoaded(t, b, 80, 24)
	newTicket(t, m, "remote-set")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "The URL is valid for") || strings.Contains(v, "received") {
		t.Fatalf("box before arrival:\n%s", v)
	}
	if _, cmd := m.Update(uitest.Key("p")); cmd == nil {
		t.Error("p printed nothing")
	}
	if out := m.ticketPrintout(); !strings.Contains(out, "\n"+m.ticket.Curl+"\n") || !strings.HasSuffix(out, "\n"+m.ticket.URL) {
		t.Errorf("printout does not hold the curl line and the URL, each on a line of its own:\n%s", out)
	}
	f.Lock()
	f.Arrived[m.ticket.Dataset.ID] = true
	f.Unlock()
	deliver(m, []tea.Msg{confirmTickMsg{}})
	if m.mode != modeTicket {
		t.Fatalf("the box closed: mode %v", m.mode)
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "✓ The file was received, validating…") || strings.Contains(v, "The URL is valid for") {
		t.Errorf("box after arrival:\n%s", v)
	}
}

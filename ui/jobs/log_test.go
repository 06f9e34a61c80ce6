package jobs

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
)

// execRunning makes the fixture's running job an exec job that printed n
// lines, and returns it.
func execRunning(t *testing.T, b *uitest.Backend, n int) model.Job {
	t.Helper()
	f := b.JobFixture()
	f.Lock()
	var j model.Job
	for i := range f.Items {
		if f.Items[i].Name == "support-bot-v4" {
			f.Items[i].Trainer = model.TrainerExec
			j = f.Items[i]
		}
	}
	f.Unlock()
	f.AppendOutput(j.ID, uitest.TrainerOutput(j, n)...)
	return j
}

func TestLogMergesEventsAndOutput(t *testing.T) {
	b := uitest.NewBackend(t)
	execRunning(t, b, 60)
	m := newScreen(t, b, 120, 40)
	openJob(t, m, "support-bot-v4")
	golden.Assert(t, "job_log_120x40", m.View())
	l := &m.live.log
	if len(l.output) != 60 || len(l.events) != 5 || len(l.Lines()) != 65 || l.lastSeq != 60 {
		t.Fatalf("log holds %d output lines, %d events, %d lines, last seq %d", len(l.output), len(l.events), len(l.Lines()), l.lastSeq)
	}
	// By time: provisioning and loading come before the trainer's first
	// line, which comes 45 s after the start.
	first := strings.Join(l.Lines()[:3], "\n")
	if !strings.Contains(l.Lines()[0], "provisioning") || !strings.Contains(first, "Loading checkpoint shards") {
		t.Errorf("not merged by time:\n%s", first)
	}
	v := ansi.Strip(m.View())
	uitest.Holds(t, "the view", v, "Log  5 events · 60 output lines", "stderr", "14:17:00  warning     grad norm spiked")
	// The end is in view: the newest line shows.
	if last := l.Lines()[len(l.Lines())-1]; !strings.Contains(v, strings.TrimSpace(last[:40])) {
		t.Errorf("the newest line %q is not shown:\n%s", last, v)
	}
}

func TestLogSearch(t *testing.T) {
	b := uitest.NewBackend(t)
	execRunning(t, b, 60)
	m := newScreen(t, b, 120, 40)
	openJob(t, m, "support-bot-v4")
	st := m.live.log.Input().Styles()
	st.Cursor.Blink = false // a blinking cursor would make every command run wait for its timer
	m.live.log.Input().SetStyles(st)
	press(m, "/")
	if !m.InputFocused() {
		t.Fatal("/ did not start a search")
	}
	for _, msg := range uitest.Type("cuda") {
		send(m, msg)
	}
	press(m, "enter")
	l := &m.live.log
	// "CUDA warning" lines (every 17th from the 17th) and the deprecation
	// warning's torch.cuda: smart case finds both spellings.
	if l.Query() != "cuda" || l.Matches() != 5 || l.Current() < 0 {
		t.Fatalf("query %q: %d matches, current %d", l.Query(), l.Matches(), l.Current())
	}
	golden.Assert(t, "job_log_search_120x40", m.View())
	if v := ansi.Strip(m.View()); !strings.Contains(v, "“cuda” ") || !strings.Contains(v, "/5 · n/N") {
		t.Errorf("the search is not shown:\n%s", v)
	}
	at := l.Current()
	press(m, "n")
	if l.Current() != (at+1)%5 {
		t.Errorf("n went from %d to %d", at, l.Current())
	}
	press(m, "N", "N")
	if l.Current() != (at+4)%5 {
		t.Errorf("N N went from %d to %d", at, l.Current())
	}
	// A capital letter makes it exact.
	press(m, "/")
	for range 4 {
		press(m, "backspace")
	}
	for _, msg := range uitest.Type("CUDA") {
		send(m, msg)
	}
	press(m, "enter")
	if l.Matches() != 3 {
		t.Errorf("CUDA: %d matches, want the 3 warnings", l.Matches())
	}
	// Nothing found says so.
	press(m, "/")
	for range 4 {
		press(m, "backspace")
	}
	_, cmd := m.Update(uitest.Key("z"))
	feed(m, cmd)
	_, cmd = m.Update(uitest.Key("enter"))
	if n, ok := uitest.Find[common.NoticeMsg](uitest.Run(cmd)); !ok || !strings.Contains(string(n), "No match for “z”") {
		t.Errorf("no notice for a search without matches: %v", n)
	}
	// esc forgets the search first, then leaves the view.
	press(m, "esc")
	if m.live == nil || l.Query() != "" {
		t.Fatalf("the first esc: view open %v, query %q", m.live != nil, l.Query())
	}
	press(m, "esc")
	if m.live != nil {
		t.Error("the second esc did not leave the view")
	}
}

func TestLogFollowsAndScrolls(t *testing.T) {
	b := uitest.NewBackend(t)
	j := execRunning(t, b, 200)
	m := newScreen(t, b, 100, 30)
	openJob(t, m, "support-bot-v4")
	m.View()
	l := &m.live.log
	if !l.Following() || !l.Viewport().AtBottom() {
		t.Fatal("a new view does not follow the end")
	}
	press(m, "up", "up")
	m.View()
	if l.Following() || l.Viewport().AtBottom() {
		t.Fatal("scrolling up still follows")
	}
	if !strings.Contains(ansi.Strip(m.View()), "scrolled · G to follow") {
		t.Errorf("the title does not say the log stopped following:\n%s", ansi.Strip(m.View()))
	}
	// New output while scrolled away keeps the place; only what is after
	// the last line held is read.
	y := l.Viewport().YOffset()
	f := b.JobFixture()
	f.AppendOutput(j.ID, model.JobOutputLine{At: uitest.Now, Stream: model.StreamStderr, Text: "the newest line"})
	jobUpdated(m, j.ID)
	calls := f.OutputReads()
	if len(calls) != 2 || calls[0] != 0 || calls[1] != 200 {
		t.Errorf("output read after %v, want [0 200]", calls)
	}
	m.View()
	if l.Viewport().YOffset() != y || len(l.output) != 201 {
		t.Errorf("offset %d → %d, %d lines", y, l.Viewport().YOffset(), len(l.output))
	}
	// G follows again, and the next line shows at once.
	press(m, "G")
	f.AppendOutput(j.ID, model.JobOutputLine{At: uitest.Now.Add(time.Second), Stream: model.StreamStdout, Text: "after that"})
	jobUpdated(m, j.ID)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "after that") || !l.Following() {
		t.Errorf("the log did not follow:\n%s", v)
	}
	// z gives the log the view; the chart comes back with z again.
	press(m, "z")
	if v := ansi.Strip(m.View()); strings.Contains(v, "[loss]") || strings.Count(v, "\n") != 29 {
		t.Errorf("z did not give the log the view:\n%s", v)
	}
	press(m, "z")
	if !strings.Contains(ansi.Strip(m.View()), "[loss]") {
		t.Error("z again did not bring the chart back")
	}
}

func TestLogKeepsTheNewestLines(t *testing.T) {
	b := uitest.NewBackend(t)
	execRunning(t, b, maxOutputLines+outputBatch+10)
	m := newScreen(t, b, 100, 30)
	openJob(t, m, "support-bot-v4")
	l := &m.live.log
	if len(l.output) != maxOutputLines || l.dropped != outputBatch+10 || l.lastSeq != int64(maxOutputLines+outputBatch+10) {
		t.Fatalf("%d lines held, %d dropped, last %d", len(l.output), l.dropped, l.lastSeq)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "the first 2,010 not shown") {
		t.Errorf("the title does not say lines were let go:\n%s", v)
	}
}

// The log is laid out again only when it moves: the same events again (as
// at every point of a running job) change nothing, while a scroll, new
// lines or a search show at once.
func TestLogRedrawsOnlyWhatMoved(t *testing.T) {
	b := uitest.NewBackend(t)
	j := execRunning(t, b, 200)
	m := newScreen(t, b, 100, 30)
	openJob(t, m, "support-bot-v4")
	l := &m.live.log
	last := func() string {
		lines := strings.Split(ansi.Strip(m.View()), "\n")
		return lines[len(lines)-1]
	}
	bottom := last()
	gen := l.Generation()
	l.setEvents(slices.Clone(l.events), m.common.Theme)
	if l.Generation() != gen || last() != bottom {
		t.Errorf("the same events again laid the log out anew (gen %d → %d)", gen, l.Generation())
	}
	press(m, "up")
	if got := last(); got == bottom {
		t.Errorf("scrolling up left the last line as it was: %q", got)
	}
	press(m, "G")
	if got := last(); got != bottom {
		t.Errorf("G did not bring the end back: %q, want %q", got, bottom)
	}
	f := b.JobFixture()
	f.AppendOutput(j.ID, model.JobOutputLine{At: uitest.Now.Add(time.Hour), Stream: model.StreamStdout, Text: "one more line"})
	jobUpdated(m, j.ID)
	if got := last(); !strings.Contains(got, "one more line") {
		t.Errorf("a new line was not drawn: %q", got)
	}
	press(m, "/", "o", "n", "e", " ", "m", "o", "r", "e", "enter")
	if v := m.View(); !strings.Contains(v, "1/1") {
		t.Errorf("the search did not show:\n%s", ansi.Strip(v))
	}
}

package jobs

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/format"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
)

// Over SSH, d shows links to fetch the adapter from the operator's
// machine instead of asking for a directory on the server; every URL can
// be copied whole from the screen.
func TestRemoteDownloadShowsLinks(t *testing.T) {
	b := uitest.NewBackend(t)
	const w, h = 80, 24
	m := newRemoteScreen(t, b, w, h)
	j := openJob(t, m, "tone-tuner")
	if help := helpDescs(m); !strings.Contains(help, "download links (URL + curl)") {
		t.Errorf("remote job view help: %q", help)
	}
	press(m, "d")
	f := b.JobFixture()
	if m.live.prompt != nil || len(f.Downloads) != 0 {
		t.Fatalf("d over SSH asked for a directory or wrote one: %v", f.Downloads)
	}
	if len(f.URLRequests) != 1 || f.URLRequests[0] != j.ID || m.live.urls == nil {
		t.Fatalf("no links for %s: requests %v", j.ID, f.URLRequests)
	}
	if !m.InputFocused() || helpDescs(m) != "copy the command · copy the URLs · print unwrapped · scroll · close" {
		t.Errorf("links box: focused %v, help %q", m.InputFocused(), helpDescs(m))
	}
	golden.Assert(t, "remote_links_80x24", m.View())

	u := m.live.urls.urls
	content := m.urlContent(w)
	var joined strings.Builder
	for _, l := range content {
		plain := ansi.Strip(l)
		if ansi.StringWidth(l) > w {
			t.Errorf("line wider than %d: %q", w, plain)
		}
		joined.WriteString(strings.TrimRight(plain, " "))
	}
	all := joined.String()
	if !strings.Contains(all, u.Command) {
		t.Errorf("the command cannot be copied whole from the lines:\n%s", strings.Join(content, "\n"))
	}
	for _, file := range u.Files {
		if len(file.URL) < 2*w {
			t.Fatalf("fixture URL %q is too short to test wrapping", file.URL)
		}
		uitest.Holds(t, "the links", all, file.URL, file.Curl, file.SHA256+"  "+file.Name, fmt.Sprintf("%s (%s bytes)", model.HumanBytes(file.Size), format.Thousands(file.Size)))
	}
	// p prints every URL and curl line on a line of its own, for the
	// terminal to wrap.
	if _, cmd := m.Update(uitest.Key("p")); cmd == nil {
		t.Error("p printed nothing")
	}
	printed := strings.Split(urlPrintout(u), "\n")
	for _, want := range append([]string{u.Command}, u.Files[0].URL, u.Files[0].Curl, u.Files[1].URL, u.Files[1].Curl) {
		if !slices.Contains(printed, want) {
			t.Errorf("the printout has no line %q", want)
		}
	}
	text := strings.Join(strings.Fields(ansi.Strip(strings.Join(content, "\n"))), " ")
	uitest.Holds(t, "the links", text, "valid for 1h 00m (until 16:00 UTC)", "mkdir -p tone-tuner-adapter && cd tone-tuner-adapter && curl -fLo README.md '",
		"SIMULATED", "sha256sum -c", "ssh -L 7070:127.0.0.1:7070")

	// The box scrolls to its end, and the footer says where it is.
	press(m, "G")
	v := ansi.Strip(m.View())
	if total := len(m.live.urls.lines); !strings.Contains(v, fmt.Sprintf("–%d/%d ↑/↓", total, total)) {
		t.Errorf("scrolled to the end, the footer does not say so:\n%s", v)
	}
	if got := len(strings.Split(m.View(), "\n")); got > h {
		t.Errorf("%d lines in %d", got, h)
	}
	press(m, "g", "f", "j")
	if b := m.live.urls; b.top != b.height+1 {
		t.Errorf("g, a page and a line down: first line %d, page %d", b.top, b.height)
	}

	// y and Y copy through the terminal, saying so.
	for k, want := range map[string]string{"y": u.Command, "Y": u.Files[0].URL + "\n" + u.Files[1].URL} {
		_, cmd := m.Update(uitest.Key(k))
		msgs := uitest.Run(cmd)
		notice, ok := uitest.Find[common.NoticeMsg](msgs)
		copied := false
		for _, msg := range msgs {
			copied = copied || strings.HasPrefix(fmt.Sprint(msg), want)
		}
		if !ok || !strings.HasPrefix(string(notice), "Copied") || !copied {
			t.Errorf("%s: messages %v", k, msgs)
		}
	}

	// esc closes the links, then the view.
	press(m, "esc")
	if m.live == nil || m.live.urls != nil {
		t.Fatal("esc did not close the links, or closed the view too")
	}
	press(m, "esc")
	if m.live != nil {
		t.Error("the second esc did not close the view")
	}
}

func TestRemoteDownloadGolden120x40(t *testing.T) {
	m := newRemoteScreen(t, uitest.NewBackend(t), 120, 40)
	openJob(t, m, "tone-tuner")
	press(m, "d")
	golden.Assert(t, "remote_links_120x40", m.View())
}

// Links are only for a completed job, and a failure to make them is a
// toast, the view staying as it was.
func TestRemoteDownloadRefusals(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newRemoteScreen(t, b, 100, 30)
	openJob(t, m, "support-bot-v4")
	press(m, "d")
	f := b.JobFixture()
	if len(f.URLRequests) != 0 || m.live.urls != nil {
		t.Errorf("a running job offered links: %v", f.URLRequests)
	}
	press(m, "esc")
	openJob(t, m, "tone-tuner")
	f.Lock()
	f.URLErr = errors.New("S3 at 127.0.0.1:7070: AccessDenied")
	f.Unlock()
	_, cmd := m.Update(uitest.Key("d"))
	var got []string
	for _, msg := range uitest.Run(cmd) {
		_, c := m.Update(msg)
		if e, ok := uitest.Find[common.ErrMsg](uitest.Run(c)); ok {
			got = append(got, e.Error())
		}
	}
	if len(got) != 1 || got[0] != "download links: S3 at 127.0.0.1:7070: AccessDenied" || m.live.urls != nil || m.live.busy != "" {
		t.Errorf("errors %v, box %v, busy %q", got, m.live.urls != nil, m.live.busy)
	}
}

// Locally d still asks for a directory and makes no links.
func TestLocalDownloadMakesNoLinks(t *testing.T) {
	b := uitest.NewBackend(t)
	m := newScreen(t, b, 100, 30)
	openJob(t, m, "tone-tuner")
	press(m, "d")
	if m.live.prompt == nil || m.live.urls != nil || len(b.JobFixture().URLRequests) != 0 {
		t.Errorf("local d: prompt %v, links %v", m.live.prompt != nil, m.live.urls != nil)
	}
}

func helpDescs(m *Model) string {
	var parts []string
	for _, k := range m.ShortHelp() {
		parts = append(parts, k.Help().Desc)
	}
	return strings.Join(parts, " · ")
}

// The links box warns that links handed out before the local storage's
// port changed no longer work.
func TestDownloadLinksWarnOfPortChange(t *testing.T) {
	b := uitest.NewBackend(t)
	b.PortNotice = "the S3 port changed from 41231 to 41877 at the last start of the local services: URLs handed out before then no longer work"
	m := newRemoteScreen(t, b, 100, 60)
	openJob(t, m, "tone-tuner")
	press(m, "d")
	v := strings.Join(strings.Fields(ansi.Strip(m.View())), " ")
	if !strings.Contains(v, "S3 port changed from 41231 to 41877") {
		t.Errorf("links box lacks the port change:\n%s", v)
	}
}

package datasets

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// Over SSH the file picker would browse the server's disk, so u goes
// straight to the presigned URL, and a URL on the server's loopback says
// how to reach it from the operator's machine.
func TestRemoteUploadUsesThePresignedURL(t *testing.T) {
	b := uitest.NewBackend(t)
	c := common.New(t.Context(), b, theme.New(true), nil, uitest.Clock)
	c.Remote = true
	m := New(c).(*Model)
	m.SetSize(100, 40)
	deliver(m, uitest.Run(m.Init()))

	if help := helpText(m); strings.Contains(help, "upload from elsewhere") || !strings.Contains(help, "upload (URL + curl)") {
		t.Errorf("remote help line: %q", help)
	}
	press(m, "u")
	if m.mode != modeURLName {
		t.Fatalf("u over SSH opened mode %v, want the URL prompt", m.mode)
	}
	typeText(m, "from-laptop")
	press(m, "enter")
	if m.mode != modeTicket {
		t.Fatalf("no URL box: mode %v", m.mode)
	}
	v := ansi.Strip(m.View())
	for _, want := range []string{"curl -fT FILE.jsonl", "points at the object storage at 127.0.0.1:7070", "ssh -L 7070:127.0.0.1:7070", "BRIGHTRUN_S3_ADDR"} {
		if !strings.Contains(strings.Join(strings.Fields(v), " "), want) {
			t.Errorf("URL box lacks %q:\n%s", want, v)
		}
	}
}

func helpText(m *Model) string {
	var parts []string
	for _, k := range m.ShortHelp() {
		parts = append(parts, k.Help().Desc)
	}
	return strings.Join(parts, " · ")
}

// When the local storage's port changed at its last start, the URL box says
// that older URLs no longer work; with no change it says nothing about it.
func TestUploadURLBoxWarnsOfPortChange(t *testing.T) {
	for _, notice := range []string{"", "the S3 port changed from 41231 to 41877 at the last start of the local services: URLs handed out before then no longer work"} {
		b := uitest.NewBackend(t)
		b.PortNotice = notice
		c := common.New(t.Context(), b, theme.New(true), nil, uitest.Clock)
		c.Remote = true
		m := New(c).(*Model)
		m.SetSize(100, 40)
		deliver(m, uitest.Run(m.Init()))
		press(m, "u")
		typeText(m, "from-laptop")
		press(m, "enter")
		v := strings.Join(strings.Fields(ansi.Strip(m.View())), " ")
		if got := strings.Contains(v, "S3 port changed from 41231 to 41877"); got != (notice != "") {
			t.Errorf("notice %q: box shows the port change = %v:\n%s", notice, got, v)
		}
	}
}

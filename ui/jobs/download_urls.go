package jobs

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/printout"
	"brightrun/ui/format"
)

// Over SSH, d cannot write the adapter anywhere useful: a directory would
// be on the server. Instead the job view shows a presigned GET URL for
// each file of the adapter (valid an hour), with a curl line each, one
// command that fetches them all into a new directory, and each file's size
// and SHA-256 to check them by. URLs run to hundreds of characters, so
// they are cut into lines of the screen's width with nothing beside them
// (the pieces join back into the URL) in a viewport that scrolls, never
// truncated; p prints them unwrapped outside the frame, where the terminal
// wraps them and a selection copies each whole.

// urlBox is the download links of the open job's adapter. It scrolls its
// lines itself rather than through a viewport, which would pad the last
// piece of a URL with spaces that a mouse selection copies.
type urlBox struct {
	urls engine.ArtifactURLs
	// lines are the content cut for width; a resize or a theme change
	// (width 0) cuts it again.
	lines []string
	width int
	// top is the first line shown; height the lines the last frame had
	// room for, what a page is.
	top, height int
}

// urlsMsg answers fetchURLs.
type urlsMsg struct {
	id   uuid.UUID
	urls engine.ArtifactURLs
	err  error
}

// fetchURLs asks the engine to presign the open job's adapter.
func (m *Model) fetchURLs() tea.Cmd {
	id, c := m.live.id, m.common
	m.live.busy = "presigning the adapter's download links…"
	return c.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		u, err := b.ArtifactDownloadURLs(ctx, id, engine.ArtifactURLExpiry)
		return urlsMsg{id: id, urls: u, err: err}
	})
}

// gotURLs opens the box on the links, unless the view moved on.
func (m *Model) gotURLs(msg urlsMsg) tea.Cmd {
	l := m.live
	if l == nil || msg.id != l.id {
		return nil
	}
	l.busy = ""
	if msg.err != nil {
		return common.Err("download links", msg.err)
	}
	l.urls = &urlBox{urls: msg.urls, height: 1}
	return nil
}

// urlKey is a key while the links are shown: copy through the terminal's
// clipboard (OSC 52, which also works over SSH), print unwrapped outside
// the frame, scroll, close.
func (m *Model) urlKey(k tea.KeyPressMsg) tea.Cmd {
	b := m.live.urls
	switch {
	case key.Matches(k, m.keys.LinksClose):
		m.live.urls = nil
	case key.Matches(k, m.keys.LinksCopy):
		return tea.Batch(tea.SetClipboard(b.urls.Command),
			common.Notice(fmt.Sprintf("Copied the command that fetches all %d files", len(b.urls.Files))))
	case key.Matches(k, m.keys.LinksURLs):
		lines := make([]string, len(b.urls.Files))
		for i, f := range b.urls.Files {
			lines[i] = f.URL
		}
		return tea.Batch(tea.SetClipboard(strings.Join(lines, "\n")),
			common.Notice(fmt.Sprintf("Copied the %d URLs, one a line", len(lines))))
	case key.Matches(k, m.keys.LinksPrint):
		return printout.Show(urlPrintout(b.urls))
	case key.Matches(k, m.keys.LogUp):
		b.scroll(-1)
	case key.Matches(k, m.keys.LogDown):
		b.scroll(1)
	case key.Matches(k, m.keys.LogPgUp):
		b.scroll(-b.height)
	case key.Matches(k, m.keys.LogPgDown):
		b.scroll(b.height)
	case key.Matches(k, m.keys.LogTop):
		b.top = 0
	case key.Matches(k, m.keys.LogBottom):
		b.top = len(b.lines)
		b.clamp()
	}
	return nil
}

// urlPrintout is what p prints outside the frame: the command for all the
// files, then each file's URL and curl line, each on one line for the
// terminal to wrap, so a selection copies it whole.
func urlPrintout(u engine.ArtifactURLs) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Fetch every file of the adapter “%s” into %s:\n\n%s\n", u.Artifact.Name, u.Dir, u.Command)
	for i, f := range u.Files {
		fmt.Fprintf(&b, "\n%d/%d  %s  sha256 %s\n%s\n%s\n", i+1, len(u.Files), f.Name, f.SHA256, f.URL, f.Curl)
	}
	return b.String()
}

// scroll moves the first line shown by n, within the content.
func (b *urlBox) scroll(n int) {
	b.top += n
	b.clamp()
}

// clamp keeps the last page full: no scrolling past the end.
func (b *urlBox) clamp() {
	b.top = max(0, min(b.top, len(b.lines)-b.height))
}

// urlHelp is the keys of the links' box.
func (m *Model) urlHelp() []key.Binding {
	return []key.Binding{m.keys.LinksCopy, m.keys.LinksURLs, m.keys.LinksPrint, m.keys.LinksMove, m.keys.LinksClose}
}

// urlLines draws the box in h lines of w: a window on the links, and on
// the last line the keys and, when they do not all fit, where it is.
func (m *Model) urlLines(w, h int) []string {
	t := m.common.Theme
	b := m.live.urls
	if b.width != w {
		b.width = w
		b.lines = m.urlContent(w)
	}
	b.height = max(1, h-1)
	b.clamp()
	end := min(len(b.lines), b.top+b.height)
	out := append([]string(nil), b.lines[b.top:end]...)
	keys := "y copies the command · Y the URLs · p prints · esc closes"
	if len(b.lines) > b.height {
		keys = fmt.Sprintf("lines %d–%d/%d ↑/↓ · %s", b.top+1, end, len(b.lines), keys)
	}
	return append(out, t.Muted.Render(keys))
}

// urlContent is the links cut for width w: what they are and until when,
// the command for all files, then each file with its size, SHA-256, URL
// and curl line, then the checksums in sha256sum's format.
func (m *Model) urlContent(w int) []string {
	t := m.common.Theme
	u := m.live.urls.urls
	a := u.Artifact
	para := lipgloss.NewStyle().Width(w)
	rule := t.CodeRule.Render(strings.Repeat("─", w))
	// Each piece is styled on its own: a block would pad the last one
	// with spaces, which a mouse selection would copy into the URL.
	code := func(s string) []string {
		parts := strings.Split(common.HardWrap(s, w), "\n")
		for i, p := range parts {
			parts[i] = t.Code.Render(p)
		}
		return parts
	}
	text := func(s string) []string { return strings.Split(para.Render(s), "\n") }

	var total int64
	for _, f := range u.Files {
		total += f.Size
	}
	left := u.ExpiresAt.Sub(m.common.Now())
	lines := []string{t.Title.Render("Download the adapter from another machine")}
	lines = append(lines, text(fmt.Sprintf("“%s” · %s · %s · %s", a.Name, a.Format, format.Counted(len(u.Files), "file"), format.Bytes(total)))...)
	lines = append(lines, text(t.Muted.Render(fmt.Sprintf("These links are valid for %s (until %s); anyone holding one can fetch that file until then.",
		format.Span(left), format.ClockUTC(u.ExpiresAt))))...)
	lines = append(lines, "")
	lines = append(lines, text("Run this where the adapter should go; it makes the directory "+u.Dir+" there and fetches every file into it:")...)
	lines = append(lines, rule)
	lines = append(lines, code(u.Command)...)
	lines = append(lines, rule)
	if host, loopback := urlHost(u); loopback && m.common.Remote {
		lines = append(lines, text(t.Warning.Render("The links point at "+host+". "+common.LoopbackHint(host)))...)
	}
	if n := m.common.Backend.S3PortNotice(); n != "" {
		lines = append(lines, text(t.Warning.Render("Note: "+n+"."))...)
	}
	if a.Metadata.Simulated {
		lines = append(lines, text(t.Warning.Render(model.SimulatedNote+"."))...)
	}
	lines = append(lines, "")
	for i, f := range u.Files {
		lines = append(lines, t.Strong.Render(fmt.Sprintf("%d/%d  %s", i+1, len(u.Files), f.Name))+
			t.Muted.Render(fmt.Sprintf("  %s (%s bytes)", format.Bytes(f.Size), format.Thousands(f.Size))))
		if sum := "sha256 " + f.SHA256; lipgloss.Width(sum) <= w {
			lines = append(lines, t.Label.Render("sha256")+" "+t.Code.Render(f.SHA256))
		} else {
			lines = append(lines, t.Label.Render("sha256"))
			lines = append(lines, code(f.SHA256)...)
		}
		lines = append(lines, t.Label.Render("URL"))
		lines = append(lines, code(f.URL)...)
		lines = append(lines, t.Label.Render("curl"))
		lines = append(lines, code(f.Curl)...)
		lines = append(lines, "")
	}
	lines = append(lines, text("To check the files, feed these lines to sha256sum -c (shasum -a 256 -c on macOS) in that directory:")...)
	lines = append(lines, rule)
	for _, f := range u.Files {
		lines = append(lines, code(f.SHA256+"  "+f.Name)...)
	}
	return append(lines, rule)
}

// urlHost is the host:port the links point at, and whether it is a
// loopback address, which no other machine can reach.
func urlHost(u engine.ArtifactURLs) (host string, loopback bool) {
	if len(u.Files) == 0 {
		return "", false
	}
	return common.PresignedHost(u.Files[0].URL)
}

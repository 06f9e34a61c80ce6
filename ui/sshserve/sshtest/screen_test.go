package sshtest

import (
	"strings"
	"testing"
)

func TestScreenFollowsTheRenderersSequences(t *testing.T) {
	s := NewScreen(10, 4)
	feed := func(b string) {
		// Fed a byte at a time, so sequences split across writes work.
		for i := 0; i < len(b); i++ {
			s.Write([]byte{b[i]})
		}
	}
	feed("\x1b[?1049h\x1b[2J\x1b[Hhello\x1b[2;3Hworld\x1b[1;2Ha")
	feed("\x1b[3;1Hé中x\x1b[4;1Habcdef\x1b[4;2H\x1b[2P\x1b[4;1H\x1b[1@")
	want := "hallo\n  world\né中x\n adef"
	if got := s.Text(); got != want {
		t.Fatalf("screen\n%q\nwant\n%q", got, want)
	}
	// Erase to end of line, repeat, insert and delete lines, scroll.
	feed("\x1b[1;3H\x1b[K\x1b[2;1H\x1b[1L-\x1b[3b\x1b[4;1H\x1b[M\x1b[1S")
	want = "----\n  world\n\n"
	if got := s.Text(); got != want {
		t.Fatalf("screen\n%q\nwant\n%q", got, want)
	}
	s.Resize(3, 2)
	if got := s.Text(); got != "---\n  w" {
		t.Fatalf("after resize %q", got)
	}
}

// Text lays out again only the lines written since the last call: read
// between every byte of a busy stream, it must always say what the cells
// say.
func TestScreenTextKeepsUpWithEveryWrite(t *testing.T) {
	s := NewScreen(12, 5)
	stream := "\x1b[?1049h\x1b[2J\x1b[Hab\x1b[2;1Hcd\x1b[3;4Hef\x1b[5;1Hlast" +
		"\x1b[2;4r\x1b[3;1H\x1b[1L\x1b[2;1H\x1b[M\x1b[1S\x1b[1T\x1b[r" +
		"\x1b[1;1H\x1b[2K\x1b[4;2H\x1b[1J\x1b[5;5H\x1b[0J\x1b[3;1Hxy\x1b[2X\x1b[1@\x1b[1P" +
		"\x1b[1;11Hwrap\x1b[5;12H\nend\x1b[4;1H\x1b[3b"
	for i := 0; i < len(stream); i++ {
		s.Write([]byte{stream[i]})
		if got, want := s.Text(), fullText(s); got != want {
			t.Fatalf("after %q:\n%q\nthe cells say\n%q", stream[:i+1], got, want)
		}
	}
}

// fullText is the screen's text laid out from every cell.
func fullText(s *Screen) string {
	var lines []string
	for _, row := range s.cells {
		lines = append(lines, strings.TrimRight(strings.Join(row, ""), " "))
	}
	return strings.Join(lines, "\n")
}

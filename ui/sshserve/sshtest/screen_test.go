package sshtest

import "testing"

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

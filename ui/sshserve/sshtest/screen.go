package sshtest

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Screen is a small terminal emulator: enough of VT100/xterm to follow what
// Bubble Tea's renderer sends (cursor moves, erases, insert and delete of
// characters and lines, scroll regions, repeat), so tests read the screen an
// operator would see rather than a stream of partial updates. Colours and
// other attributes are dropped.
type Screen struct {
	w, h        int
	cells       [][]string // "" is the right half of a wide character
	x, y        int
	top, bottom int // scroll region, inclusive
	autowrap    bool
	wrapNext    bool
	insert      bool
	savedX      int
	savedY      int
	last        string // the last printed grapheme, for REP
	// rows caches each line's text; stale marks the lines written since.
	rows  []string
	stale []bool

	p       *ansi.Parser
	pending []byte // an incomplete sequence or character from the last write
}

// NewScreen is a blank screen of w × h cells.
func NewScreen(w, h int) *Screen {
	s := &Screen{p: ansi.NewParser(), autowrap: true}
	s.Resize(w, h)
	return s
}

// maxSide bounds the emulated screen; servers clamp far below it.
const maxSide = 1000

// Resize changes the size, keeping what fits.
func (s *Screen) Resize(w, h int) {
	w, h = min(max(w, 1), maxSide), min(max(h, 1), maxSide)
	cells := make([][]string, h)
	for y := range cells {
		cells[y] = blankLine(w)
		if y < len(s.cells) {
			copy(cells[y], s.cells[y])
		}
	}
	s.cells, s.w, s.h = cells, w, h
	s.rows, s.stale = make([]string, h), make([]bool, h)
	s.touchAll()
	s.top, s.bottom = 0, h-1
	s.x, s.y = min(s.x, w-1), min(s.y, h-1)
	s.wrapNext = false
}

func blankLine(w int) []string {
	l := make([]string, w)
	for i := range l {
		l[i] = " "
	}
	return l
}

// Text is the screen as lines of text, trailing spaces removed. Only the
// lines written since the last call are laid out again: a benchmark's
// clients read the screens of fifty sessions at every frame, on the cores
// the server under test runs on.
func (s *Screen) Text() string {
	n := 0
	for y, row := range s.cells {
		if s.stale[y] {
			end := len(row)
			for end > 0 && (row[end-1] == " " || row[end-1] == "") {
				end--
			}
			s.rows[y], s.stale[y] = strings.Join(row[:end], ""), false
		}
		n += len(s.rows[y]) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for y, r := range s.rows {
		if y > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(r)
	}
	return b.String()
}

func (s *Screen) touch(y int) { s.stale[y] = true }

func (s *Screen) touchAll() {
	for y := range s.stale {
		s.stale[y] = true
	}
}

// Write feeds output of the program to the screen. Sequences split across
// writes are kept until their end arrives.
func (s *Screen) Write(b []byte) (int, error) {
	data := append(s.pending, b...)
	s.pending = nil
	for len(data) > 0 {
		if data[0] >= 0xC0 && !utf8.FullRune(data) {
			break
		}
		seq, width, n, state := ansi.DecodeSequence(data, ansi.NormalState, s.p)
		if state != ansi.NormalState || n == 0 {
			break
		}
		data = data[n:]
		s.handle(seq, width)
	}
	s.pending = append([]byte(nil), data...)
	return len(b), nil
}

func (s *Screen) handle(seq []byte, width int) {
	switch {
	case width > 0:
		s.print(string(seq), width)
	case len(seq) == 1:
		s.control(seq[0])
	case seq[0] == ansi.ESC && len(seq) > 1 && seq[1] == '[', seq[0] == ansi.CSI:
		s.csi(ansi.Cmd(s.p.Command()))
	case seq[0] == ansi.ESC && len(seq) == 2:
		s.esc(seq[1])
	}
	// OSC, DCS, APC and the rest change nothing on the screen.
}

func (s *Screen) control(c byte) {
	switch c {
	case '\r':
		s.x, s.wrapNext = 0, false
	case '\n', '\v', '\f':
		s.lineFeed()
	case '\b':
		if s.x > 0 {
			s.x--
		}
		s.wrapNext = false
	case '\t':
		s.x = min(s.w-1, (s.x/8+1)*8)
	}
}

func (s *Screen) esc(c byte) {
	switch c {
	case '7':
		s.savedX, s.savedY = s.x, s.y
	case '8':
		s.x, s.y, s.wrapNext = s.savedX, s.savedY, false
	case 'D':
		s.lineFeed()
	case 'E':
		s.x = 0
		s.lineFeed()
	case 'M':
		if s.y == s.top {
			s.scrollDown(1)
		} else if s.y > 0 {
			s.y--
		}
	case 'c':
		s.eraseAll()
		s.x, s.y, s.top, s.bottom, s.autowrap = 0, 0, 0, s.h-1, true
	}
}

// param is parameter i, with def when missing or zero (as cursor moves
// and counts treat 0).
func (s *Screen) param(i, def int) int {
	v, _, ok := s.p.Params().Param(i, def)
	if !ok || v <= 0 {
		return def
	}
	return v
}

func (s *Screen) csi(cmd ansi.Cmd) {
	n := s.param(0, 1)
	if cmd.Intermediate() != 0 {
		return
	}
	if cmd.Prefix() == '?' {
		switch cmd.Final() {
		case 'h', 'l':
			s.privateModes(cmd.Final() == 'h')
		}
		return
	}
	if cmd.Prefix() != 0 {
		return
	}
	s.wrapNext = false
	switch cmd.Final() {
	case 'A':
		s.y = max(s.y-n, 0)
	case 'B':
		s.y = min(s.y+n, s.h-1)
	case 'C':
		s.x = min(s.x+n, s.w-1)
	case 'D':
		s.x = max(s.x-n, 0)
	case 'E':
		s.x, s.y = 0, min(s.y+n, s.h-1)
	case 'F':
		s.x, s.y = 0, max(s.y-n, 0)
	case 'G', '`':
		s.x = min(n-1, s.w-1)
	case 'd':
		s.y = min(n-1, s.h-1)
	case 'H', 'f':
		s.y, s.x = min(s.param(0, 1)-1, s.h-1), min(s.param(1, 1)-1, s.w-1)
	case 'I':
		for range n {
			s.x = min(s.w-1, (s.x/8+1)*8)
		}
	case 'Z':
		for range n {
			s.x = max(0, (s.x-1)/8*8)
		}
	case 'J':
		s.eraseDisplay(s.param(0, 0))
	case 'K':
		s.eraseLine(s.param(0, 0))
	case 'X':
		s.touch(s.y)
		for i := s.x; i < min(s.x+n, s.w); i++ {
			s.cells[s.y][i] = " "
		}
	case '@':
		s.touch(s.y)
		row := s.cells[s.y]
		n = min(n, s.w-s.x)
		copy(row[s.x+n:], row[s.x:s.w-n])
		for i := s.x; i < s.x+n; i++ {
			row[i] = " "
		}
	case 'P':
		s.touch(s.y)
		row := s.cells[s.y]
		n = min(n, s.w-s.x)
		copy(row[s.x:], row[s.x+n:])
		for i := s.w - n; i < s.w; i++ {
			row[i] = " "
		}
	case 'L':
		if s.y >= s.top && s.y <= s.bottom {
			s.shiftDown(s.y, s.bottom, n)
		}
	case 'M':
		if s.y >= s.top && s.y <= s.bottom {
			s.shiftUp(s.y, s.bottom, n)
		}
	case 'S':
		s.scrollUp(n)
	case 'T':
		s.scrollDown(n)
	case 'b':
		for range n {
			if s.last != "" {
				s.print(s.last, max(1, ansi.StringWidth(s.last)))
			}
		}
	case 'r':
		top, bottom := s.param(0, 1)-1, s.param(1, s.h)-1
		if top < bottom && bottom < s.h {
			s.top, s.bottom = top, bottom
		}
		s.x, s.y = 0, 0
	case 'h', 'l':
		if s.param(0, 0) == 4 {
			s.insert = cmd.Final() == 'h'
		}
	case 's':
		s.savedX, s.savedY = s.x, s.y
	case 'u':
		s.x, s.y = s.savedX, s.savedY
	}
}

func (s *Screen) privateModes(on bool) {
	for _, m := range s.p.Params() {
		switch m.Param(0) {
		case 7:
			s.autowrap = on
		case 47, 1047, 1049:
			// Entering or leaving the alternate screen: each is blank to
			// begin with as far as the tests are concerned.
			s.eraseAll()
			if m.Param(0) == 1049 && on {
				s.savedX, s.savedY = s.x, s.y
			}
		}
	}
}

func (s *Screen) print(g string, w int) {
	if s.wrapNext {
		if s.autowrap {
			s.x = 0
			s.lineFeed()
		}
		s.wrapNext = false
	}
	if s.x+w > s.w {
		if s.autowrap {
			s.x = 0
			s.lineFeed()
		} else {
			s.x = max(0, s.w-w)
		}
	}
	s.touch(s.y)
	row := s.cells[s.y]
	if s.insert {
		copy(row[s.x+w:], row[s.x:s.w-w])
	}
	row[s.x] = g
	for i := 1; i < w && s.x+i < s.w; i++ {
		row[s.x+i] = ""
	}
	s.last = g
	if s.x+w >= s.w {
		s.x = s.w - 1
		s.wrapNext = true
		return
	}
	s.x += w
}

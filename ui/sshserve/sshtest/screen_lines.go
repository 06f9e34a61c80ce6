package sshtest

// The screen's edits of whole lines and spans: line feed and scrolling
// within the scroll region, and erasing.

func (s *Screen) lineFeed() {
	s.wrapNext = false
	switch {
	case s.y == s.bottom:
		s.scrollUp(1)
	case s.y < s.h-1:
		s.y++
	}
}

func (s *Screen) scrollUp(n int)   { s.shiftUp(s.top, s.bottom, n) }
func (s *Screen) scrollDown(n int) { s.shiftDown(s.top, s.bottom, n) }

// shiftUp moves lines from..to up by n, blanking the bottom ones.
func (s *Screen) shiftUp(from, to, n int) {
	n = min(n, to-from+1)
	s.touchAll()
	copy(s.cells[from:to+1], s.cells[from+n:to+1])
	for y := to - n + 1; y <= to; y++ {
		s.cells[y] = blankLine(s.w)
	}
}

// shiftDown moves lines from..to down by n, blanking the top ones.
func (s *Screen) shiftDown(from, to, n int) {
	n = min(n, to-from+1)
	s.touchAll()
	copy(s.cells[from+n:to+1], s.cells[from:to+1-n])
	for y := from; y < from+n; y++ {
		s.cells[y] = blankLine(s.w)
	}
}

func (s *Screen) eraseLine(mode int) {
	s.touch(s.y)
	row := s.cells[s.y]
	from, to := s.x, s.w
	switch mode {
	case 1:
		from, to = 0, s.x+1
	case 2:
		from, to = 0, s.w
	}
	for i := from; i < min(to, s.w); i++ {
		row[i] = " "
	}
}

func (s *Screen) eraseDisplay(mode int) {
	s.touchAll()
	switch mode {
	case 0:
		s.eraseLine(0)
		for y := s.y + 1; y < s.h; y++ {
			s.cells[y] = blankLine(s.w)
		}
	case 1:
		s.eraseLine(1)
		for y := 0; y < s.y; y++ {
			s.cells[y] = blankLine(s.w)
		}
	default:
		s.eraseAll()
	}
}

func (s *Screen) eraseAll() {
	s.touchAll()
	for y := range s.cells {
		s.cells[y] = blankLine(s.w)
	}
}

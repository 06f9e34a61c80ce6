package termtext

import "testing"

func TestLineAndText(t *testing.T) {
	cases := []struct {
		name, in, line, text string
	}{
		{"plain ASCII", "hello world", "hello world", "hello world"},
		{"UTF-8 kept", "Zoë — 日本", "Zoë — 日本", "Zoë — 日本"},
		{"OSC 52 clipboard write", "x\x1b]52;c;SGVsbG8=\x07y", `x\x1b]52;c;SGVsbG8=\x07y`, `x\x1b]52;c;SGVsbG8=\x07y`},
		{"cursor report", "\x1b[6n", `\x1b[6n`, `\x1b[6n`},
		{"colour", "\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`, `\x1b[31mred\x1b[0m`},
		{"newline and tab", "a\tb\nc\rd", `a\x09b\x0ac\x0dd`, "a\tb\nc\\x0dd"},
		{"DEL and NUL", "a\x7f\x00", `a\x7f\x00`, `a\x7f\x00`},
		{"C1 CSI as UTF-8", "a\u009b31m", `a\u009b31m`, `a\u009b31m`},
		{"bidi override", "abc\u202edcba", `abc\u202edcba`, `abc\u202edcba`},
		{"invalid UTF-8", "a\xff\xfeb\xc3", `a\xff\xfeb\xc3`, `a\xff\xfeb\xc3`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Line(c.in); got != c.line {
				t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
			}
			if got := Text(c.in); got != c.text {
				t.Errorf("Text(%q) = %q, want %q", c.in, got, c.text)
			}
		})
	}
}

func TestPlainDoesNotAllocate(t *testing.T) {
	s := "a plain dataset name"
	if n := testing.AllocsPerRun(100, func() { _ = Line(s) }); n != 0 {
		t.Fatalf("%v allocations for plain text", n)
	}
}

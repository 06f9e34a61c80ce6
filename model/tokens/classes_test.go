package tokens

import (
	"testing"
	"unicode/utf8"
)

// classProbes are contexts in which each class of a rune shows in the
// pieces: as a letter, digit, symbol, space, or word lead.
var classProbes = []func(x string) string{
	func(x string) string { return x + "ab" },
	func(x string) string { return "1" + x + x + "1" },
	func(x string) string { return " " + x + x + "!" },
	func(x string) string { return "!" + x + "\n" },
	func(x string) string { return "a " + x + "  " + x + "b" },
	func(x string) string { return "'" + x + "x" },
}

// TestClassesMatchLibrary compares pieces with the library's matcher for
// every rune of the Basic Multilingual Plane and, above it, for the runes at
// each boundary where this package's classes change (both sides use Go's
// unicode tables, so agreement at the boundaries covers the ranges).
func TestClassesMatchLibrary(t *testing.T) {
	loadBMPClasses()
	probe := func(r rune) {
		x := string(r)
		for _, p := range classProbes {
			s := p(x)
			want, got := libraryPieces(t, s), ourPieces(s)
			if len(want) != len(got) {
				t.Fatalf("rune %U in %q: pieces %q, library %q", r, s, got, want)
			}
			for i := range want {
				if want[i] != got[i] {
					t.Fatalf("rune %U in %q: pieces %q, library %q", r, s, got, want)
				}
			}
		}
	}
	for r := rune(0); r < 0x10000; r++ {
		if utf8.ValidRune(r) {
			probe(r)
		}
	}
	prev := classOfRune(0x10000)
	probe(0x10000)
	for r := rune(0x10001); r <= utf8.MaxRune; r++ {
		if c := classOfRune(r); c != prev {
			probe(r - 1)
			probe(r)
			prev = c
		}
	}
	probe(utf8.MaxRune)
}

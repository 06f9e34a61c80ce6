package tokens

import (
	"sync"
	"unicode"
)

// Rune classes of the cl100k pre-tokenizer pattern
//
//	(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// as the library's generated regexp2 code evaluates it, quirks included:
// \s is unicode.IsSpace, \p{L} and \p{N} are Go's unicode tables, and the
// ASCII bitmaps of both negated sets leave out DEL (0x7F), so a DEL matches no
// branch and the library drops it without a token. We copy that so counts
// stay identical.
const (
	clsL uint8 = 1 << iota // \p{L}
	clsN                   // \p{N}
	clsS                   // \s
	clsA                   // [^\r\n\p{L}\p{N}] (the optional lead of a word)
	clsB                   // [^\s\p{L}\p{N}] (punctuation and symbols)
)

// classOfRune computes a rune's classes from the unicode tables.
func classOfRune(r rune) uint8 {
	var c uint8
	letter := unicode.In(r, unicode.L)
	number := unicode.In(r, unicode.N)
	space := unicode.IsSpace(r)
	if letter {
		c |= clsL
	}
	if number {
		c |= clsN
	}
	if space {
		c |= clsS
	}
	if !letter && !number {
		if r >= 0x80 || (r != '\r' && r != '\n' && r != 0x7f) {
			c |= clsA
		}
		if !space && (r >= 0x80 || r != 0x7f) {
			c |= clsB
		}
	}
	return c
}

// asciiClass is filled at package init (128 entries); bmpClass lazily, on
// the first Counter, because building it costs about a millisecond.
var (
	asciiClass   [0x80]uint8
	byteClass    [0x100]uint8 // asciiClass, and 0 for the bytes of multi-byte runes so byte loops stop there
	bmpClass     []uint8
	bmpClassOnce sync.Once
)

func init() {
	for r := range rune(0x80) {
		asciiClass[r] = classOfRune(r)
		byteClass[r] = asciiClass[r]
	}
}

func loadBMPClasses() {
	bmpClassOnce.Do(func() {
		t := make([]uint8, 0x10000)
		for r := range rune(0x10000) {
			t[r] = classOfRune(r)
		}
		bmpClass = t
	})
}

// classOf returns a rune's classes: a table for the Basic Multilingual
// Plane, the unicode tables above it.
func classOf(r rune) uint8 {
	if r < 0x10000 {
		return bmpClass[r]
	}
	return classOfRune(r)
}

package tokens

import (
	"math/bits"
	"unicode/utf8"
)

// The hand-written pre-tokenizer. It splits text into the pieces the
// library's cl100k regular expression matches, branch by branch in the
// pattern's order, working on UTF-8 bytes instead of a []rune copy of the
// text. Two behaviours of the library's generated matcher are reproduced on
// purpose because they decide token counts:
//
//   - `\s*[\r\n]+` backtracks to the FIRST line break of a whitespace run,
//     not the last, so "\n \n" is two pieces ("\n", " \n");
//   - a rune that no branch matches (only DEL, see classes.go) is skipped.
//
// The differential tests in this package compare its pieces with the
// library's matcher and its counts with the library's Encode.

// runeAt decodes the rune at s[i] with its size and classes. s must be
// valid UTF-8.
func runeAt(s string, i int) (rune, int, uint8) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1, asciiClass[c]
	}
	return runeAtSlow(s, i)
}

// runeAtSlow is runeAt past ASCII, apart so that runeAt inlines.
func runeAtSlow(s string, i int) (rune, int, uint8) {
	r, n := utf8.DecodeRuneInString(s[i:])
	return r, n, classOf(r)
}

// pieceEnd returns the end of the piece starting at s[i]. When no branch of
// the pattern matches at i it returns minus the size of the rune to skip.
func pieceEnd(s string, i int) int {
	// The most common pieces first: an ASCII word, alone or after one
	// ASCII lead such as a space, i.e. the pattern's second alternative
	// taken early. An apostrophe may start a contraction (the first
	// alternative), so it takes the long way.
	if c0 := s[i]; c0 < utf8.RuneSelf && c0 != '\'' {
		if cls := asciiClass[c0]; cls&clsL != 0 {
			return runEnd(s, i+1, clsL)
		} else if cls&clsA != 0 && i+1 < len(s) && s[i+1] < utf8.RuneSelf && asciiClass[s[i+1]]&clsL != 0 {
			return runEnd(s, i+2, clsL)
		}
	}
	return pieceEndSlow(s, i)
}

// pieceEndSlow is pieceEnd for every piece, branch by branch.
func pieceEndSlow(s string, i int) int {
	r, n, c := runeAt(s, i)

	// (?i:'s|'t|'re|'ve|'m|'ll|'d), where case folding lets 'ſ' (U+017F)
	// match s.
	if r == '\'' && i+1 < len(s) {
		r2, n2, _ := runeAt(s, i+1)
		switch r2 {
		case 's', 'S', 't', 'T', 'm', 'M', 'd', 'D', 'ſ':
			return i + 1 + n2
		case 'r', 'R', 'v', 'V':
			if i+2 < len(s) && s[i+2]|0x20 == 'e' {
				return i + 3
			}
		case 'l', 'L':
			if i+2 < len(s) && s[i+2]|0x20 == 'l' {
				return i + 3
			}
		}
	}

	// [^\r\n\p{L}\p{N}]?\p{L}+
	if c&clsL != 0 {
		return runEnd(s, i+n, clsL)
	}
	if c&clsA != 0 && i+n < len(s) {
		if _, _, c2 := runeAt(s, i+n); c2&clsL != 0 {
			return runEnd(s, i+n, clsL)
		}
	}

	// \p{N}{1,3}
	if c&clsN != 0 {
		end := i + n
		for k := 1; k < 3 && end < len(s); k++ {
			_, n2, c2 := runeAt(s, end)
			if c2&clsN == 0 {
				break
			}
			end += n2
		}
		return end
	}

	// ' ?[^\s\p{L}\p{N}]+[\r\n]*', with the optional space atomic.
	j, cj, nj := i, c, n
	if r == ' ' && i+1 < len(s) {
		_, nj, cj = runeAt(s, i+1)
		j = i + 1
	}
	if cj&clsB != 0 {
		end := runEnd(s, j+nj, clsB)
		for end < len(s) && (s[end] == '\r' || s[end] == '\n') {
			end++
		}
		return end
	}

	if c&clsS == 0 {
		return -n
	}
	// The whitespace run, its first line break and the start of its last rune.
	end, firstBreak, last := i, -1, i
	for end < len(s) {
		r2, n2, c2 := runeAt(s, end)
		if c2&clsS == 0 {
			break
		}
		if firstBreak < 0 && (r2 == '\r' || r2 == '\n') {
			firstBreak = end
		}
		last = end
		end += n2
	}
	// \s*[\r\n]+ as the library matches it: up to the first break's run.
	if firstBreak >= 0 {
		k := firstBreak
		for k < len(s) && (s[k] == '\r' || s[k] == '\n') {
			k++
		}
		return k
	}
	// \s+(?!\S): the whole run at the end of the text, else all but its
	// last rune, which then leads the next piece.
	if end == len(s) || last == i {
		return end // the last case is \s+, a single space before text
	}
	return last
}

// runEnd returns the end of the run of runes of class cls starting at i.
func runEnd(s string, i int, cls uint8) int {
	if cls == clsL {
		// ASCII letters eight at a time.
		for i+8 <= len(s) {
			k := asciiLetters(load64(s[i:]))
			i += k
			if k < 8 {
				break
			}
		}
	}
	for {
		// ASCII bytes of the class, by table; byteClass stops the loop at
		// the lead byte of a multi-byte rune, decoded below.
		for i < len(s) && byteClass[s[i]]&cls != 0 {
			i++
		}
		if i == len(s) || s[i] < utf8.RuneSelf {
			return i
		}
		_, n, c := runeAtSlow(s, i)
		if c&cls == 0 {
			return i
		}
		i += n
	}
}

// asciiLetters returns how many of the 8 bytes of w (little-endian), from
// the first, are ASCII letters: per byte, (b|0x20) in 'a'..'z' with bit 7
// clear, computed in all lanes at once without carries between them.
func asciiLetters(w uint64) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	x := (w | ones*0x20) &^ highs
	geA := x + ones*(0x80-'a')         // bit 7 set where x >= 'a'
	gtZ := x + ones*(0x80-('z'+1))     // bit 7 set where x > 'z'
	letters := geA &^ gtZ &^ w & highs // and where w's byte is ASCII
	return bits.TrailingZeros64(^letters&highs) / 8
}

// forEachPiece calls f with every piece of s, in order. s must be valid
// UTF-8.
func forEachPiece(s string, f func(piece string)) {
	for i := 0; i < len(s); {
		end := pieceEnd(s, i)
		if end < 0 {
			i -= end
			continue
		}
		f(s[i:end])
		i = end
	}
}

// Package tokens counts cl100k_base tokens fast and exactly.
//
// Counts are identical to len(Encode(s)) of github.com/tiktoken-go/tokenizer
// with its cl100k codec, which is also where the vocabulary comes from, but
// more than ten times faster (BenchmarkCount against BenchmarkLibrary): the
// library runs a backtracking regular expression over a []rune copy of the
// text and looks pieces up through fresh strings; here a hand-written
// pre-tokenizer walks the UTF-8 bytes, pieces are looked up in place, and
// the byte-pair merges of pieces that are not tokens are cached. Differential tests and a fuzz test (FuzzCountMatchesLibrary) hold
// the two to the same counts.
//
// Like the library, special-token strings such as <|endoftext|> are counted
// as ordinary text, and invalid UTF-8 is counted as the library counts it:
// each invalid byte as one U+FFFD.
package tokens

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// cacheLimit bounds a Counter's cache of merged pieces (pieces that are
// tokens need no cache). When full it is emptied and refills with what is
// frequent now, so memory stays flat on any input: about 1 MiB per Counter.
const cacheLimit = 1 << 14

// Counter counts tokens with a cache of its own. It is not safe for
// concurrent use; give each goroutine its own, or call Count.
type Counter struct {
	ranks *rankTable
	cache map[string]int32
	sc    bpeScratch
}

// NewCounter loads the vocabulary (once per process, tens of milliseconds)
// and returns a Counter.
func NewCounter() (*Counter, error) {
	t, err := load()
	if err != nil {
		return nil, err
	}
	return &Counter{ranks: t, cache: make(map[string]int32)}, nil
}

// Count returns the number of cl100k tokens of s.
func (c *Counter) Count(s string) int {
	if !utf8.ValidString(s) {
		// The library matches over []rune(s), where each invalid byte is a
		// U+FFFD, and encodes the pieces back to UTF-8 from those runes.
		s = string([]rune(s))
	}
	return c.CountValid(s)
}

// CountValid is Count for text known to be valid UTF-8, such as strings
// decoded from JSON whose UTF-8 was checked, without checking it again. On
// invalid UTF-8 its count is unspecified.
func (c *Counter) CountValid(s string) int {
	n := 0
	for i := 0; i < len(s); {
		end := pieceEnd(s, i)
		if end < 0 {
			i -= end
			continue
		}
		if end-i == 1 || c.ranks.rankIn(s, i, end) != noRank {
			n++ // most pieces are tokens
		} else {
			n += c.merged(s[i:end])
		}
		i = end
	}
	return n
}

// merged counts the parts of a piece that is not a token, from the cache
// when seen recently.
func (c *Counter) merged(p string) int {
	if n, ok := c.cache[p]; ok {
		return int(n)
	}
	n := c.ranks.bpeCount(p, &c.sc)
	if len(p) <= 64 { // long pieces are rare and would crowd the cache
		if len(c.cache) >= cacheLimit {
			clear(c.cache)
		}
		c.cache[strings.Clone(p)] = int32(n)
	}
	return n
}

// pool lends Counters to Count, so concurrent callers need no setup.
var pool = sync.Pool{New: func() any {
	c, err := NewCounter()
	if err != nil {
		return err
	}
	return c
}}

// Count returns the number of cl100k tokens of s. It is safe for concurrent
// use. It panics only if the library's embedded vocabulary cannot be read,
// which is a broken build, not bad input; use NewCounter to get that error.
func Count(s string) int {
	v := pool.Get()
	c, ok := v.(*Counter)
	if !ok {
		panic(v)
	}
	n := c.Count(s)
	pool.Put(c)
	return n
}

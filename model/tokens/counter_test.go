package tokens

import (
	"strings"
	"sync"
	"testing"
)

// countCases cover each branch of the pre-tokenizer pattern, the library's
// quirks, and the byte-pair merge (short pieces by scan, long by heap).
var countCases = []struct {
	name string
	in   string
	want int // tokens per the library; -1 to only compare with it
}{
	{"empty", "", 0},
	{"hello world", "hello world", 2},
	{"contractions", "I'm sure it's what they'll do, we'd've", -1},
	{"contraction case", "IT'S WE'LL THEY'RE I'VE", -1},
	{"long s folds to s", "'ſ", 3},
	{"digits in threes", "1234567 89", -1},
	{"punctuation and breaks", "Hello!!!\r\n\r\nOK?", -1},
	{"space runs", "a    b\t\t c  ", -1},
	{"first line break wins", "\n \n", 2},
	{"breaks after spaces", "  \n  \n  x", 4},
	{"special token is text", "<|endoftext|>", 7},
	{"fim tokens are text", "<|fim_prefix|>x<|fim_suffix|>", -1},
	{"DEL is dropped", "a\x7fb", 2},
	{"only DEL", "\x7f\x7f", 0},
	{"invalid byte", "\xff", 1},
	{"truncated sequence", "\xe2\x82", 1},
	{"surrogate half", "\xed\xa0\x80x", -1},
	{"nbsp before word", "a\u00a0b", 3},
	{"unicode letters", "Grüße, 東京 and Ελληνικά — naïve café", -1},
	{"emoji", "ok 👍🏽 🎉🎉 family 👨‍👩‍👧", -1},
	{"marks and numbers", "x\u0301 Ⅻ ½ ٣٤٥", -1},
	{"unicode spaces", "a\u2003\u2003b\u3000c\u0085d", -1},
	{"code", "func main() {\n\tfmt.Println(\"hi\")\n}\n", -1},
	{"json", `{"role":"user","content":"What's 2+2?"}`, -1},
	{"long word by heap", strings.Repeat("abcdefghij", 30), -1},
	{"long spaces", strings.Repeat(" ", 500) + "x", -1},
	{"long digits", strings.Repeat("9", 301), 101},
	{"long symbols", strings.Repeat("=-", 200), -1},
	{"mixed long", strings.Repeat("naïve-東京_42 ", 40), -1},
}

func TestCountMatchesLibrary(t *testing.T) {
	c, err := NewCounter()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range countCases {
		t.Run(tt.name, func(t *testing.T) {
			lib := libraryCount(t, tt.in)
			if tt.want >= 0 && lib != tt.want {
				t.Fatalf("library counts %d for %q, the test expects %d", lib, tt.in, tt.want)
			}
			if got := c.Count(tt.in); got != lib {
				t.Fatalf("Count(%q) = %d, library %d", tt.in, got, lib)
			}
			// Twice, so the second count comes from the cache.
			if got := c.Count(tt.in); got != lib {
				t.Fatalf("cached Count(%q) = %d, library %d", tt.in, got, lib)
			}
			if got := Count(tt.in); got != lib {
				t.Fatalf("package Count(%q) = %d, library %d", tt.in, got, lib)
			}
		})
	}
}

func TestPiecesMatchLibrary(t *testing.T) {
	for _, tt := range countCases {
		t.Run(tt.name, func(t *testing.T) {
			comparePieces(t, tt.in)
		})
	}
}

func comparePieces(t *testing.T, s string) {
	t.Helper()
	want, got := libraryPieces(t, s), ourPieces(s)
	if strings.Join(want, "\x00|") != strings.Join(got, "\x00|") || len(want) != len(got) {
		t.Fatalf("pieces of %q:\n got %q\nwant %q", s, got, want)
	}
}

func TestCacheStaysBounded(t *testing.T) {
	c, err := NewCounter()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range cacheLimit + 100 {
		b.Reset()
		// Distinct rare words, each merged, none a token.
		for k := i; k > 0 || b.Len() == 0; k /= 26 {
			b.WriteString("qzx")
			b.WriteByte(byte('a' + k%26))
		}
		c.Count(b.String())
		if len(c.cache) > cacheLimit {
			t.Fatalf("cache holds %d pieces, limit %d", len(c.cache), cacheLimit)
		}
	}
}

func TestCountConcurrent(t *testing.T) {
	const text = "The quick brown fox jumps over the lazy dog; naïve café 12345!"
	want := libraryCount(t, text)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got := Count(text); got != want {
					t.Errorf("Count = %d, want %d", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

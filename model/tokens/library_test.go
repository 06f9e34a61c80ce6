package tokens

import (
	"testing"

	"github.com/dlclark/regexp2/v2"
	"github.com/tiktoken-go/tokenizer"
)

// The library's cl100k pattern, compiled through regexp2 exactly as the
// library compiles it, so the generated matcher the library registered runs.
const cl100kPattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`

var (
	libCodec tokenizer.Codec
	libSplit *regexp2.Regexp
)

func init() {
	var err error
	if libCodec, err = tokenizer.Get(tokenizer.Cl100kBase); err != nil {
		panic(err)
	}
	libSplit = regexp2.MustCompile(cl100kPattern, regexp2.None)
}

// libraryCount is the reference: the length of the library's Encode.
func libraryCount(t testing.TB, s string) int {
	t.Helper()
	ids, _, err := libCodec.Encode(s)
	if err != nil {
		t.Fatalf("library Encode(%q): %v", s, err)
	}
	return len(ids)
}

// libraryPieces are the pieces the library's matcher splits s into.
func libraryPieces(t testing.TB, s string) []string {
	t.Helper()
	var out []string
	m, err := libSplit.FindStringMatch(s)
	for ; m != nil && err == nil; m, err = libSplit.FindNextMatch(m) {
		out = append(out, m.String())
	}
	if err != nil {
		t.Fatalf("library split %q: %v", s, err)
	}
	return out
}

// ourPieces are this package's pieces of s (valid UTF-8 or not).
func ourPieces(s string) []string {
	var out []string
	forEachPiece(string([]rune(s)), func(p string) { out = append(out, p) })
	return out
}

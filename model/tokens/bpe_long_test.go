package tokens

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// longPieces are single pre-tokenizer pieces (letter runs) of the kinds a
// file without spaces holds: one letter repeated, where leftmost ties
// decide everything; a repeated word; random letters; mixed case and
// non-ASCII letters.
func longPieces(rng *rand.Rand, n int) map[string]string {
	randomFrom := func(alphabet []rune) string {
		var b strings.Builder
		for b.Len() < n {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	return map[string]string{
		"one letter":     strings.Repeat("a", n),
		"repeated word":  strings.Repeat("money", n/5),
		"random lower":   randomFrom([]rune("abcdefghijklmnopqrstuvwxyz")),
		"random mixed":   randomFrom([]rune("abcdeABCDEfghijFGHIJxyzXYZ")),
		"random unicode": randomFrom([]rune("aeiouéèüßøåæœçñ東京日本語ΑΒΓαβγабв")),
		"few letters":    randomFrom([]rune("ab")),
	}
}

// TestLongMatchesScan holds bpeLong to bpeScan, the plain merge loop, on
// every length around the blocks' edges and on pieces of thousands of
// bytes.
func TestLongMatchesScan(t *testing.T) {
	tbl, err := load()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	var scan bpeScratch
	var long longScratch
	for _, n := range []int{2, 3, 31, 32, 33, 63, 64, 65, 96, 161, 200, 353, 1000, 2000, 4097} {
		for name, piece := range longPieces(rng, n) {
			if want, got := tbl.bpeScan(piece, &scan), tbl.bpeLong(piece, &long); got != want {
				t.Errorf("%s, %d bytes: bpeLong %d, bpeScan %d", name, len(piece), got, want)
			}
		}
	}
}

// TestLongPieceMatchesLibrary counts pieces of 256 KiB, each one piece,
// as the library does, and the same text cut into sentences.
func TestLongPieceMatchesLibrary(t *testing.T) {
	c, err := NewCounter()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 5))
	for name, piece := range longPieces(rng, 256<<10) {
		if got, want := c.Count(piece), libraryCount(t, piece); got != want {
			t.Errorf("%s: Count %d, library %d", name, got, want)
		}
	}
}

// TestLongPieceMemoryIsBounded counts one 8 MiB piece and checks what the
// count allocated: the buffers are about 2.6 bytes per byte of the piece
// (4.8 with the ranks as uint32s); the heap of candidates used before took
// over 100.
func TestLongPieceMemoryIsBounded(t *testing.T) {
	c, err := NewCounter()
	if err != nil {
		t.Fatal(err)
	}
	c.Count("warm up")
	rng := rand.New(rand.NewPCG(1, 1))
	const n = 8 << 20
	piece := longPieces(rng, n)["random lower"]
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got := c.Count(piece)
	runtime.ReadMemStats(&after)
	if got < n/8 || got > n {
		t.Fatalf("Count = %d for %d random letters", got, n)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 3*n {
		t.Fatalf("counting %d bytes allocated %d bytes (%.1f per byte), want under 3 per byte", n, alloc, float64(alloc)/n)
	}
	if c.sc.long.rank != nil {
		t.Fatalf("the Counter kept %d bytes of a huge piece's buffers", cap(c.sc.long.rank))
	}
}

// BenchmarkCountLongPiece counts 4 MiB of random letters, one piece.
func BenchmarkCountLongPiece(b *testing.B) {
	piece := longPieces(rand.New(rand.NewPCG(1, 1)), 4<<20)["random lower"]
	c, err := NewCounter()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(piece)))
	b.ReportAllocs()
	for b.Loop() {
		c.Count(piece)
	}
}

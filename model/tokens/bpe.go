package tokens

// Byte-pair merging of a piece that is not a token itself, counting the
// parts it ends in. The rule is the library's (and tiktoken's): repeatedly
// merge the adjacent pair whose concatenation has the lowest rank, the
// leftmost one among equals, until no pair is a token. Short pieces use a
// linear scan per merge (O(n²), fast for words). From longThreshold bytes on
// (a run of letters without spaces is one piece, however long) bpeLong keeps
// the rank of every boundary in one array and finds the lowest through a
// tree of block minima: O(n log n) time in about 2.6 bytes per byte of the
// piece (ranks packed in 17 bits), where a heap of merge candidates took
// some 50 (a 40 MB piece needed 2 GB). Both ways make the same merges in the same order.
const longThreshold = 96

// keepBytes bounds the buffers a Counter keeps between long pieces; a
// bigger piece's buffers go when it is counted.
const keepBytes = 1 << 16

// bpeScratch holds the reusable buffers of one Counter.
type bpeScratch struct {
	offs []int32  // part start offsets, with len(piece) last
	rnks []uint32 // rank of merging part i with part i+1
	long longScratch
}

// bpeCount returns the number of tokens byte-pair merging makes of piece.
func (t *rankTable) bpeCount(piece string, sc *bpeScratch) int {
	if len(piece) >= longThreshold {
		return t.bpeLong(piece, &sc.long)
	}
	return t.bpeScan(piece, sc)
}

// bpeScan is bpeCount by a linear scan for the lowest rank per merge.
func (t *rankTable) bpeScan(piece string, sc *bpeScratch) int {
	n := len(piece)
	offs := sc.offs[:0]
	rnks := sc.rnks[:0]
	for i := 0; i <= n; i++ {
		offs = append(offs, int32(i))
		rnks = append(rnks, noRank)
	}
	for i := 0; i+2 <= n; i++ {
		rnks[i] = t.rank(piece[i : i+2])
	}
	// rankAt is the rank of parts i..i+skip+1 merged, if they exist.
	rankAt := func(i, skip int) uint32 {
		if i+skip+2 < len(offs) {
			return t.rank(piece[offs[i]:offs[i+skip+2]])
		}
		return noRank
	}
	for len(offs) > 1 {
		minRank, minIdx := noRank, 0
		for i, r := range rnks[:len(offs)-1] {
			if r < minRank {
				minRank, minIdx = r, i
			}
		}
		if minRank == noRank {
			break
		}
		rnks[minIdx] = rankAt(minIdx, 1)
		if minIdx > 0 {
			rnks[minIdx-1] = rankAt(minIdx-1, 1)
		}
		offs = append(offs[:minIdx+1], offs[minIdx+2:]...)
		rnks = append(rnks[:minIdx+1], rnks[minIdx+2:]...)
	}
	sc.offs, sc.rnks = offs, rnks
	return len(offs) - 1
}

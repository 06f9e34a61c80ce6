package tokens

// Byte-pair merging of a piece that is not a token itself, counting the
// parts it ends in. The rule is the library's (and tiktoken's): repeatedly
// merge the adjacent pair whose concatenation has the lowest rank, the
// leftmost one among equals, until no pair is a token. Short pieces use a
// linear scan per merge (O(n²), fast for words); from heapThreshold bytes on
// a heap keeps long pieces (a run of 100k letters is one piece) O(n log n).
// The library switches at the same length; both ways give the same parts.
const heapThreshold = 96

// keepNodes bounds the heap buffers a Counter keeps between pieces (a piece
// of a million letters needs 20 MB of them once).
const keepNodes = 1 << 14

// bpeScratch holds the reusable buffers of one Counter.
type bpeScratch struct {
	offs  []int32  // part start offsets, with len(piece) last
	rnks  []uint32 // rank of merging part i with part i+1
	nodes []mergeNode
	heap  mergeHeap
}

// bpeCount returns the number of tokens byte-pair merging makes of piece.
func (t *rankTable) bpeCount(piece string, sc *bpeScratch) int {
	if len(piece) >= heapThreshold {
		return t.bpeHeap(piece, sc)
	}
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

// mergeNode is a part boundary in bpeHeap's linked list; rank is that of
// merging this part with the next.
type mergeNode struct {
	prev, next int32
	rank       uint32
}

// bpeHeap returns bpeCount's result in O(n log n) for long pieces.
func (t *rankTable) bpeHeap(piece string, sc *bpeScratch) int {
	n := int32(len(piece))
	nodes := sc.nodes[:0]
	for i := int32(0); i <= n; i++ {
		nodes = append(nodes, mergeNode{prev: i - 1, next: i + 1, rank: noRank})
	}
	nodes[n].next = -1
	rankOf := func(i int32) uint32 {
		j := nodes[i].next
		if j < 0 {
			return noRank
		}
		k := nodes[j].next
		if k < 0 {
			return noRank
		}
		return t.rank(piece[i:k])
	}
	h := sc.heap[:0]
	for i := int32(0); i+2 <= n; i++ {
		if r := rankOf(i); r != noRank {
			nodes[i].rank = r
			h = append(h, mergeCandidate{r, i})
		}
	}
	h.init()
	parts := int(n)
	for len(h) > 0 {
		top := h.pop()
		i := top.offset
		if nodes[i].rank != top.rank {
			continue // stale: this boundary changed since it was pushed
		}
		j := nodes[i].next
		k := nodes[j].next
		nodes[j].rank = noRank
		nodes[i].next = k
		if k >= 0 {
			nodes[k].prev = i
		}
		parts--
		for _, b := range [2]int32{i, nodes[i].prev} {
			if b < 0 {
				continue
			}
			nodes[b].rank = rankOf(b)
			if nodes[b].rank != noRank {
				h.push(mergeCandidate{nodes[b].rank, b})
			}
		}
	}
	sc.nodes, sc.heap = nodes, h
	if cap(nodes) > keepNodes {
		sc.nodes, sc.heap = nil, nil // a huge piece's buffers are not kept
	}
	return parts
}

type mergeCandidate struct {
	rank   uint32
	offset int32
}

// mergeHeap is a min-heap of candidates by rank, then offset, so the
// leftmost of equal ranks merges first.
type mergeHeap []mergeCandidate

func (h mergeHeap) less(a, b int) bool {
	if h[a].rank != h[b].rank {
		return h[a].rank < h[b].rank
	}
	return h[a].offset < h[b].offset
}

func (h mergeHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *mergeHeap) push(c mergeCandidate) {
	*h = append(*h, c)
	h.up(len(*h) - 1)
}

func (h *mergeHeap) pop() mergeCandidate {
	old := *h
	top := old[0]
	last := len(old) - 1
	old[0] = old[last]
	*h = old[:last]
	h.down(0)
	return top
}

func (h mergeHeap) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			return
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

func (h mergeHeap) down(i int) {
	for {
		child := 2*i + 1
		if child >= len(h) {
			return
		}
		if right := child + 1; right < len(h) && h.less(right, child) {
			child = right
		}
		if !h.less(child, i) {
			return
		}
		h[i], h[child] = h[child], h[i]
		i = child
	}
}

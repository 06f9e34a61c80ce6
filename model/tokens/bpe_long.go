package tokens

// bpeLong is bpeCount for long pieces. Every byte offset of the piece is a
// boundary; rank[i] is, for a boundary that still starts a part, the rank
// of merging that part with the next one (noRank when that is no token),
// and gone for one merged away. A part is a token or one byte, so at most
// 255 bytes long: the next and previous parts are found by walking rank
// over gone boundaries. The lowest rank, leftmost among equals, is found
// through a tree over blocks of blockSize boundaries: a merge changes at
// most three blocks, each rescanned and its path to the root updated.
//
// A key packs a rank above an offset, so the smallest key is the lowest
// rank at the leftmost offset: the order in which the scan of bpeCount and
// the library merge.

// gone marks a boundary merged away. Ranks are below 1<<24 (rankTable
// keeps them in 24 bits), so it is no rank.
const gone = noRank - 1

// blockSize is the number of boundaries under one leaf of the tree.
const blockSize = 32

// noKey is the key of a block with nothing to merge.
const noKey = ^uint64(0)

// longScratch holds bpeLong's buffers: 4 bytes per byte of the piece for
// the ranks and about 1 for the tree.
type longScratch struct {
	rank []uint32
	tree []uint64
}

func (t *rankTable) bpeLong(piece string, sc *longScratch) int {
	n := len(piece)
	rank := grow(sc.rank, n)
	for i := range n {
		rank[i] = noRank
		if i+2 <= n {
			rank[i] = t.rank(piece[i : i+2])
		}
	}
	blocks := (n + blockSize - 1) / blockSize
	leaves := 1
	for leaves < blocks {
		leaves *= 2
	}
	tree := grow(sc.tree, 2*leaves)
	for b := range leaves {
		tree[leaves+b] = noKey
		if b < blocks {
			tree[leaves+b] = blockKey(rank, b)
		}
	}
	for v := leaves - 1; v >= 1; v-- {
		tree[v] = min(tree[2*v], tree[2*v+1])
	}

	next := func(i int) int {
		for i++; i < n && rank[i] == gone; i++ {
		}
		return i
	}
	prev := func(i int) int {
		for i--; i >= 0 && rank[i] == gone; i-- {
		}
		return i
	}
	// rankAt is the rank of the part at i merged with the next one.
	rankAt := func(i int) uint32 {
		j := next(i)
		if j >= n {
			return noRank
		}
		return t.rank(piece[i:next(j)])
	}
	update := func(b int) {
		v := leaves + b
		tree[v] = blockKey(rank, b)
		for v /= 2; v >= 1; v /= 2 {
			tree[v] = min(tree[2*v], tree[2*v+1])
		}
	}

	parts := n
	for tree[1] != noKey {
		i := int(uint32(tree[1]))
		j := next(i)
		rank[j] = gone
		parts--
		rank[i] = rankAt(i)
		p := prev(i)
		if p >= 0 {
			rank[p] = rankAt(p)
		}
		bi, bj := i/blockSize, j/blockSize
		update(bi)
		if bj != bi {
			update(bj)
		}
		if p >= 0 {
			if bp := p / blockSize; bp != bi {
				update(bp)
			}
		}
	}

	sc.rank, sc.tree = rank, tree
	if cap(rank) > keepBytes {
		sc.rank, sc.tree = nil, nil // a huge piece's buffers are not kept
	}
	return parts
}

// blockKey is the smallest key of block b: its lowest rank, at its
// leftmost offset.
func blockKey(rank []uint32, b int) uint64 {
	lo := b * blockSize
	hi := min(lo+blockSize, len(rank))
	best, at := noRank, 0
	for i, r := range rank[lo:hi] {
		if r < best {
			best, at = r, lo+i
		}
	}
	if best >= gone {
		return noKey
	}
	return uint64(best)<<32 | uint64(at)
}

// grow returns s resliced to n elements, reallocated only when too small.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

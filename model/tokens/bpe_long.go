package tokens

import "encoding/binary"

// bpeLong is bpeCount for long pieces. Every byte offset of the piece is a
// boundary; its rank is, for a boundary that still starts a part, the rank
// of merging that part with the next one (none when that is no token),
// and gone for one merged away. A part is a token or one byte, so at most
// 255 bytes long: the next and previous parts are found by walking the
// ranks over gone boundaries. The lowest rank, leftmost among equals, is
// found through a tree over blocks of blockSize boundaries: a merge changes
// at most three blocks, each rescanned and its path to the root updated.
//
// A key packs a rank above an offset, so the smallest key is the lowest
// rank at the leftmost offset: the order in which the scan of bpeCount and
// the library merge.

// Ranks are packed in rankBits bits each (packedRanks): a 40 MB piece needs
// 85 MB for them rather than 160 as uint32s. cl100k's ranks are below
// cl100kTokens, so the two highest values are free to mean no token and
// gone.
const (
	rankBits = 17
	none     = 1<<rankBits - 1 // noRank, packed
	gone     = none - 1
	// Compile-time checks: the ranks and the two marks fit, and a block
	// of ranks starts on a byte.
	_ uint = gone - cl100kTokens
	_ uint = 0 - blockSize*rankBits%8
)

// blockSize is the number of boundaries under one leaf of the tree.
const blockSize = 32

// noKey is the key of a block with nothing to merge.
const noKey = ^uint64(0)

// longScratch holds bpeLong's buffers: rankBits bits per byte of the piece
// for the ranks and half a byte for the tree.
type longScratch struct {
	rank packedRanks
	tree []uint64
}

// packedRanks holds rank i in bits rankBits*i onwards, little-endian, with
// padding at the end so that every rank is read with one 4-byte load.
type packedRanks []byte

// packedLen is the length of packedRanks for n ranks.
func packedLen(n int) int { return n*rankBits/8 + 5 }

func (r packedRanks) get(i int) uint32 {
	bit := uint(i) * rankBits
	return binary.LittleEndian.Uint32(r[bit/8:]) >> (bit % 8) & none
}

// set stores v, a rank below gone or one of the marks.
func (r packedRanks) set(i int, v uint32) {
	bit := uint(i) * rankBits
	w := r[bit/8:]
	x := binary.LittleEndian.Uint32(w)
	binary.LittleEndian.PutUint32(w, x&^(none<<(bit%8))|v<<(bit%8))
}

func (t *rankTable) bpeLong(piece string, sc *longScratch) int {
	n := len(piece)
	rank := packedRanks(grow([]byte(sc.rank), packedLen(n)))
	for i := range n {
		r := uint32(none)
		if i+2 <= n {
			r = t.rank(piece[i:i+2]) & none
		}
		rank.set(i, r)
	}
	// The tree is an implicit binary tree with the blocks as its leaves,
	// at leaves..2*leaves-1, and every node the smaller key of its two
	// children. With any number of leaves, each is under the root, node 1,
	// which so holds the smallest key of all (keys carry their offsets, so
	// how the leaves fall in the tree does not matter).
	leaves := max((n+blockSize-1)/blockSize, 1) // an empty piece: one empty block
	tree := grow(sc.tree, 2*leaves)
	for b := range leaves {
		tree[leaves+b] = blockKey(rank, n, b)
	}
	for v := leaves - 1; v >= 1; v-- {
		tree[v] = min(tree[2*v], tree[2*v+1])
	}

	next := func(i int) int {
		for i++; i < n && rank.get(i) == gone; i++ {
		}
		return i
	}
	prev := func(i int) int {
		for i--; i >= 0 && rank.get(i) == gone; i-- {
		}
		return i
	}
	// rankAt is the rank of the part at i merged with the next one.
	rankAt := func(i int) uint32 {
		j := next(i)
		if j >= n {
			return none
		}
		return t.rank(piece[i:next(j)]) & none
	}
	update := func(b int) {
		v := leaves + b
		tree[v] = blockKey(rank, n, b)
		for v /= 2; v >= 1; v /= 2 {
			tree[v] = min(tree[2*v], tree[2*v+1])
		}
	}

	parts := n
	for tree[1] != noKey {
		i := int(uint32(tree[1]))
		j := next(i)
		rank.set(j, gone)
		parts--
		rank.set(i, rankAt(i))
		p := prev(i)
		if p >= 0 {
			rank.set(p, rankAt(p))
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

// blockKey is the smallest key of block b of the n ranks: its lowest
// rank, at its leftmost offset.
func blockKey(rank packedRanks, n, b int) uint64 {
	lo := b * blockSize
	hi := min(lo+blockSize, n)
	// A block is a whole number of bytes (blockSize*rankBits bits), so it
	// is read from its first byte on, the bit offset growing by rankBits.
	block := rank[lo*rankBits/8:]
	best, at := uint32(none), 0
	for i, bit := lo, uint(0); i < hi; i, bit = i+1, bit+rankBits {
		if r := binary.LittleEndian.Uint32(block[bit/8:]) >> (bit % 8) & none; r < best {
			best, at = r, i
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

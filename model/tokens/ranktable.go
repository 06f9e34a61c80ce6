package tokens

import "math/bits"

// noRank marks a byte string that is not a token.
const noRank = ^uint32(0)

// rankTable maps token bytes to ranks. It is an open-addressing hash table
// of 16-byte slots over one byte arena, 4.6 MiB for cl100k against some 10
// MiB for a map[string]uint32. A slot holds a token's first 8 bytes, so the
// 80% of tokens that are at most 8 bytes long are found by comparing two
// words, and the hash is computed from the same words.
type rankTable struct {
	arena []byte
	slots []rankSlot
	mask  uint64
}

// rankSlot is one token: key is its first 8 bytes (little-endian, zero
// padded), meta its rank << 8 | its length, 0 for an empty slot; all its
// bytes are arena[off:off+length].
type rankSlot struct {
	key  uint64
	off  uint32
	meta uint32
}

// newRankTable sizes the table for n tokens at a load factor under 1/2.
func newRankTable(n int) *rankTable {
	size := 1 << bits.Len(uint(n*2))
	return &rankTable{slots: make([]rankSlot, size), mask: uint64(size - 1)}
}

// add inserts a token (1 to 255 bytes); a byte string already present
// keeps its first rank.
func (t *rankTable) add(tok string, rank uint32) {
	k, h := keyHash(tok)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.meta == 0 {
			*s = rankSlot{key: k, off: uint32(len(t.arena)), meta: rank<<8 | uint32(len(tok))}
			t.arena = append(t.arena, tok...)
			return
		}
		if t.equal(s, k, tok) {
			return
		}
	}
}

// rank returns the rank of a byte string, or noRank.
func (t *rankTable) rank(piece string) uint32 {
	if len(piece) > 255 {
		return noRank
	}
	k, h := keyHash(piece)
	return t.find(k, h, piece)
}

// rankIn returns the rank of text[i:end]. With 8 bytes of text from i, the
// key is one load, masked to the piece.
func (t *rankTable) rankIn(text string, i, end int) uint32 {
	n := end - i
	if n > 8 || i+8 > len(text) {
		return t.rank(text[i:end])
	}
	k := load64(text[i:]) & (^uint64(0) >> (64 - 8*n))
	return t.find(k, mixKey(k, n), text[i:end])
}

// find probes for piece, whose key and hash are given.
func (t *rankTable) find(k, h uint64, piece string) uint32 {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.meta == 0 {
			return noRank
		}
		if t.equal(s, k, piece) {
			return s.meta >> 8
		}
	}
}

// equal reports whether slot s holds piece, whose key is k.
func (t *rankTable) equal(s *rankSlot, k uint64, piece string) bool {
	n := len(piece)
	if s.key != k || int(s.meta&0xff) != n {
		return false
	}
	return n <= 8 || string(t.arena[s.off+8:s.off+uint32(n)]) == piece[8:]
}

// keyHash returns a piece's key (its first 8 bytes) and a fast
// non-cryptographic hash of all of it: 8-byte words mixed by
// multiplication.
func keyHash(s string) (key, hash uint64) {
	const m1, m2 = 0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9
	if len(s) >= 8 {
		key = load64(s)
	} else {
		for i := len(s) - 1; i >= 0; i-- {
			key = key<<8 | uint64(s[i])
		}
	}
	if len(s) <= 8 {
		return key, mixKey(key, len(s))
	}
	h := (key ^ uint64(len(s))*m1) * m2
	for s = s[8:]; len(s) > 0; s = s[min(len(s), 8):] {
		var w uint64
		if len(s) >= 8 {
			w = load64(s)
		} else {
			for i := len(s) - 1; i >= 0; i-- {
				w = w<<8 | uint64(s[i])
			}
		}
		h ^= h >> 31
		h = (h ^ w) * m1
	}
	h ^= h >> 29
	h *= m2
	h ^= h >> 32
	return key, h
}

// mixKey is keyHash's hash of a piece of n <= 8 bytes.
func mixKey(key uint64, n int) uint64 {
	const m1, m2 = 0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9
	h := (key ^ uint64(n)*m1) * m2
	h ^= h >> 29
	h *= m2
	h ^= h >> 32
	return h
}

// load64 reads the first 8 bytes of s, little-endian (one load on amd64).
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

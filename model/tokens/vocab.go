package tokens

import (
	"fmt"
	"sync"

	"github.com/tiktoken-go/tokenizer"
)

// cl100kTokens is the number of ordinary tokens of cl100k_base (ranks 0 to
// 100255); the special tokens above them are never produced by Encode, so
// special-token strings are ordinary text here as in the library.
const cl100kTokens = 100256

// The ranks come from the library's embedded vocabulary, so the project
// ships one copy of it and works offline. They are loaded once, on the first
// Counter, and kept in a compact open-addressing table (see rankTable).
var (
	loadOnce sync.Once
	ranks    *rankTable
	loadErr  error
)

// load builds the rank table by decoding every token ID with the library.
func load() (*rankTable, error) {
	loadOnce.Do(func() {
		loadBMPClasses()
		codec, err := tokenizer.Get(tokenizer.Cl100kBase)
		if err != nil {
			loadErr = fmt.Errorf("load cl100k vocabulary: %w", err)
			return
		}
		t := newRankTable(cl100kTokens)
		id := make([]uint, 1)
		for rank := range uint(cl100kTokens) {
			id[0] = rank
			piece, err := codec.Decode(id)
			if err != nil {
				loadErr = fmt.Errorf("load cl100k vocabulary: token %d: %w", rank, err)
				return
			}
			t.add(piece, uint32(rank))
		}
		ranks = t
	})
	return ranks, loadErr
}

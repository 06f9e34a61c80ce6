package engine

import (
	"sync"

	"brightrun/model"
)

// importBytesInFlight bounds the bytes of the files being imported at once.
// A file's import peaks at a few times its size (the file itself, its
// decoded tree, the tokenizer's work on its longest piece), so four
// workers on four big files would multiply that peak by four. The bound is
// the largest file accepted: a file that big runs alone, a 40 MB one beside
// at most 10 MB of others, and small files never wait.
const importBytesInFlight = model.MaxConversationFileSize

// byteBudget is a counting semaphore over bytes. Acquirers are served in
// turn, so a big file waiting for room is not overtaken forever by small
// ones that would fit.
type byteBudget struct {
	turn sync.Mutex // held by the one acquirer waiting for room
	mu   sync.Mutex
	room *sync.Cond
	free int64
}

func newByteBudget(n int64) *byteBudget {
	b := &byteBudget{free: n}
	b.room = sync.NewCond(&b.mu)
	return b
}

// acquire waits until n bytes are free and takes them; n must not exceed
// the budget.
func (b *byteBudget) acquire(n int64) {
	b.turn.Lock()
	defer b.turn.Unlock()
	b.mu.Lock()
	for b.free < n {
		b.room.Wait()
	}
	b.free -= n
	b.mu.Unlock()
}

func (b *byteBudget) release(n int64) {
	b.mu.Lock()
	b.free += n
	b.mu.Unlock()
	b.room.Broadcast()
}

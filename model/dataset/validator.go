package dataset

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"brightrun/model/tokens"
)

// Validator validates datasets. The zero value validates without counting
// tokens; NewValidator gives the defaults the command line uses.
type Validator struct {
	// MaxTokens is the tokens per example above which it gets a
	// too_many_tokens warning; 0 means DefaultMaxTokens.
	MaxTokens int
	// CountTokens turns on token counting (total, per-example statistics,
	// too_many_tokens). It is most of the work.
	CountTokens bool
	// TokenCounter counts the tokens of one content; it must be safe for
	// concurrent use. Nil means this package's cl100k counter, one per
	// worker.
	TokenCounter func(string) int
	// Workers is the number of goroutines validating lines; 0 means
	// runtime.NumCPU().
	Workers int
}

// NewValidator returns a Validator that counts cl100k tokens on every core
// with the default token limit.
func NewValidator() *Validator {
	return &Validator{MaxTokens: DefaultMaxTokens, CountTokens: true}
}

// Sizes of the pipeline. A chunk buffer holds any line the rules allow, so
// a line that fills one without a '\n' is too long and skipped, never held
// whole. Each worker has about two chunks in flight: memory is
// chunkSize × (2×workers + 2), 6.4 MiB on 2 cores, 36 MiB on 16.
const (
	chunkSize = MaxLineBytes + 64<<10
	maxChunks = 48
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// Validate reads a JSONL dataset from r once, start to end, and reports on
// it under the given name. Lines are validated in parallel and merged in
// order, so the report does not depend on the number of workers. The error
// is a read error of r; a broken dataset is a report, not an error.
func (v *Validator) Validate(r io.Reader, name string) (Report, error) {
	return v.validate(r, name, nil)
}

// validate is Validate, handing each chunk, once merged in order, to keep
// (when not nil) with the dataset's shape as known so far.
func (v *Validator) validate(r io.Reader, name string, keep func(ch *chunk, shape shapeID)) (Report, error) {
	workers := v.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	maxTokens := v.MaxTokens
	if maxTokens <= 0 {
		maxTokens = DefaultMaxTokens
	}
	counters := make([]func(string) int, workers)
	for i := range counters {
		counters[i] = v.TokenCounter
		if v.CountTokens && counters[i] == nil {
			c, err := tokens.NewCounter()
			if err != nil {
				return Report{}, err
			}
			counters[i] = c.CountValid // lines are checked UTF-8
		}
	}

	nChunks := min(2*workers+2, maxChunks)
	free := make(chan *chunk, nChunks)
	jobs := make(chan *chunk, nChunks)
	done := make(chan *chunk, nChunks)
	var enough atomic.Bool
	seed := maphash.MakeSeed()

	var wg sync.WaitGroup
	for i := range workers {
		w := &worker{countTokens: v.CountTokens, count: counters[i], enough: &enough}
		w.hash.SetSeed(seed)
		wg.Go(func() {
			for ch := range jobs {
				w.process(ch)
				done <- ch
			}
		})
	}
	var readErr error
	go func() {
		readErr = readChunks(r, jobs, free, nChunks)
		close(jobs)
		wg.Wait()
		close(done)
	}()

	m := newMerger(maxTokens, v.CountTokens, &enough)
	pending := map[int]*chunk{}
	next := 0
	for ch := range done {
		pending[ch.seq] = ch
		for {
			ch, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			m.add(&ch.res)
			if keep != nil {
				keep(ch, m.shape)
			}
			free <- ch
		}
	}
	if readErr != nil {
		return Report{}, fmt.Errorf("read dataset %s: %w", name, readErr)
	}
	return m.report(name), nil
}

// readChunks cuts r into chunks of whole lines and sends them in order,
// taking chunks from free (up to n of them exist). The partial line at the
// end of a buffer moves to the front of the next. A line that fills a
// whole buffer is over the limit: it is sent as its length alone, its
// bytes read and dropped up to its '\n'.
func readChunks(r io.Reader, jobs chan<- *chunk, free chan *chunk, n int) error {
	made, seq := 0, 0
	get := func() *chunk {
		if made < n {
			select {
			case ch := <-free:
				return ch
			default:
				made++
				return &chunk{buf: make([]byte, chunkSize)}
			}
		}
		return <-free
	}
	send := func(ch *chunk) {
		ch.seq = seq
		seq++
		jobs <- ch
	}
	var carry []byte // the partial last line of the previous buffer
	first := true
	for {
		ch := get()
		filled := copy(ch.buf, carry)
		k, err := io.ReadFull(r, ch.buf[filled:])
		filled += k
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			free <- ch
			return err
		}
		data := ch.buf[:filled]
		if first {
			first = false
			if len(data) >= len(bom) && string(data[:len(bom)]) == string(bom) {
				data = data[len(bom):]
			}
		}
		ch.longLen = 0
		if eof {
			if len(data) > 0 {
				ch.data = data
				send(ch)
			} else {
				free <- ch
			}
			return nil
		}
		end := bytes.LastIndexByte(data, '\n')
		if end >= 0 {
			ch.data = data[:end+1]
			carry = data[end+1:]
			send(ch)
			continue
		}
		// A full buffer without '\n': one line over the limit.
		length, rest, err := skipLine(r, ch.buf, len(data))
		ch.data, ch.longLen = nil, length
		send(ch)
		if err != nil {
			return err
		}
		if rest == nil {
			return nil
		}
		// Like carry above, rest lies in a sent chunk's buffer. Only this
		// goroutine writes buffers, and copy moves it before reading more,
		// even when the next chunk is that same one.
		carry = rest
	}
}

// skipLine reads r up to and including the next '\n', using buf, and
// returns the skipped line's length (counting the n bytes already read)
// and what followed the '\n' in buf, or nil at the end of r.
func skipLine(r io.Reader, buf []byte, n int) (int, []byte, error) {
	length := n
	for {
		k, err := r.Read(buf)
		if i := bytes.IndexByte(buf[:k], '\n'); i >= 0 {
			length += i
			if i > 0 && buf[i-1] == '\r' {
				length--
			}
			return length, buf[i+1 : k], nil
		}
		length += k
		if err == io.EOF {
			return length, nil, nil
		}
		if err != nil {
			return length, nil, err
		}
	}
}

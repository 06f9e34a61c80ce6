package dataset

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"strconv"
	"sync/atomic"
	"unicode/utf8"
)

// chunk is one unit of work: whole lines of the input, validated by one
// worker, merged in order. Chunks (buffer and result alike) are recycled,
// so their number bounds the memory of a run whatever the file's size.
type chunk struct {
	seq     int
	buf     []byte // owned buffer; data is a part of it
	data    []byte // whole lines, the last one possibly without '\n'
	longLen int    // > 0: instead of data, one line of this many bytes the reader skipped
	res     chunkResult
}

// chunkResult is what the merger needs of a chunk. Line numbers are local
// (the chunk's first line is 1) until the merger adds the lines before.
type chunkResult struct {
	lines, blanks int
	// counts are errors by the line's own shape and code. They are
	// resolved against the dataset's shape when all lines are merged.
	counts [numShapes][numCodes]int
	issues []lineIssue // the chunk's first MaxIssues errors
	valid  []validLine // every line valid under its own shape
	// samples are the first MaxSamples valid lines of each shape, copied.
	samples [numShapes][][]byte
	// firstShaped is the first line that shows a shape (0 if none).
	firstShaped      int
	firstShapedShape shapeID
}

// lineIssue is an error before its code is resolved (see resolve).
type lineIssue struct {
	line    int
	shape   shapeID
	code    codeID
	message string
}

// validLine is a line valid under its own shape.
type validLine struct {
	line     int
	shape    shapeID
	messages int32
	tokens   int32
	hash     uint64
	// zeroWeights counts assistant messages of weight 0; runAt is the
	// index of the second message of the first same_role_run (0: none),
	// of role runRole.
	zeroWeights int32
	runAt       int32
	runRole     role
}

func (r *chunkResult) reset() {
	*r = chunkResult{issues: r.issues[:0], valid: r.valid[:0]}
}

func (r *chunkResult) addError(line int, sh shapeID, code codeID, msg string) {
	r.counts[sh][code]++
	if len(r.issues) < MaxIssues {
		r.issues = append(r.issues, lineIssue{line, sh, code, msg})
	}
}

// worker validates chunks with buffers of its own.
type worker struct {
	check       lineChecker
	countTokens bool
	count       func(string) int
	hash        maphash.Hash
	enough      *atomic.Bool // the merger has all the samples it needs
}

// process validates every line of a chunk into its result.
func (w *worker) process(ch *chunk) {
	r := &ch.res
	r.reset()
	if ch.longLen > 0 {
		r.lines = 1
		r.addError(1, sNone, cLineTooLong, tooLongMessage(ch.longLen))
		return
	}
	data := ch.data
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		r.lines++
		w.line(r, r.lines, line)
	}
}

// line validates one line (without its '\n').
func (w *worker) line(r *chunkResult, n int, line []byte) {
	line = trimLine(line)
	if isBlank(line) {
		r.blanks++
		return
	}
	c := &w.check
	c.parse(line)
	if c.code != cValid {
		r.addError(n, sNone, c.code, c.parseMessage())
		return
	}
	sh := c.shape()
	if sh != sNone && r.firstShaped == 0 {
		r.firstShaped, r.firstShapedShape = n, sh
	}
	if code, msg := c.check(sh); code != cValid {
		r.addError(n, sh, code, msg)
		return
	}
	v := validLine{line: n, shape: sh, messages: int32(c.messageCount(sh)), zeroWeights: int32(c.zeroWeights(sh))}
	at, runRole := c.sameRoleRun(sh)
	v.runAt, v.runRole = int32(at), runRole
	w.hash.Reset()
	var tokens int
	var size [8]byte
	c.eachContent(sh, func(ro role, text string) {
		w.hash.WriteByte(byte(ro))
		binary.LittleEndian.PutUint64(size[:], uint64(len(text)))
		w.hash.Write(size[:])
		w.hash.WriteString(text)
		if w.countTokens {
			tokens += w.count(text)
		}
	})
	v.hash = w.hash.Sum64()
	v.tokens = int32(min(tokens, 1<<31-1))
	r.valid = append(r.valid, v)
	if len(r.samples[sh]) < MaxSamples && !w.enough.Load() {
		r.samples[sh] = append(r.samples[sh], bytes.Clone(line))
	}
}

// parseMessage says why parse rejected the line.
func (c *lineChecker) parseMessage() string {
	switch c.code {
	case cLineTooLong:
		return tooLongMessage(len(c.b))
	case cInvalidUTF8:
		at := 0
		for at < len(c.b) {
			r, size := utf8.DecodeRune(c.b[at:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			at += size
		}
		return "line is not valid UTF-8: byte 0x" + strconv.FormatUint(uint64(c.b[at]), 16) + " at column " + strconv.Itoa(at+1)
	case cInvalidJSON:
		if c.dup {
			return c.duplicateMessage()
		}
		return "invalid JSON at column " + strconv.Itoa(c.errAt+1) + ": " + c.err
	case cNotObject:
		c.p = 0
		c.ws()
		return "line is " + kindOf(c.b[c.p]).String() + ", not a JSON object"
	}
	return ""
}

func tooLongMessage(n int) string {
	return "line is " + strconv.Itoa(n) + " bytes, over the limit of 1 MiB (" + strconv.Itoa(MaxLineBytes) + " bytes)"
}

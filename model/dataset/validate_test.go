package dataset

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"brightrun/model"
	"brightrun/model/tokens"
)

// chatLine is a valid chat line whose assistant content is text.
func chatLine(text string) string {
	return `{"messages":[{"role":"user","content":"Q"},{"role":"assistant","content":"` + text + `"}]}`
}

// TestLongLines covers both ways a line is over 1 MiB: longer than a chunk
// (the reader skips it without holding it, here 2 MiB and, last, 3 MiB
// without a '\n') and shorter than a chunk (a worker sees its length), next
// to a line of exactly 1 MiB, which is valid.
func TestLongLines(t *testing.T) {
	exact := chatLine(strings.Repeat("x", MaxLineBytes-len(chatLine(""))))
	if len(exact) != MaxLineBytes {
		t.Fatalf("exact line is %d bytes", len(exact))
	}
	var b bytes.Buffer
	b.WriteString(chatLine("one") + "\n")
	b.WriteString(`{"a":"` + strings.Repeat("y", 2<<20) + "\"}\n")
	b.WriteString(chatLine("three") + "\n")
	b.WriteString(chatLine(strings.Repeat("z", MaxLineBytes)) + "\n")
	b.WriteString(exact + "\r\n")
	b.WriteString(chatLine("six") + "\n")
	b.WriteString(strings.Repeat("w", 3<<20))
	data := b.Bytes()
	for _, workers := range []int{1, 4} {
		rep, err := (&Validator{Workers: workers}).Validate(bytes.NewReader(data), "long.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(issueList(rep.Errors), " "); got != "2:line_too_long 4:line_too_long 7:line_too_long" || rep.Valid != 4 || rep.Lines != 7 {
			t.Fatalf("errors %s, valid %d, lines %d", got, rep.Valid, rep.Lines)
		}
		if msg := rep.Errors[0].Message; msg != "line is 2097160 bytes, over the limit of 1 MiB (1048576 bytes)" {
			t.Fatalf("message %q", msg)
		}
		compareReports(t, rep, refValidate(t, data, DefaultMaxTokens, nil))
	}
}

// genFile writes n lines of a deterministic mix: valid chat lines of
// varied length (some duplicates), blank and CRLF lines, and broken ones.
func genFile(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	words := strings.Fields("save budget fund invest rate loan the a to of and you your plan café 東京 42 1,000 it's")
	var b bytes.Buffer
	b.Write(bom)
	for i := range n {
		var text strings.Builder
		for range 1 + rng.IntN(400) {
			text.WriteString(words[rng.IntN(len(words))] + " ")
		}
		eol := "\n"
		if rng.IntN(10) == 0 {
			eol = "\r\n"
		}
		r := rng.IntN(100)
		if i == 0 {
			r = 0 // the shape is chat
		}
		switch {
		case r < 80:
			b.WriteString(chatLine(text.String()) + eol)
		case r < 84:
			b.WriteString(chatLine("dup "+strconv.Itoa(rng.IntN(5))) + eol)
		case r < 88:
			b.WriteString(eol)
		case r < 90:
			b.WriteString(`{"messages":[{"role":"user","content":"` + text.String() + `"}]}` + eol)
		case r < 92:
			b.WriteString(`{"conversations":[{"from":"human","value":"a"},{"from":"gpt","value":"b"}]}` + eol)
		case r < 94:
			b.WriteString(chatLine(text.String())[:10+rng.IntN(20)] + eol)
		case r < 96:
			b.WriteString("{\"messages\":\"\xfe\"}" + eol)
		default:
			b.WriteString(`{"id":` + strconv.Itoa(i) + `}` + eol)
		}
	}
	return b.Bytes()
}

// TestManyChunks compares whole reports with the reference on files of
// many chunks, so lines cross chunk boundaries and results merge out of
// order, for several numbers of workers.
func TestManyChunks(t *testing.T) {
	data := genFile(4000, 1)
	if len(data) < 3*chunkSize {
		t.Fatalf("generated only %d bytes", len(data))
	}
	want := refValidate(t, data, 1000, tokens.Count)
	for _, workers := range []int{1, 2, 5} {
		v := &Validator{MaxTokens: 1000, CountTokens: true, Workers: workers}
		rep, err := v.Validate(bytes.NewReader(data), "gen.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		compareReports(t, rep, want)
		if len(rep.Errors) != MaxIssues || len(rep.Warnings) != MaxIssues || rep.Duplicates == 0 || rep.TotalTokens == 0 {
			t.Fatalf("want full lists, duplicates and tokens: %d errors %d warnings %d duplicates %d tokens",
				len(rep.Errors), len(rep.Warnings), rep.Duplicates, rep.TotalTokens)
		}
	}
}

// slowReader returns a few bytes per Read, as a pipe or network might.
type slowReader struct {
	r io.Reader
	n int
}

func (s *slowReader) Read(p []byte) (int, error) { return s.r.Read(p[:min(len(p), s.n)]) }

func TestSmallReads(t *testing.T) {
	data := genFile(300, 2)
	want := refValidate(t, data, DefaultMaxTokens, nil)
	rep, err := (&Validator{Workers: 2}).Validate(&slowReader{bytes.NewReader(data), 7}, "slow.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	compareReports(t, rep, want)
}

type failingReader struct{ left int }

var errDisk = errors.New("disk on fire")

func (f *failingReader) Read(p []byte) (int, error) {
	if f.left <= 0 {
		return 0, errDisk
	}
	n := min(len(p), f.left)
	for i := range p[:n] {
		p[i] = "{\"a\":1}\n"[i%8]
	}
	f.left -= n
	return n, nil
}

func TestReadError(t *testing.T) {
	for _, size := range []int{0, 100, 3 * chunkSize} {
		if _, err := (&Validator{Workers: 2}).Validate(&failingReader{size}, "x"); !errors.Is(err, errDisk) {
			t.Fatalf("after %d bytes: error %v, want %v", size, err, errDisk)
		}
	}
}

func TestDefaults(t *testing.T) {
	v := NewValidator()
	if v.MaxTokens != DefaultMaxTokens || !v.CountTokens || v.Workers != 0 {
		t.Fatalf("NewValidator() = %+v", v)
	}
	rep, err := v.Validate(strings.NewReader(chatLine("Hello there")+"\n"), "one")
	if err != nil {
		t.Fatal(err)
	}
	if rep.TotalTokens != 3 || rep.Tokens.P50 != 3 || rep.Messages.Mean != 2 || len(rep.Samples) != 1 {
		t.Fatalf("report %+v", rep)
	}
}

// lineStream is an endless reader of valid chat lines, n bytes in all, so
// a test can validate more data than it ever holds.
type lineStream struct {
	left int
	line []byte
	off  int
}

func (s *lineStream) Read(p []byte) (int, error) {
	if s.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && n < s.left {
		k := copy(p[n:min(len(p), n+s.left)], s.line[s.off:])
		n += k
		s.off = (s.off + k) % len(s.line)
	}
	s.left -= n
	return n, nil
}

// TestMemoryFlat streams 64 MiB through the validator and checks that it
// allocates a small fraction of that: the file is never held, chunks are
// recycled, and a valid line allocates nothing.
func TestMemoryFlat(t *testing.T) {
	const size = 64 << 20
	line := []byte(chatLine(strings.Repeat("Save three to six months of expenses. ", 40)) + "\n")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rep, err := (&Validator{Workers: 2}).Validate(&lineStream{left: size, line: line}, "stream")
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if rep.Valid < size/len(line) || rep.Duplicates != rep.Valid-1 {
		t.Fatalf("valid %d, duplicates %d", rep.Valid, rep.Duplicates)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("validating %d MiB allocated %.1f MiB", size>>20, float64(alloc)/(1<<20))
	if alloc > 16<<20 {
		t.Fatalf("validating %d MiB allocated %d MiB", size>>20, alloc>>20)
	}
}

// TestSameRoleRunMessage: the warning names the two messages and whose they
// are, in each list shape's words, and the model's minimum of examples is
// this package's.
func TestSameRoleRunMessage(t *testing.T) {
	tests := []struct{ line, want string }{
		{`{"messages":[{"role":"system","content":"s"},{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"assistant","content":"c"}]}`,
			"messages[2] follows messages[1] from the user too, with no reply between"},
		{`{"conversations":[{"from":"human","value":"a"},{"from":"gpt","value":"b"},{"from":"gpt","value":"c"}]}`,
			"conversations[2] follows conversations[1] from the gpt too, with no reply between"},
	}
	for _, tt := range tests {
		rep, err := (&Validator{Workers: 1}).Validate(strings.NewReader(tt.line+"\n"), "f")
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Warnings) != 1 || rep.Warnings[0].Code != SameRoleRun || rep.Warnings[0].Message != tt.want || rep.Valid != 1 {
			t.Errorf("%s: warnings %+v, want %q", tt.line, rep.Warnings, tt.want)
		}
	}
	if MinTrainingReady != model.MinTrainingExamples {
		t.Errorf("model.MinTrainingExamples %d differs from MinTrainingReady %d", model.MinTrainingExamples, MinTrainingReady)
	}
}

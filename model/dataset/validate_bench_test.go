package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// benchSize is the size of the benchmark's dataset, the largest docs/formats.md
// allows.
const benchSize = 500 << 20

// benchFile returns a ~500 MiB chat JSONL of varied, realistic examples in
// os.TempDir(), generating it the first time (about 10 s) and reusing it
// while its size is right.
func benchFile(b *testing.B) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), "brightrun-bench-chat-500MiB.jsonl")
	if st, err := os.Stat(path); err == nil && st.Size() >= benchSize && st.Size() < benchSize+1<<20 {
		return path
	}
	tmp, err := os.CreateTemp(os.TempDir(), "brightrun-bench-*.tmp")
	if err != nil {
		b.Fatal(err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	g := newExampleGen(42)
	written := 0
	for written < benchSize {
		line := g.line()
		n, err := w.Write(line)
		if err != nil {
			b.Fatal(err)
		}
		written += n
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := tmp.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		b.Fatal(err)
	}
	return path
}

// exampleGen makes chat examples like a finance-coaching dataset: an
// optional system prompt, one to four exchanges, answers from a sentence
// to a page with lists, numbers, code and some non-English text.
type exampleGen struct {
	rng   *rand.Rand
	words []string
	buf   []byte
}

func newExampleGen(seed uint64) *exampleGen {
	words := strings.Fields(`the of and to in is you that it for on with as be at this have from or by your
		budget emergency fund savings invest retirement account interest rate mortgage payment monthly income
		expenses debt credit score layoff anxious confident plan goal portfolio index diversified risk tolerance
		compound growth inflation tax deduction contribution employer match withdraw penalty balance transfer
		refinance loan principal amortization can should would could really understand feel worried about
		because however therefore example consider first second finally months years percent dollars week
		automatically paycheck checking high-yield bond stock ETF allocation rebalance fees expense ratio`)
	extras := []string{"naïve", "café", "東京", "Grüße", "€1,250", "$3,400.50", "401(k)", "Roth IRA", "😊", "—",
		"it's", "you're", "don't", "I'll", "12%", "2025", "(optional)", "e.g.", "i.e.,", "«ahorro»", "сбережения"}
	for range 3 {
		words = append(words, extras...)
	}
	return &exampleGen{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b9)), words: words}
}

func (g *exampleGen) sentence(b *strings.Builder) {
	n := 6 + g.rng.IntN(18)
	for i := range n {
		w := g.words[g.rng.IntN(len(g.words))]
		if i == 0 && w[0] >= 'a' && w[0] <= 'z' {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
		if i < n-1 {
			b.WriteByte(' ')
		}
	}
	b.WriteString([]string{". ", "? ", "! ", ".\n\n", ": "}[g.rng.IntN(5)])
}

func (g *exampleGen) text(sentences int) string {
	var b strings.Builder
	for i := range sentences {
		switch g.rng.IntN(12) {
		case 0:
			b.WriteString("\n1. **Start small**: automate 5% of each paycheck.\n2. **Grow it**: add 1% every raise.\n3. **Review** yearly.\n\n")
		case 1:
			b.WriteString("```python\ndef months_to_goal(goal, monthly, rate=0.04):\n    total, m = 0.0, 0\n    while total < goal:\n        total = total * (1 + rate / 12) + monthly\n        m += 1\n    return m\n```\n")
		default:
			g.sentence(&b)
		}
		if i%5 == 4 {
			fmt.Fprintf(&b, "At %d.%d%% over %d years, $%d becomes about $%d. ", 1+g.rng.IntN(9), g.rng.IntN(10),
				1+g.rng.IntN(30), 100*(1+g.rng.IntN(100)), 1000*(1+g.rng.IntN(500)))
		}
	}
	return b.String()
}

type benchMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// line returns one JSONL line (valid chat), ~2 KB on average.
func (g *exampleGen) line() []byte {
	var msgs []benchMessage
	if g.rng.IntN(3) > 0 {
		msgs = append(msgs, benchMessage{"system", "You are a calm, practical financial coach. Be specific and kind."})
	}
	for range 1 + g.rng.IntN(3) {
		msgs = append(msgs, benchMessage{"user", g.text(1 + g.rng.IntN(3))})
		msgs = append(msgs, benchMessage{"assistant", g.text(2 + g.rng.IntN(9))})
	}
	g.buf = g.buf[:0]
	g.buf = append(g.buf, `{"messages":`...)
	m, _ := json.Marshal(msgs)
	g.buf = append(g.buf, m...)
	g.buf = append(g.buf, fmt.Sprintf(`,"metadata":{"format":"brightrun-lora-v4","pair_id":"p%d"}}`+"\n", g.rng.Uint32())...)
	return g.buf
}

// BenchmarkValidate500MiB validates a 500 MiB chat dataset with and
// without token counting, on every core, next to `jq -c . FILE` on the
// same file: MB/s are comparable across the three.
func BenchmarkValidate500MiB(b *testing.B) {
	path := benchFile(b)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		tokens bool
	}{{"tokens", true}, {"no-tokens", false}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(st.Size())
			var rep Report
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				v := NewValidator()
				v.CountTokens = tc.tokens
				if rep, err = v.Validate(f, path); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
			if !rep.TrainingReady {
				b.Fatalf("the benchmark dataset is not training ready: %v", rep.ErrorCounts)
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.Sys)/(1<<20), "MiB-sys")
			b.ReportMetric(float64(rep.Valid), "examples")
		})
	}
	b.Run("jq", func(b *testing.B) {
		jq, err := exec.LookPath("jq")
		if err != nil {
			b.Skip("jq is not installed")
		}
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer null.Close()
		b.SetBytes(st.Size())
		for b.Loop() {
			cmd := exec.Command(jq, "-c", ".", path)
			cmd.Stdout = null
			if err := cmd.Run(); err != nil {
				b.Fatalf("jq: %v", err)
			}
		}
	})
}

// BenchmarkLine checks one line per op on one goroutine (parse, rules,
// contents, weights, same-role runs), over generated chat lines that carry metadata, and some of
// them a tool call: ns/op is the cost of a line, allocs/op must stay 0.
func BenchmarkLine(b *testing.B) {
	g := newExampleGen(7)
	var lines [][]byte
	size := 0
	for i := range 1000 {
		line := trimLine(g.line())
		if i%3 == 0 && !bytes.HasPrefix(line, []byte(`{"messages":[{"role":"system"`)) {
			tool := `{"messages":[{"role":"user","content":"Rates?"},{"role":"assistant","content":"Checking.","tool_calls":[{"id":"c1","type":"function","function":{"name":"rates","arguments":"{}"}}]},{"role":"tool","content":"{\"apr\": 19.9}","tool_call_id":"c1"},`
			line = append([]byte(tool), line[len(`{"messages":[`):]...)
		}
		lines = append(lines, bytes.Clone(line))
		size += len(line)
	}
	var c lineChecker
	b.SetBytes(int64(size / len(lines)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.parse(lines[i])
		sh := c.shape()
		if code, msg := c.check(sh); c.code != cValid || code != cValid {
			b.Fatalf("line %d: %s %s", i, codeLabel(max(c.code, code)), msg)
		}
		c.eachContent(sh, func(role, string) {})
		c.zeroWeights(sh)
		c.sameRoleRun(sh)
		if i++; i == len(lines) {
			i = 0
		}
	}
}

// BenchmarkClean500MiB cleans the 500 MiB dataset (every line checked,
// the valid ones written out) without counting tokens, as `brightrun
// dataset clean` does before validating the copy. MiB-sys is all the
// memory the process took from the system, an upper bound of its peak
// heap: it stays flat, whatever the file's size.
func BenchmarkClean500MiB(b *testing.B) {
	path := benchFile(b)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	var rep Report
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if rep, err = (&Validator{}).Clean(f, io.Discard, path); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Sys)/(1<<20), "MiB-sys")
	b.ReportMetric(float64(rep.Valid), "examples")
}

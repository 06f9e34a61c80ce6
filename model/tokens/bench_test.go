package tokens

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// benchText is about 1 MiB of varied chat-like text: prose with names and
// numbers, markdown lists, code, and some non-English words.
func benchText() string {
	words := strings.Fields(`the of and to in is you that it for budget emergency fund savings invest
		retirement account interest rate mortgage payment monthly income expenses debt credit score
		layoff anxious confident plan goal portfolio index diversified risk tolerance compound growth
		inflation tax deduction contribution employer match withdraw penalty balance transfer
		refinance loan principal amortization we can should would could really actually understand
		feel worried about because however therefore example consider step first second finally`)
	extras := []string{"naïve", "café", "東京", "Grüße", "résumé", "€1,250.00", "$3,400", "401(k)", "Roth IRA", "😊", "—", "e.g.", "it's", "you're", "don't", "I'll"}
	code := "```python\ndef monthly_payment(principal, rate, months):\n    r = rate / 12\n    return principal * r / (1 - (1 + r) ** -months)\n```\n"
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for b.Len() < 1<<20 {
		switch rng.IntN(10) {
		case 0:
			b.WriteString(code)
		case 1:
			for i := range 3 {
				b.WriteString("\n" + string(rune('1'+i)) + ". **")
				b.WriteString(words[rng.IntN(len(words))])
				b.WriteString("**: ")
				b.WriteString(words[rng.IntN(len(words))])
			}
			b.WriteString("\n\n")
		default:
			n := 8 + rng.IntN(20)
			for i := range n {
				w := words[rng.IntN(len(words))]
				if rng.IntN(12) == 0 {
					w = extras[rng.IntN(len(extras))]
				}
				if i == 0 && w[0] >= 'a' && w[0] <= 'z' {
					w = strings.ToUpper(w[:1]) + w[1:]
				}
				b.WriteString(w)
				if i < n-1 {
					b.WriteByte(' ')
				}
			}
			b.WriteString([]string{". ", "? ", "! ", ", and ", ".\n\n"}[rng.IntN(5)])
		}
	}
	return b.String()
}

// BenchmarkCount is this package's counter; compare with BenchmarkLibrary.
// Messages are counted one by one, as the validator does.
func BenchmarkCount(b *testing.B) {
	msgs := strings.SplitAfter(benchText(), "\n\n")
	c, err := NewCounter()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(totalLen(msgs)))
	for b.Loop() {
		for _, m := range msgs {
			c.Count(m)
		}
	}
}

// BenchmarkLibrary is github.com/tiktoken-go/tokenizer's Count on the same
// messages.
func BenchmarkLibrary(b *testing.B) {
	msgs := strings.SplitAfter(benchText(), "\n\n")
	b.SetBytes(int64(totalLen(msgs)))
	for b.Loop() {
		for _, m := range msgs {
			if _, err := libCodec.Count(m); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func totalLen(msgs []string) int {
	n := 0
	for _, m := range msgs {
		n += len(m)
	}
	return n
}

func TestBenchTextMatchesLibrary(t *testing.T) {
	text := benchText()
	c, err := NewCounter()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Count(text[:200000]), libraryCount(t, text[:200000]); got != want {
		t.Fatalf("Count = %d, library %d", got, want)
	}
}

package termtext

import (
	"testing"
	"time"
)

type row struct {
	Name    string
	Tags    []string
	Meta    map[string]string
	Note    *string
	Any     any
	Points  []point
	At      time.Time
	private string
}

type point struct{ Step, Value float64 }

func TestInertDeepAndCopyOnWrite(t *testing.T) {
	note := "n\x1b[6n"
	in := []row{
		{Name: "plain", Tags: []string{"a"}, Points: []point{{1, 2}}},
		{Name: "x\x1b]52;c;SGVsbG8=\x07", Tags: []string{"ok", "\x1b[31mred"}, Meta: map[string]string{"k\x1b": "v\x07"},
			Note: &note, Any: "\x9b", private: "\x1b"},
	}
	out := Inert(in)
	if &out[0] == &in[0] {
		t.Fatal("a slice with a changed element was written in place")
	}
	if in[1].Name != "x\x1b]52;c;SGVsbG8=\x07" || in[1].Tags[1] != "\x1b[31mred" || note != "n\x1b[6n" || in[1].Meta["k\x1b"] != "v\x07" {
		t.Fatalf("the input changed: %+v", in[1])
	}
	r := out[1]
	if r.Name != `x\x1b]52;c;SGVsbG8=\x07` || r.Tags[1] != `\x1b[31mred` || *r.Note != `n\x1b[6n` || r.Meta[`k\x1b`] != `v\x07` || r.Any != `\x9b` {
		t.Fatalf("not inert: %+v (note %q)", r, *r.Note)
	}
	if out[0].Name != "plain" || len(out[0].Points) != 1 {
		t.Fatalf("a plain row changed: %+v", out[0])
	}
}

func TestInertLeavesPlainValuesAlone(t *testing.T) {
	in := []row{{Name: "a", Tags: []string{"b"}}}
	if out := Inert(in); &out[0] != &in[0] {
		t.Fatal("a plain slice was copied")
	}
	if Inert("line\nbreak\tkept") != "line\nbreak\tkept" {
		t.Fatal("Inert does not keep layout as Text does")
	}
}

package dataset

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestCleanKeepsTheValidLines: on every corpus file, and on a generated
// file of several chunks with bad lines spread through it, the cleaned
// copy is the source's valid examples in order and nothing else: it
// validates with no error, as many examples, one per line, and the report
// of the cleaning is the source's.
func TestCleanKeepsTheValidLines(t *testing.T) {
	inputs := map[string][]byte{}
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(f)] = data
	}
	var big bytes.Buffer
	g := newExampleGen(3)
	for i := 0; big.Len() < 3*chunkSize; i++ {
		if i%200 == 199 {
			big.WriteString(`{"messages":[{"role":"user","content":"Hi","weight":1},{"role":"assistant","content":"x"}]}` + "\r\n\n")
		}
		big.Write(g.line())
	}
	inputs["generated"] = big.Bytes()
	for name, data := range inputs {
		for _, workers := range []int{1, 3} {
			v := &Validator{Workers: workers}
			src, err := v.Validate(bytes.NewReader(data), name)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			rep, err := v.Clean(bytes.NewReader(data), &out, name)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Valid != src.Valid || len(rep.Errors) != len(src.Errors) {
				t.Fatalf("%s: cleaning reported %d valid %d errors, validation %d %d", name, rep.Valid, len(rep.Errors), src.Valid, len(src.Errors))
			}
			clean, err := v.Validate(bytes.NewReader(out.Bytes()), name)
			if err != nil {
				t.Fatal(err)
			}
			if clean.Valid != src.Valid || clean.Lines != src.Valid || clean.BlankLines != 0 || len(clean.ErrorCounts) != 0 ||
				(src.Valid > 0 && clean.Shape != src.Shape) {
				t.Fatalf("%s (%d workers): the copy has %d lines, %d valid, %d blank, errors %v, shape %s; source %d valid, shape %s",
					name, workers, clean.Lines, clean.Valid, clean.BlankLines, clean.ErrorCounts, clean.Shape, src.Valid, src.Shape)
			}
			if bytes.Contains(out.Bytes(), []byte("\r")) || (out.Len() > 0 && out.Bytes()[out.Len()-1] != '\n') {
				t.Fatalf("%s: the copy's lines are not each ended by a bare \\n", name)
			}
		}
	}
	if n := bytes.Count(big.Bytes(), []byte(`"weight":1},`)); n < 3 {
		t.Fatalf("the generated file has only %s bad lines", strconv.Itoa(n))
	}
}

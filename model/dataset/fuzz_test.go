package dataset

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"brightrun/model/tokens"
)

// corpusLines are the seeds of the fuzz tests: every line of every file of
// the malformed corpus, and the line table but for its 1 MiB line (mutating
// a megabyte slows the fuzzer for nothing; TestLineRules has it).
func corpusLines(f *testing.F) [][]byte {
	var out [][]byte
	for _, tt := range lineCases {
		if len(tt.line) <= 64<<10 {
			out = append(out, []byte(tt.line))
		}
	}
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no corpus in testdata/corpus: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			out = append(out, line)
		}
	}
	return out
}

// FuzzValidateLine is the differential proof of the fast line validator:
// on any line its shape, code and decoded contents equal those of the
// encoding/json reference, which also holds the hand-written scanner to
// json.Valid.
func FuzzValidateLine(f *testing.F) {
	for _, line := range corpusLines(f) {
		f.Add(line)
	}
	var c lineChecker
	f.Fuzz(func(t *testing.T, line []byte) {
		if bytes.IndexByte(line, '\n') >= 0 {
			t.Skip("a line holds no '\\n'")
		}
		line = trimLine(line)
		if isBlank(line) {
			return
		}
		compareLine(t, &c, line)
	})
}

// FuzzDetectShape holds DetectShape to the reference's reading of the
// line's keys.
func FuzzDetectShape(f *testing.F) {
	for _, line := range corpusLines(f) {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		want, _, _ := refLine(t, trimLine(line))
		if bytes.IndexByte(line, '\n') >= 0 {
			t.Skip("a line holds no '\\n'")
		}
		if got := DetectShape(line); got != shapeNames[want] {
			t.Fatalf("DetectShape(%q) = %s, reference %s", line, got, shapeNames[want])
		}
	})
}

// FuzzValidate holds whole reports (line numbers, blank lines, the
// dataset's shape and what depends on it, duplicates, statistics, samples)
// to the reference on any file, seeded with the corpus files.
func FuzzValidate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want := refValidate(t, data, 20, tokens.Count)
		rep, err := (&Validator{MaxTokens: 20, CountTokens: true, TokenCounter: tokens.Count, Workers: 2}).Validate(bytes.NewReader(data), "fuzz")
		if err != nil {
			t.Fatal(err)
		}
		compareReports(t, rep, want)
	})
}

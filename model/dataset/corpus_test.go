package dataset

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tiktoken-go/tokenizer"
)

// libraryCount counts tokens with the library itself, so the reports of
// the corpus also check the fast counter inside the pipeline.
func libraryCount(t testing.TB) func(string) int {
	codec, err := tokenizer.Get(tokenizer.Cl100kBase)
	if err != nil {
		t.Fatal(err)
	}
	return func(s string) int {
		n, err := codec.Count(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
}

// at is an expected issue: "line:code".
func at(line int, code Code) string { return strconv.Itoa(line) + ":" + string(code) }

// corpusCases pin the report of every file of testdata/corpus: shape,
// lines, blank lines, valid examples, readiness, and each error (and
// warning) at its line.
var corpusCases = []struct {
	file                 string
	maxTokens            int
	shape                Shape
	lines, blanks, valid int
	ready                bool
	errors, warnings     []string
	excluded             int // assistant messages of weight 0
}{
	{file: "good_chat.jsonl", shape: ShapeChat, lines: 12, valid: 12, ready: true, excluded: 1},
	{file: "crlf.jsonl", shape: ShapeChat, lines: 10, valid: 10, ready: true, excluded: 1},
	{file: "bom.jsonl", shape: ShapeChat, lines: 10, valid: 10, ready: true, excluded: 1},
	{file: "blank_lines.jsonl", shape: ShapeChat, lines: 16, blanks: 6, valid: 10, ready: true, excluded: 1},
	{file: "truncated_last_line.jsonl", shape: ShapeChat, lines: 11, valid: 10, errors: []string{at(11, InvalidJSON)}, excluded: 1},
	{file: "empty.jsonl", shape: ShapeUnknown},
	{file: "only_blank.jsonl", shape: ShapeUnknown, lines: 3, blanks: 3},
	{file: "bad_codes.jsonl", shape: ShapeChat, lines: 17, valid: 2, errors: []string{
		at(2, InvalidJSON), at(3, NotObject), at(4, InvalidUTF8), at(5, ShapeMismatch), at(6, MissingMessages),
		at(7, EmptyMessages), at(8, MessageNotObject), at(9, MissingRole), at(10, UnknownRole), at(11, MissingContent),
		at(12, EmptyContent), at(13, UnexpectedKey), at(14, NoAssistantMessage), at(15, LastNotAssistant), at(16, MisplacedSystem)}},
	{file: "first_line_invalid.jsonl", shape: ShapeChat, lines: 3, valid: 1, errors: []string{at(1, EmptyMessages), at(2, ShapeMismatch)}},
	{file: "warnings.jsonl", maxTokens: 50, shape: ShapeChat, lines: 5, valid: 5,
		warnings: []string{at(3, Duplicate), at(4, TooManyTokens), at(5, Duplicate)}},
	{file: "weights_roles.jsonl", shape: ShapeChat, lines: 9, valid: 6, excluded: 2,
		errors: []string{at(5, BadWeight), at(6, BadWeight), at(7, BadWeight)}, warnings: []string{at(2, SameRoleRun), at(3, SameRoleRun)}},
	{file: "good_sharegpt.jsonl", shape: ShapeShareGPT, lines: 11, valid: 11, ready: true},
	{file: "bad_sharegpt.jsonl", shape: ShapeShareGPT, lines: 10, valid: 2, errors: []string{
		at(2, UnknownRole), at(3, EmptyContent), at(4, NoAssistantMessage), at(5, LastNotAssistant), at(6, UnexpectedKey),
		at(7, MissingMessages), at(8, ShapeMismatch), at(9, MissingMessages)}},
	{file: "good_alpaca.jsonl", shape: ShapeAlpaca, lines: 10, valid: 10, ready: true},
	{file: "bad_alpaca.jsonl", shape: ShapeAlpaca, lines: 9, valid: 2, errors: []string{
		at(2, MissingContent), at(3, MissingContent), at(4, EmptyContent), at(5, EmptyContent), at(6, EmptyContent),
		at(7, MissingContent), at(8, ShapeMismatch)}},
	{file: "invalid_utf8.jsonl", shape: ShapeChat, lines: 8, valid: 3, errors: []string{
		at(2, InvalidUTF8), at(3, InvalidUTF8), at(4, InvalidUTF8), at(5, InvalidUTF8), at(6, InvalidUTF8)}},
	{file: "duplicate_keys.jsonl", shape: ShapeChat, lines: 6, valid: 2, errors: []string{
		at(1, InvalidJSON), at(3, InvalidJSON), at(4, InvalidJSON), at(5, InvalidJSON)}},
	{file: "not_jsonl.csv", shape: ShapeUnknown, lines: 3, errors: []string{at(1, InvalidJSON), at(2, InvalidJSON), at(3, InvalidJSON)}},
	{file: "binary.bin", shape: ShapeUnknown, lines: 6, errors: []string{
		at(1, InvalidUTF8), at(2, InvalidJSON), at(3, InvalidUTF8), at(4, InvalidJSON), at(5, InvalidJSON), at(6, InvalidUTF8)}},
}

func TestCorpus(t *testing.T) {
	count := libraryCount(t)
	covered := map[string]bool{}
	for _, tt := range corpusCases {
		t.Run(tt.file, func(t *testing.T) {
			covered[tt.file] = true
			data, err := os.ReadFile(filepath.Join("testdata", "corpus", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			maxTokens := tt.maxTokens
			if maxTokens == 0 {
				maxTokens = DefaultMaxTokens
			}
			want := refValidate(t, data, maxTokens, count)
			for _, workers := range []int{1, 3} {
				v := &Validator{MaxTokens: maxTokens, CountTokens: true, Workers: workers}
				rep, err := v.Validate(bytes.NewReader(data), tt.file)
				if err != nil {
					t.Fatal(err)
				}
				if rep.File != tt.file || rep.Shape != tt.shape || rep.Lines != tt.lines || rep.BlankLines != tt.blanks ||
					rep.Valid != tt.valid || rep.TrainingReady != tt.ready || rep.ExcludedByWeight != tt.excluded {
					t.Fatalf("file %q shape %s lines %d blank %d valid %d ready %v excluded %d; want %s %d %d %d %v %d",
						rep.File, rep.Shape, rep.Lines, rep.BlankLines, rep.Valid, rep.TrainingReady, rep.ExcludedByWeight,
						tt.shape, tt.lines, tt.blanks, tt.valid, tt.ready, tt.excluded)
				}
				if got := issueList(rep.Errors); strings.Join(got, " ") != strings.Join(tt.errors, " ") {
					t.Fatalf("errors %v, want %v", got, tt.errors)
				}
				if got := issueList(rep.Warnings); strings.Join(got, " ") != strings.Join(tt.warnings, " ") {
					t.Fatalf("warnings %v, want %v", got, tt.warnings)
				}
				for _, is := range append(rep.Errors, rep.Warnings...) {
					if is.Message == "" {
						t.Fatalf("issue without a message: %+v", is)
					}
				}
				compareReports(t, rep, want)
				if notText := tt.file == "binary.bin"; rep.NotText() != notText {
					t.Fatalf("NotText() = %v, want %v", rep.NotText(), notText)
				}
			}
		})
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*"))
	for _, f := range files {
		if !covered[filepath.Base(f)] {
			t.Errorf("corpus file %s has no case", f)
		}
	}
}

func issueList(issues []Issue) []string {
	var out []string
	for _, is := range issues {
		out = append(out, at(is.Line, is.Code))
	}
	return out
}

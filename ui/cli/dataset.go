package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"brightrun/model/dataset"
	"brightrun/ui/termtext"
)

// datasetByID runs one of the dataset subcommands that take a dataset's ID
// and share their flags (show, confirm, revalidate, delete).
func datasetByID(sub string) runFunc {
	return func(ctx context.Context, env Env, args []string) error { return runDatasetByID(ctx, env, sub, args) }
}

// runDatasetValidate checks a local JSONL file against docs/formats.md#datasets-and-validation. It
// needs no database and starts no service, so it runs anywhere before an
// upload; the exit code is 0 only when the dataset is training ready.
// maxTokensLimit bounds --max-tokens: a line holds at most 1 MiB, and no
// token is shorter than a byte, so no example can exceed it.
const maxTokensLimit = 1 << 20

func runDatasetValidate(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "dataset validate", &c, true)
	fs.pathArgsFrom = 0
	maxTokens := fs.Int("max-tokens", dataset.DefaultMaxTokens, "tokens per example above which it gets a too_many_tokens warning")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("dataset validate: give one FILE")
	}
	if *maxTokens < 1 || *maxTokens > maxTokensLimit {
		return usagef("dataset validate: --max-tokens %d is out of range: must be between 1 and %d", *maxTokens, maxTokensLimit)
	}
	name := pos[0]
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("dataset validate: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return fmt.Errorf("dataset validate: %w", err)
	} else if st.IsDir() {
		return fmt.Errorf("dataset validate: %s is a directory", name)
	}
	v := dataset.NewValidator()
	v.MaxTokens = *maxTokens
	rep, err := v.Validate(ctxReader{ctx, f}, name)
	if err != nil {
		return fmt.Errorf("dataset validate: %w", err)
	}
	if c.json {
		if err := printJSON(env.Stdout, rep); err != nil {
			return err
		}
	} else {
		printDatasetReport(env.Stdout, rep, *maxTokens)
	}
	if !rep.TrainingReady {
		return errNegative
	}
	return nil
}

// ctxReader stops reading when ctx ends. (Validation only reads, so ctrl+c
// may simply end the process.)
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// Human output lists fewer issues than --json's 100.
const (
	shownErrors   = 20
	shownWarnings = 10
)

func printDatasetReport(w io.Writer, r dataset.Report, maxTokens int) {
	verdict := "training ready"
	if !r.TrainingReady {
		verdict = "NOT training ready"
		if total := issueTotal(r.ErrorCounts); total == 0 {
			verdict += fmt.Sprintf(" (needs at least %d valid examples)", dataset.MinTrainingReady)
		}
	}
	fmt.Fprintf(w, "%s: %s\n", termtext.Line(r.File), verdict)
	fmt.Fprintf(w, "  shape       %s\n", r.Shape)
	fmt.Fprintf(w, "  lines       %s (%s blank)\n", withCommas(int64(r.Lines)), withCommas(int64(r.BlankLines)))
	fmt.Fprintf(w, "  valid       %s examples\n", withCommas(int64(r.Valid)))
	if r.Valid > 0 {
		t := r.Tokens
		fmt.Fprintf(w, "  tokens      %s in all; per example min %d, mean %.1f, p50 %d, p95 %d, max %d\n",
			withCommas(r.TotalTokens), t.Min, t.Mean, t.P50, t.P95, t.Max)
		m := r.Messages
		fmt.Fprintf(w, "  messages    per example min %d, mean %.1f, max %d\n", m.Min, m.Mean, m.Max)
		fmt.Fprintf(w, "  duplicates  %s\n", withCommas(int64(r.Duplicates)))
		if r.ExcludedByWeight > 0 {
			fmt.Fprintf(w, "  weight 0    %s assistant messages kept out of training (counted in tokens)\n", withCommas(int64(r.ExcludedByWeight)))
		}
	}
	printIssues(w, "errors", r.Errors, r.ErrorCounts, shownErrors)
	printIssues(w, "warnings", r.Warnings, r.WarningCounts, shownWarnings)
	if n := r.WarningCounts[dataset.TooManyTokens]; n > 0 {
		fmt.Fprintf(w, "  (%d examples over --max-tokens %d)\n", n, maxTokens)
	}
}

// printIssues prints counts by code, then the first issues as a table.
func printIssues(w io.Writer, title string, issues []dataset.Issue, counts map[dataset.Code]int, shown int) {
	total := issueTotal(counts)
	if total == 0 {
		return
	}
	codes := make([]string, 0, len(counts))
	for code := range counts {
		codes = append(codes, string(code))
	}
	sort.Slice(codes, func(i, j int) bool {
		ci, cj := counts[dataset.Code(codes[i])], counts[dataset.Code(codes[j])]
		return ci > cj || ci == cj && codes[i] < codes[j]
	})
	parts := make([]string, len(codes))
	for i, code := range codes {
		parts[i] = code + " " + withCommas(int64(counts[dataset.Code(code)]))
	}
	fmt.Fprintf(w, "\n%s: %s (%s)\n", title, withCommas(int64(total)), strings.Join(parts, ", "))
	tw := newTable(w)
	fmt.Fprintln(tw, "  LINE\tCODE\tMESSAGE")
	for _, is := range issues[:min(len(issues), shown)] {
		fmt.Fprintf(tw, "  %d\t%s\t%s\n", is.Line, is.Code, termtext.Line(is.Message))
	}
	tw.Flush()
	if total > shown {
		fmt.Fprintf(w, "  … %s more; --json lists the first %d\n", withCommas(int64(total-min(len(issues), shown))), dataset.MaxIssues)
	}
}

func issueTotal(counts map[dataset.Code]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// group writes n with thousands separators: 1234567 → 1,234,567.
func withCommas(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + withCommas(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

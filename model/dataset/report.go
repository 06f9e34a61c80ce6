package dataset

import "encoding/json"

// Report is the result of validating one dataset. Its JSON keys are
// docs/cli.md's and scripts rely on them.
type Report struct {
	File          string `json:"file"`
	Shape         Shape  `json:"shape"`
	Lines         int    `json:"lines"`       // lines read, blank ones included
	BlankLines    int    `json:"blank_lines"` // empty or only spaces, tabs and \r
	Valid         int    `json:"valid"`       // valid examples
	TrainingReady bool   `json:"training_ready"`
	// Errors are the first MaxIssues errors in line order; ErrorCounts
	// counts all of them by code. One error per line: the first rule the
	// line breaks, in the order lineChecker checks them.
	Errors      []Issue      `json:"errors"`
	ErrorCounts map[Code]int `json:"error_counts"`
	// Warnings (too_many_tokens, duplicate, same_role_run) are about valid examples and do
	// not stop training; listed and counted like the errors.
	Warnings      []Issue      `json:"warnings"`
	WarningCounts map[Code]int `json:"warning_counts"`
	// TotalTokens sums the cl100k tokens of every content of every valid
	// example, each content encoded on its own; zero when tokens are not
	// counted.
	TotalTokens int64        `json:"total_tokens"`
	Tokens      TokenStats   `json:"tokens"`
	Messages    MessageStats `json:"messages"`
	// TokenHistogram counts valid examples by tokens in power-of-two
	// buckets (0–256, 256–512, 512–1024, …) up to the one holding the
	// longest example, the empty ones between included, so a chart of it
	// shows where the lengths lie and how long the tail is. Empty when
	// tokens are not counted or no example is valid.
	TokenHistogram []HistogramBucket `json:"token_histogram"`
	// Duplicates counts valid examples whose content (roles and texts, not
	// metadata) equals an earlier example's.
	Duplicates int `json:"duplicates"`
	// ExcludedByWeight counts the assistant messages of valid examples
	// that have weight 0: kept out of training, counted in tokens.
	ExcludedByWeight int `json:"excluded_by_weight"`
	// Samples are up to MaxSamples valid examples, the first ones, as the
	// JSON objects of their lines.
	Samples []json.RawMessage `json:"samples"`
}

// Issue is one error or warning at its line (numbered from 1, blank lines
// counted).
type Issue struct {
	Line    int    `json:"line"`
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// TokenStats are tokens per valid example. P50 and P95 are exact
// nearest-rank percentiles: the smallest count at or below which 50% (95%)
// of examples fall. Mean is rounded to 2 decimals.
type TokenStats struct {
	Min  int     `json:"min"`
	Mean float64 `json:"mean"`
	P50  int     `json:"p50"`
	P95  int     `json:"p95"`
	Max  int     `json:"max"`
}

// HistogramBucket is one bar of TokenHistogram: Count valid examples have
// at least Min and fewer than Max tokens.
type HistogramBucket struct {
	Min   int `json:"min"`
	Max   int `json:"max"`
	Count int `json:"count"`
}

// FirstBucketMax is the upper edge of the histogram's first bucket; each
// later bucket is twice as wide as the one before.
const FirstBucketMax = 256

// MessageStats are messages per valid example (an alpaca example counts
// as two: the instruction with its input, and the output).
type MessageStats struct {
	Min  int     `json:"min"`
	Mean float64 `json:"mean"`
	Max  int     `json:"max"`
}

// Limits of a report, from docs/formats.md#datasets-and-validation.
const (
	MaxIssues        = 100     // errors (and warnings) listed; all are counted
	MaxSamples       = 5       // sample examples kept
	MinTrainingReady = 10      // valid examples a training-ready dataset needs
	MaxLineBytes     = 1 << 20 // longest line, without its \n or \r\n
	DefaultMaxTokens = 4096    // tokens per example above which it is too_many_tokens
)

// NotText reports a file that is not text at all (a binary file, or text
// in another encoding than UTF-8): no valid example, and at least half of
// its non-blank lines are not UTF-8. Such a file has no report worth
// reading line by line; validation says it could not read it as JSONL.
func (r Report) NotText() bool {
	lines := r.Lines - r.BlankLines
	bad := r.ErrorCounts[InvalidUTF8]
	return r.Valid == 0 && bad > 0 && 2*bad >= lines
}

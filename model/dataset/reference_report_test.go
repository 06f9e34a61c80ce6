package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// refValidate is the reference for a whole file: the bytes in memory,
// split on '\n', each line through refLine, the dataset's shape from the
// first valid line, then every rule and statistic computed plainly
// (duplicates by comparing contents, percentiles by sorting). Messages are
// not compared; line_test.go pins them.
func refValidate(t testing.TB, data []byte, maxTokens int, count func(string) int) Report {
	data = bytes.TrimPrefix(data, bom)
	lines := bytes.Split(data, []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	type rec struct {
		n        int
		shape    shapeID
		code     codeID
		contents []refContent
		line     []byte
	}
	rep := Report{Lines: len(lines), ErrorCounts: map[Code]int{}, WarningCounts: map[Code]int{},
		Errors: []Issue{}, Warnings: []Issue{}, Samples: []json.RawMessage{}}
	var recs []rec
	ds, firstShaped := sNone, sNone
	for i, raw := range lines {
		line := trimLine(raw)
		if isBlank(line) {
			rep.BlankLines++
			continue
		}
		sh, code, contents := refLine(t, line)
		recs = append(recs, rec{i + 1, sh, code, contents, line})
		if code == cValid && ds == sNone {
			ds = sh
		}
		if sh != sNone && firstShaped == sNone {
			firstShaped = sh
		}
	}
	if ds == sNone {
		ds = firstShaped
	}
	rep.Shape = shapeNames[ds]
	var tokens, msgs []int
	seen := map[string]int{}
	for _, r := range recs {
		code := resolve(r.shape, r.code, ds)
		if code != cValid {
			rep.ErrorCounts[codeNames[code]]++
			if len(rep.Errors) < MaxIssues {
				rep.Errors = append(rep.Errors, Issue{Line: r.n, Code: codeNames[code]})
			}
			continue
		}
		rep.Valid++
		n := 0
		var key strings.Builder
		for _, c := range r.contents {
			if count != nil {
				n += count(c.text)
			}
			fmt.Fprintf(&key, "%d:%d:%s", c.role, len(c.text), c.text)
		}
		if r.shape == sAlpaca {
			msgs = append(msgs, 2)
		} else {
			msgs = append(msgs, len(r.contents))
		}
		if count != nil {
			tokens = append(tokens, n)
			rep.TotalTokens += int64(n)
			if n > maxTokens {
				rep.WarningCounts[TooManyTokens]++
				rep.Warnings = append(rep.Warnings, Issue{Line: r.n, Code: TooManyTokens})
			}
		}
		if _, ok := seen[key.String()]; ok {
			rep.Duplicates++
			rep.WarningCounts[Duplicate]++
			rep.Warnings = append(rep.Warnings, Issue{Line: r.n, Code: Duplicate})
		} else {
			seen[key.String()] = r.n
		}
		if r.shape != sAlpaca && refSameRoleRun(r.contents) {
			rep.WarningCounts[SameRoleRun]++
			rep.Warnings = append(rep.Warnings, Issue{Line: r.n, Code: SameRoleRun})
		}
		for _, c := range r.contents {
			if c.zeroWeight {
				rep.ExcludedByWeight++
			}
		}
		if len(rep.Samples) < MaxSamples {
			rep.Samples = append(rep.Samples, json.RawMessage(r.line))
		}
	}
	rep.Warnings = rep.Warnings[:min(len(rep.Warnings), MaxIssues)]
	rep.TrainingReady = rep.Valid >= MinTrainingReady && len(rep.ErrorCounts) == 0
	if len(tokens) > 0 {
		rep.Tokens = TokenStats{Min: slices.Min(tokens), Max: slices.Max(tokens), Mean: refMean(tokens),
			P50: refPercentile(tokens, 50), P95: refPercentile(tokens, 95)}
	}
	if len(msgs) > 0 {
		rep.Messages = MessageStats{Min: slices.Min(msgs), Max: slices.Max(msgs), Mean: refMean(msgs)}
	}
	rep.TokenHistogram = refHistogram(tokens)
	return rep
}

// refSameRoleRun reports two user or two assistant messages in a row,
// system messages left out of the sequence (an alpaca line's instruction
// and input are one turn).
func refSameRoleRun(contents []refContent) bool {
	var roles []role
	for _, c := range contents {
		if c.role != roleSystem {
			roles = append(roles, c.role)
		}
	}
	for i := 1; i < len(roles); i++ {
		if roles[i] == roles[i-1] && (roles[i] == roleUser || roles[i] == roleAssistant) {
			return true
		}
	}
	return false
}

// refHistogram buckets token counts by doubling the edges from 256 until
// each count fits, then adds the empty buckets below the longest.
func refHistogram(tokens []int) []HistogramBucket {
	out := []HistogramBucket{}
	for _, n := range tokens {
		lo, hi, i := 0, 256, 0
		for n >= hi {
			lo, hi, i = hi, hi*2, i+1
		}
		for len(out) <= i {
			b := HistogramBucket{Max: 256}
			if k := len(out); k > 0 {
				b = HistogramBucket{Min: out[k-1].Max, Max: out[k-1].Max * 2}
			}
			out = append(out, b)
		}
		if out[i].Min != lo || out[i].Max != hi {
			panic("reference histogram edges disagree")
		}
		out[i].Count++
	}
	return out
}

func refMean(v []int) float64 {
	sum := 0
	for _, x := range v {
		sum += x
	}
	return math.Round(float64(sum)/float64(len(v))*100) / 100
}

// refPercentile is the nearest-rank percentile by sorting.
func refPercentile(v []int, p float64) int {
	s := slices.Sorted(slices.Values(v))
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	return s[max(rank, 1)-1]
}

// compareReports fails t when got differs from the reference in anything
// but messages.
func compareReports(t *testing.T, got, want Report) {
	t.Helper()
	strip := func(r Report) Report {
		r.File = ""
		r.Errors = slices.Clone(r.Errors)
		for i := range r.Errors {
			r.Errors[i].Message = ""
		}
		r.Warnings = slices.Clone(r.Warnings)
		for i := range r.Warnings {
			r.Warnings[i].Message = ""
		}
		r.Samples = slices.Clone(r.Samples)
		for i, s := range r.Samples {
			var c bytes.Buffer
			if err := json.Compact(&c, s); err != nil {
				t.Fatalf("sample %d is not JSON: %v", i, err)
			}
			r.Samples[i] = c.Bytes()
		}
		return r
	}
	g, w := strip(got), strip(want)
	gj, _ := json.MarshalIndent(g, "", " ")
	wj, _ := json.MarshalIndent(w, "", " ")
	if !bytes.Equal(gj, wj) {
		t.Fatalf("report differs from the reference:\n got %s\nwant %s", gj, wj)
	}
}

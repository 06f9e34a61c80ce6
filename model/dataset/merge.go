package dataset

import (
	"encoding/json"
	"strconv"
	"sync/atomic"
)

// merger folds chunk results into the report in line order, so line
// numbers, the dataset's shape (that of the first valid line) and the
// first-MaxIssues lists come out the same whatever the number of workers.
// Workers validate each line under its own shape; what depends on the
// dataset's shape (a line of another shape is a shape_mismatch, a line
// with no shape misses the dataset's list) is resolved here: valid lines
// as they come (the shape is known by then), errors at the end.
type merger struct {
	maxTokens   int
	countTokens bool
	enough      *atomic.Bool // tells workers to stop copying samples

	lines, blanks int
	shape         shapeID // of the first valid line; sNone until one
	shapeLine     int
	firstShaped   int // the first line with a shape, the fallback when none is valid
	firstShapedAs shapeID

	// counts are errors by line shape and code; cValid counts valid lines
	// of another shape than the dataset's.
	counts [numShapes][numCodes]int
	issues []lineIssue // the first MaxIssues, unresolved

	valid      int
	excluded   int // assistant messages of weight 0
	tokens     histogram
	messages   histogram
	seen       dupSet
	duplicates int
	warnings   []Issue
	warnCounts map[Code]int
	samples    []json.RawMessage
}

func newMerger(maxTokens int, countTokens bool, enough *atomic.Bool) *merger {
	return &merger{maxTokens: maxTokens, countTokens: countTokens, enough: enough, warnCounts: map[Code]int{}}
}

// add merges the next chunk in line order.
func (m *merger) add(r *chunkResult) {
	base := m.lines
	m.lines += r.lines
	m.blanks += r.blanks
	if m.firstShaped == 0 && r.firstShaped > 0 {
		m.firstShaped, m.firstShapedAs = base+r.firstShaped, r.firstShapedShape
	}
	for sh := range r.counts {
		for code, n := range r.counts[sh] {
			m.counts[sh][code] += n
		}
	}
	next := 0 // r.issues before this one are merged
	for _, v := range r.valid {
		if m.shape == sNone {
			m.shape, m.shapeLine = v.shape, base+v.line
		}
		if v.shape != m.shape {
			next = m.addIssues(r.issues, next, v.line, base)
			m.counts[v.shape][cValid]++
			m.addIssue(lineIssue{line: base + v.line, shape: v.shape, code: cValid})
			continue
		}
		m.example(v, base)
	}
	m.addIssues(r.issues, next, int(^uint(0)>>1), base)
	for _, s := range r.samples[m.shape] {
		if m.shape != sNone && len(m.samples) < MaxSamples {
			m.samples = append(m.samples, json.RawMessage(s))
		}
	}
	if len(m.samples) == MaxSamples {
		m.enough.Store(true)
	}
}

// addIssues merges issues[from:] up to line `before` and returns where it
// stopped.
func (m *merger) addIssues(issues []lineIssue, from, before, base int) int {
	for ; from < len(issues) && issues[from].line < before; from++ {
		is := issues[from]
		is.line += base
		m.addIssue(is)
	}
	return from
}

func (m *merger) addIssue(is lineIssue) {
	if len(m.issues) < MaxIssues {
		m.issues = append(m.issues, is)
	}
}

// example adds a valid example of the dataset's shape.
func (m *merger) example(v validLine, base int) {
	line := base + v.line
	m.valid++
	m.messages.add(int(v.messages))
	if m.countTokens {
		m.tokens.add(int(v.tokens))
		if int(v.tokens) > m.maxTokens {
			m.warn(line, TooManyTokens, "example has "+strconv.Itoa(int(v.tokens))+" tokens, over the limit of "+strconv.Itoa(m.maxTokens))
		}
	}
	if first := m.seen.seen(v.hash, line); first > 0 {
		m.duplicates++
		m.warn(line, Duplicate, "same content as line "+strconv.Itoa(first))
	}
	m.excluded += int(v.zeroWeights)
	if v.runAt > 0 {
		m.warn(line, SameRoleRun, sameRoleRunMessage(v))
	}
}

// sameRoleRunMessage says which two messages in a row share a role:
// "messages[3] follows messages[2] from the user too".
func sameRoleRunMessage(v validLine) string {
	n := &chatNames
	if v.shape == sShareGPT {
		n = &shareGPTNames
	}
	who := "the user"
	if v.runRole == roleAssistant {
		who = "the " + n.assistant
	}
	at := func(i int32) string { return n.list + "[" + strconv.Itoa(int(i)) + "]" }
	return at(v.runAt) + " follows " + at(v.runAt-1) + " from " + who + " too, with no reply between"
}

func (m *merger) warn(line int, code Code, msg string) {
	m.warnCounts[code]++
	if len(m.warnings) < MaxIssues {
		m.warnings = append(m.warnings, Issue{Line: line, Code: code, Message: msg})
	}
}

// report resolves what waited for the dataset's shape and builds the
// report.
func (m *merger) report(name string) Report {
	ds, from := m.shape, m.shapeLine
	if ds == sNone {
		ds, from = m.firstShapedAs, m.firstShaped
	}
	rep := Report{
		File: name, Shape: shapeNames[ds], Lines: m.lines, BlankLines: m.blanks, Valid: m.valid,
		Errors: make([]Issue, 0, len(m.issues)), ErrorCounts: map[Code]int{},
		Warnings: m.warnings, WarningCounts: m.warnCounts,
		Duplicates: m.duplicates, ExcludedByWeight: m.excluded, Samples: m.samples,
	}
	if rep.Warnings == nil {
		rep.Warnings = []Issue{}
	}
	if rep.Samples == nil {
		rep.Samples = []json.RawMessage{}
	}
	errors := 0
	for sh := range m.counts {
		for code, n := range m.counts[sh] {
			if n > 0 {
				rep.ErrorCounts[codeNames[resolve(shapeID(sh), codeID(code), ds)]] += n
				errors += n
			}
		}
	}
	for _, is := range m.issues {
		code := resolve(is.shape, is.code, ds)
		msg := is.message
		switch {
		case code == cShapeMismatch:
			msg = "line has the " + string(shapeNames[is.shape]) + " shape (" + shapeKeys[is.shape] + "), the dataset is " +
				string(shapeNames[ds]) + " (as of line " + strconv.Itoa(from) + ")"
		case is.code == cNoShape && ds == sAlpaca:
			msg = "instruction is missing"
		case is.code == cNoShape && ds == sShareGPT:
			msg = "conversations is missing"
		case is.code == cNoShape:
			msg = "messages is missing"
		}
		rep.Errors = append(rep.Errors, Issue{Line: is.line, Code: codeNames[code], Message: msg})
	}
	rep.TrainingReady = m.valid >= MinTrainingReady && errors == 0
	if m.countTokens {
		rep.TotalTokens = m.tokens.sum
		rep.Tokens = TokenStats{Min: m.tokens.lo, Mean: m.tokens.mean(), P50: m.tokens.percentile(50),
			P95: m.tokens.percentile(95), Max: m.tokens.hi}
	}
	rep.TokenHistogram = m.tokens.buckets()
	rep.Messages = MessageStats{Min: m.messages.lo, Mean: m.messages.mean(), Max: m.messages.hi}
	return rep
}

// resolve turns a line's code under its own shape into its code in a
// dataset of shape ds: a line of another shape is a shape_mismatch, valid
// or not; a JSON object with no shape misses the dataset's list (or, for
// alpaca, the instruction). Codes found before any shape stay.
func resolve(lineShape shapeID, code codeID, ds shapeID) codeID {
	switch {
	case code.shapeless():
		return code
	case code == cNoShape && ds == sAlpaca:
		return cMissingContent
	case code == cNoShape:
		return cMissingMessages
	case lineShape != ds:
		return cShapeMismatch
	}
	return code
}

package model

import (
	"strings"
	"time"
)

// Streams of a trainer's output lines.
const (
	StreamStdout = "stdout" // log messages the trainer sent through the protocol
	StreamStderr = "stderr"
)

// JobOutputLine is one line a trainer printed: its stderr, or a log message
// it sent on stdout. Seq orders a job's lines; readers ask for the lines
// after the last Seq they have.
type JobOutputLine struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Stream string    `json:"stream"`
	Text   string    `json:"text"`
}

// MaxOutputLineLen bounds a stored line: a progress bar redrawn with \r or
// a tensor dump must not fill the database.
const MaxOutputLineLen = 2000

// CleanOutputLine makes a printed line storable: valid UTF-8 (a trainer may
// print raw bytes), no NUL (Postgres text refuses it), no trailing \r, and
// at most MaxOutputLineLen bytes, cut on a rune boundary.
func CleanOutputLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	s = strings.TrimRight(s, "\r")
	if i := strings.LastIndexByte(s, '\r'); i >= 0 {
		s = s[i+1:] // a progress bar redrawn in place: its last state
	}
	if len(s) <= MaxOutputLineLen {
		return s
	}
	cut := MaxOutputLineLen
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// SimulatedNote is the label every simulated artifact carries.
const SimulatedNote = "SIMULATED: produced by Brightrun's simulated trainer; the weights are deterministic random numbers, not the result of training"

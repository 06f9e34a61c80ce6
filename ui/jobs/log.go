package jobs

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/components/logpane"
	"brightrun/ui/format"
	"brightrun/ui/theme"
)

// The job view's log: the job's events (stage changes, checkpoints,
// warnings, errors, rescues) merged by time with what its trainer printed
// (an exec trainer's stderr and log messages), in a logpane.Pane that
// follows the end while it is there, scrolls both ways, and searches with
// /, n and N stepping through the matches.

// Limits of what the log holds: output is read in batches of
// outputBatch lines, and only the newest maxOutputLines are kept (the
// CLI's `job logs` prints every line).
const (
	outputBatch    = 2000
	maxOutputLines = 5000
)

// logKindWidth is the width of the kind column: "checkpoint".
const logKindWidth = 10

// logPane is the log's state: the searchable pane, and the job's events
// and output it lays out.
type logPane struct {
	logpane.Pane
	events []model.JobEvent
	output []model.JobOutputLine
	// dropped counts the output lines let go off the front.
	dropped int
	lastSeq int64
	// fetching marks an output read in flight; more a change that came
	// meanwhile (or a full batch), read again when it lands.
	fetching, more bool

	zoom bool // the log takes the whole view below the header
}

// newLogPane is an empty log that follows its end.
func newLogPane(t *theme.Theme) logPane {
	return logPane{Pane: logpane.New(t, "search the log")}
}

// setEvents replaces the events (the log is short and read whole); the
// same events again, as at most changes of a running job, change nothing.
func (l *logPane) setEvents(ev []model.JobEvent, t *theme.Theme) {
	if len(ev) > 0 && slices.EqualFunc(ev, l.events, sameEvent) {
		return
	}
	l.events = ev
	l.rebuild(t)
}

func sameEvent(a, b model.JobEvent) bool {
	return a.At.Equal(b.At) && a.Kind == b.Kind && a.Stage == b.Stage && a.Step == b.Step && a.Message == b.Message
}

// addOutput appends lines read after lastSeq, dropping the oldest past
// maxOutputLines.
func (l *logPane) addOutput(lines []model.JobOutputLine, t *theme.Theme) {
	for _, o := range lines {
		if o.Seq <= l.lastSeq {
			continue
		}
		l.output = append(l.output, o)
		l.lastSeq = o.Seq
	}
	if over := len(l.output) - maxOutputLines; over > 0 {
		l.output = append(l.output[:0:0], l.output[over:]...)
		l.dropped += over
	}
	l.rebuild(t)
}

// rebuild lays the events and the output out by time and puts them in the
// viewport, keeping the view where it was (or at the end, following) and
// the search's matches on the new text.
func (l *logPane) rebuild(t *theme.Theme) {
	lines, styles := l.Buffers()
	add := func(text string, st lipgloss.Style) {
		lines = append(lines, text)
		styles = append(styles, st)
	}
	ev, out := l.events, l.output
	for len(ev) > 0 || len(out) > 0 {
		if len(ev) > 0 && (len(out) == 0 || !out[0].At.Before(ev[0].At)) {
			e := ev[0]
			ev = ev[1:]
			msg := e.Message
			if e.Step > 0 && !strings.Contains(msg, fmt.Sprintf("step %d", e.Step)) {
				msg += fmt.Sprintf(" (step %s)", format.Thousands(int64(e.Step)))
			}
			add(logLine(format.StampUTC(e.At), e.Kind, msg), eventStyle(t, e.Kind))
			continue
		}
		o := out[0]
		out = out[1:]
		st := lipgloss.NewStyle()
		if o.Stream == model.StreamStderr {
			st = t.LogStderr
		}
		add(logLine(format.StampUTC(o.At), o.Stream, o.Text), st)
	}
	l.SetLines(lines, styles)
}

// logLine is one line of the log: time, kind and text, tabs and control
// characters made spaces so columns stay put.
func logLine(at, kind, text string) string {
	text = strings.Map(func(r rune) rune {
		if r == '\t' || r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, text)
	return fmt.Sprintf("%s  %-*s  %s", at, logKindWidth, kind, text)
}

// eventStyle is the colour of an event's line by its kind.
func eventStyle(t *theme.Theme, kind string) lipgloss.Style {
	if s, ok := map[string]lipgloss.Style{
		model.EventWarning: t.Warning, model.EventError: t.Error, model.EventCheckpoint: t.Success,
	}[kind]; ok {
		return s
	}
	return lipgloss.NewStyle()
}

// Messages of the log's reads, naming their job.
type outputMsg struct {
	id    uuid.UUID
	lines []model.JobOutputLine
	err   error
}

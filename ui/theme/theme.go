// Package theme holds every Lip Gloss style of the TUI, so the look of the
// whole program is decided in one place and screens only name roles ("error",
// "muted", "selected") instead of colours.
//
// Colours adapt to the terminal background (the shell asks the terminal and
// calls SetDark), and a theme built with colour off — because NO_COLOR is set,
// or a test wants readable golden files — carries no colour at all, only
// bold, faint, underline and reverse, which NO_COLOR allows.
package theme

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Theme is the set of styles, grouped by the part of the screen that uses
// them. Screens share one *Theme; SetDark rebuilds it in place so a change of
// background reaches every screen at once.
type Theme struct {
	noColor bool
	dark    bool

	// Shell.
	Brand       lipgloss.Style // program name at the left of the tab bar
	TabActive   lipgloss.Style
	TabInactive lipgloss.Style
	TabBadge    lipgloss.Style // unread counts beside a tab title
	TabRule     lipgloss.Style // the line under the tab bar
	StatusBar   lipgloss.Style // the bar itself (background)
	StatusUser  lipgloss.Style
	StatusOK    lipgloss.Style
	StatusBad   lipgloss.Style
	StatusDim   lipgloss.Style
	StatusSep   lipgloss.Style
	ToastInfo   lipgloss.Style
	ToastError  lipgloss.Style
	HelpKey     lipgloss.Style
	HelpDesc    lipgloss.Style
	HelpSep     lipgloss.Style

	// Content.
	Title    lipgloss.Style // a screen's or a panel's heading
	Muted    lipgloss.Style // secondary text: ages, hints, placeholders
	Strong   lipgloss.Style // emphasis without colour meaning
	Error    lipgloss.Style
	Success  lipgloss.Style
	Warning  lipgloss.Style
	Accent   lipgloss.Style
	Cursor   lipgloss.Style // the bar marking the selected row or field
	Panel    lipgloss.Style // a bordered box
	Empty    lipgloss.Style // empty-state text
	Spinner  lipgloss.Style
	Selected lipgloss.Style // the selected row's text

	// Forms.
	Label        lipgloss.Style
	LabelFocused lipgloss.Style
	Value        lipgloss.Style // a value in a selector or a result
	ValueFocused lipgloss.Style
	Arrow        lipgloss.Style // ‹ › around a selector value

	// Data.
	Total          lipgloss.Style // the headline figure of a result
	TableHeader    lipgloss.Style
	TableCell      lipgloss.Style
	TableHighlight lipgloss.Style // the best row of a comparison
	TableBorder    lipgloss.Style

	// Notifications.
	Unread         lipgloss.Style
	Read           lipgloss.Style
	PriorityHigh   lipgloss.Style
	PriorityMedium lipgloss.Style
	PriorityLow    lipgloss.Style

	// Browse tables (conversations, training files).
	RowCursor   lipgloss.Style // the row under the cursor
	RowMark     lipgloss.Style // the check mark of a multi-selected row
	RowPending  lipgloss.Style // a row whose window is still loading
	SortArrow   lipgloss.Style // ▲/▼ beside the sorted column
	FacetActive lipgloss.Style // a facet value that is switched on

	// Conversation detail: the two speakers stay apart without colour by
	// their labels and bars, and by colour where there is some.
	UserLabel      lipgloss.Style
	UserBar        lipgloss.Style
	UserText       lipgloss.Style
	AssistantLabel lipgloss.Style
	AssistantBar   lipgloss.Style
	AssistantText  lipgloss.Style

	// Charts.
	ChartBar   lipgloss.Style
	ChartLabel lipgloss.Style
	ChartValue lipgloss.Style

	// Datasets: a status badge reads without colour by its mark (spinner,
	// ✓, ✗) and by colour where there is some.
	DatasetUploading  lipgloss.Style
	DatasetValidating lipgloss.Style
	DatasetReady      lipgloss.Style
	DatasetFailed     lipgloss.Style
	CodeRule          lipgloss.Style // the rules above and below text to copy
	Code              lipgloss.Style // text to copy as it is: a URL, a command
	Dialog            lipgloss.Style // a question that waits for y or n

	// Configure and Jobs: a job's status badge reads without colour by its
	// mark (○ ◐ ● ✓ ✗ –) and by colour where there is some.
	CompareCursor  lipgloss.Style // the comparison row under the cursor
	CompareFastest lipgloss.Style // the fastest row of a comparison
	Unavailable    lipgloss.Style // a choice that cannot be made, greyed
	Custom         lipgloss.Style // "custom" in place of a preset's name
	JobQueued      lipgloss.Style
	JobActive      lipgloss.Style // initializing, running, finalizing
	JobCompleted   lipgloss.Style
	JobFailed      lipgloss.Style
	JobCancelled   lipgloss.Style
	JobNew         lipgloss.Style // the row of a job just created here
	// The live job view.
	JobSimulated lipgloss.Style // the "simulated" badge of the simulated trainer
	JobBarFill   lipgloss.Style // the done part of the progress bar
	JobBarEmpty  lipgloss.Style // the rest of it
	ChartTrain   lipgloss.Style // the training series of a chart and its legend
	ChartVal     lipgloss.Style // the validation series overlaid on it
	ChartAxis    lipgloss.Style // the axes and their labels
	// The same three reduced to their escape sequences, for charts
	// redrawn at every metric point (see Paint).
	ChartTrainPaint, ChartValPaint, ChartAxisPaint Paint
	// Strong and Label reduced the same way, for the job view's metrics.
	StrongPaint, LabelPaint Paint

	// The comparison of jobs: one style per job, in the order they were
	// marked, for its curve, its legend and its column. Without colour the
	// curves stay apart by SeriesMarks (the first keeps the line) and the
	// legend that names them.
	Series      []lipgloss.Style
	SeriesMarks []string
	CompareDiff lipgloss.Style // a setting whose values differ between the jobs
	CompareBest lipgloss.Style // the lowest loss of a row
	// The job view's log: warnings and errors read apart without colour
	// by their kind column; search matches by reverse video.
	LogMatch        lipgloss.Style
	LogMatchCurrent lipgloss.Style
	LogStderr       lipgloss.Style // a trainer's stderr line
}

// New builds a theme for a dark background (the common case and the one
// assumed until the terminal answers). With noColor set the styles carry no
// colour.
func New(noColor bool) *Theme {
	t := &Theme{noColor: noColor, dark: true}
	t.build()
	return t
}

// SetDark rebuilds the styles for a dark or a light background.
func (t *Theme) SetDark(dark bool) {
	t.dark = dark
	t.build()
}

// NoColor reports whether the theme was built without colour.
func (t *Theme) NoColor() bool { return t.noColor }

// IsDark reports whether the theme targets a dark background.
func (t *Theme) IsDark() bool { return t.dark }

// palette is the handful of colours everything else is drawn from.
type palette struct {
	fg, subtle, faint, accent, accentFg, bar, ok, bad, warn, highlight color.Color
}

func (t *Theme) palette() palette {
	ld := lipgloss.LightDark(t.dark)
	return palette{
		fg:        ld(lipgloss.Color("#1A1A1A"), lipgloss.Color("#E4E4E4")),
		subtle:    ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#8A8A8A")),
		faint:     ld(lipgloss.Color("#B8B8B8"), lipgloss.Color("#4A4A4A")),
		accent:    ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#9D86F9")),
		accentFg:  lipgloss.Color("#FFFFFF"),
		bar:       ld(lipgloss.Color("#E6E3F5"), lipgloss.Color("#25223A")),
		ok:        ld(lipgloss.Color("#02875A"), lipgloss.Color("#3FD88F")),
		bad:       ld(lipgloss.Color("#C5004A"), lipgloss.Color("#FF6B8B")),
		warn:      ld(lipgloss.Color("#A66A00"), lipgloss.Color("#F5C451")),
		highlight: ld(lipgloss.Color("#D9F7E8"), lipgloss.Color("#16382A")),
	}
}

// fg and bg set a colour unless the theme is colourless.
func (t *Theme) fg(s lipgloss.Style, c color.Color) lipgloss.Style {
	if t.noColor {
		return s
	}
	return s.Foreground(c)
}

func (t *Theme) bg(s lipgloss.Style, c color.Color) lipgloss.Style {
	if t.noColor {
		return s
	}
	return s.Background(c)
}

func (t *Theme) build() {
	p := t.palette()
	s := lipgloss.NewStyle()

	t.Brand = t.fg(s.Bold(true).Padding(0, 1), p.accent)
	if t.noColor {
		t.TabActive = s.Bold(true).Reverse(true).Padding(0, 1)
	} else {
		t.TabActive = s.Bold(true).Padding(0, 1).Foreground(p.accentFg).Background(p.accent)
	}
	t.TabInactive = t.fg(s.Padding(0, 1), p.subtle)
	t.TabBadge = t.fg(s.Bold(true), p.warn)
	t.TabRule = t.fg(s, p.faint)

	t.StatusBar = t.fg(t.bg(s, p.bar), p.fg)
	t.StatusUser = t.fg(t.bg(s.Bold(true), p.bar), p.accent)
	t.StatusOK = t.fg(t.bg(s, p.bar), p.ok)
	t.StatusBad = t.fg(t.bg(s.Bold(true), p.bar), p.bad)
	t.StatusDim = t.fg(t.bg(s, p.bar), p.subtle)
	t.StatusSep = t.fg(t.bg(s, p.bar), p.faint)
	t.ToastInfo = t.fg(s, p.ok)
	t.ToastError = t.fg(s.Bold(true), p.bad)
	t.HelpKey = t.fg(s.Bold(true), p.subtle)
	t.HelpDesc = t.fg(s, p.subtle)
	t.HelpSep = t.fg(s, p.faint)

	t.Title = t.fg(s.Bold(true), p.accent)
	t.Muted = t.fg(s, p.subtle)
	if t.noColor {
		t.Muted = s
	}
	t.Strong = s.Bold(true)
	t.Error = t.fg(s.Bold(true), p.bad)
	t.Success = t.fg(s, p.ok)
	t.Warning = t.fg(s, p.warn)
	t.Accent = t.fg(s, p.accent)
	t.Cursor = t.fg(s.Bold(true), p.accent)
	t.Panel = s.Border(lipgloss.RoundedBorder()).Padding(0, 1)
	if !t.noColor {
		t.Panel = t.Panel.BorderForeground(p.faint)
	}
	t.Empty = t.fg(s.Italic(!t.noColor), p.subtle)
	t.Spinner = t.fg(s, p.accent)
	t.Selected = t.fg(s, p.fg)

	t.Label = t.fg(s, p.subtle)
	t.LabelFocused = t.fg(s.Bold(true), p.accent)
	t.Value = t.fg(s, p.fg)
	t.ValueFocused = t.fg(s.Bold(true), p.fg)
	t.Arrow = t.fg(s, p.accent)

	t.Total = t.fg(s.Bold(true), p.ok)
	t.TableHeader = t.fg(s.Bold(true).Padding(0, 1), p.subtle)
	t.TableCell = s.Padding(0, 1)
	if t.noColor {
		t.TableHighlight = s.Bold(true).Padding(0, 1)
	} else {
		t.TableHighlight = s.Bold(true).Padding(0, 1).Foreground(p.ok).Background(p.highlight)
	}
	t.TableBorder = t.fg(s, p.faint)

	t.Unread = t.fg(s.Bold(true), p.fg)
	t.Read = t.fg(s, p.subtle)
	if t.noColor {
		t.Read = s
	}
	t.PriorityHigh = t.fg(s.Bold(true), p.bad)
	t.PriorityMedium = t.fg(s, p.warn)
	t.PriorityLow = t.fg(s, p.subtle)
	if t.noColor {
		t.PriorityLow = s
	}
	t.buildBrowse(p)
	t.buildDatasets(p)
	t.buildJobs(p)
}

// buildJobs builds the styles of the Configure and Jobs screens.
func (t *Theme) buildJobs(p palette) {
	s := lipgloss.NewStyle()
	t.CompareCursor = t.RowCursor.Padding(0, 1)
	t.CompareFastest = t.fg(s.Padding(0, 1), p.accent)
	t.Unavailable = t.fg(s.Faint(t.noColor), p.faint)
	t.Custom = t.fg(s.Bold(true), p.warn)
	t.JobQueued = t.fg(s, p.subtle)
	if t.noColor {
		t.JobQueued = s
	}
	t.JobActive = t.fg(s.Bold(true), p.accent)
	t.JobCompleted = t.fg(s.Bold(true), p.ok)
	t.JobFailed = t.fg(s.Bold(true), p.bad)
	t.JobCancelled = t.fg(s, p.warn)
	t.JobNew = t.fg(s.Bold(true), p.ok)
	t.JobSimulated = t.fg(s.Bold(true), p.warn)
	if t.noColor {
		t.JobSimulated = s.Reverse(true)
	}
	t.JobBarFill = t.fg(s, p.accent)
	t.JobBarEmpty = t.fg(s, p.faint)
	t.ChartTrain = t.fg(s, p.accent)
	t.ChartVal = t.fg(s, p.ok)
	t.ChartAxis = t.fg(s, p.subtle)
	t.ChartTrainPaint, t.ChartValPaint, t.ChartAxisPaint = NewPaint(t.ChartTrain), NewPaint(t.ChartVal), NewPaint(t.ChartAxis)
	t.StrongPaint, t.LabelPaint = NewPaint(t.Strong), NewPaint(t.Label)
	t.buildCompare(p)
}

// buildDatasets builds the styles of the Datasets screen.
func (t *Theme) buildDatasets(p palette) {
	s := lipgloss.NewStyle()
	t.DatasetUploading = t.fg(s, p.accent)
	t.DatasetValidating = t.fg(s, p.warn)
	t.DatasetReady = t.fg(s.Bold(true), p.ok)
	t.DatasetFailed = t.fg(s.Bold(true), p.bad)
	t.CodeRule = t.fg(s, p.faint)
	t.Code = t.fg(s, p.fg)
	if t.noColor {
		t.Code = s
	}
	t.Dialog = s.Border(lipgloss.RoundedBorder()).Padding(0, 2)
	if !t.noColor {
		t.Dialog = t.Dialog.BorderForeground(p.bad)
	}
}

// buildBrowse builds the styles of the browse tables, the conversation
// detail and the charts.
func (t *Theme) buildBrowse(p palette) {
	s := lipgloss.NewStyle()
	if t.noColor {
		t.RowCursor = s.Reverse(true)
	} else {
		t.RowCursor = s.Bold(true).Foreground(p.fg).Background(p.bar)
	}
	t.RowMark = t.fg(s.Bold(true), p.ok)
	t.RowPending = t.fg(s.Faint(t.noColor), p.faint)
	t.SortArrow = t.fg(s.Bold(true), p.accent)
	t.FacetActive = t.fg(s.Bold(true), p.ok)

	t.UserLabel = t.fg(s.Bold(true), p.accent)
	t.UserBar = t.fg(s.Bold(true), p.accent)
	t.UserText = t.fg(s, p.fg)
	t.AssistantLabel = t.fg(s.Bold(true), p.ok)
	t.AssistantBar = t.fg(s, p.faint)
	t.AssistantText = t.fg(s, p.fg)
	if t.noColor {
		t.UserText, t.AssistantText = s, s
	}

	t.ChartBar = t.fg(s, p.accent)
	t.ChartLabel = t.fg(s, p.fg)
	t.ChartValue = t.fg(s, p.subtle)
	if t.noColor {
		t.ChartLabel, t.ChartValue = s, s
	}
}

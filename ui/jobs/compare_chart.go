package jobs

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"

	"brightrun/model"
	"brightrun/ui/components/chart"
)

// The comparison's chart is one plot of every series, each in stand-in
// characters (chart.SeriesChars) drawn back as its glyph in that job's
// style — or, without colour, in that job's mark.

// valMark draws validation points where there is colour; without, each
// job's validation points are its number.
const valMark = "•"

// plotted is one series of the chart: its columns, whose job it is and
// whether it is that job's validation loss.
type plotted struct {
	cols []float64
	job  int
	val  bool
}

// metricOf is the series of a curve the chart draws.
func (c *comparison) metricOf(cv *model.Curve) []model.CurvePoint {
	if c.lr {
		return cv.LR
	}
	return cv.Train
}

// xOf is a point's place on the x axis.
func (c *comparison) xOf(p model.CurvePoint) float64 {
	if c.axis == byEpoch {
		return p.Epoch
	}
	return float64(p.Step)
}

// xRange is the span of x over every series drawn, false when there is
// nothing to draw.
func (c *comparison) xRange() (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	span := func(ps []model.CurvePoint) {
		if len(ps) == 0 {
			return
		}
		lo, hi = min(lo, c.xOf(ps[0])), max(hi, c.xOf(ps[len(ps)-1]))
	}
	for _, cj := range c.jobs {
		span(c.metricOf(cj.Series))
		if c.val && !c.lr {
			span(cj.Series.Val)
		}
	}
	if math.IsInf(lo, 0) {
		return 0, 0, false
	}
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi, true
}

// series resamples every job's curve (and validation loss, when shown)
// onto n columns over x from lo to hi: the training series first, so the
// validation points are drawn over them.
func (c *comparison) series(n int, lo, hi float64) []plotted {
	var out []plotted
	add := func(job int, ps []model.CurvePoint, val bool) {
		if len(ps) == 0 {
			return
		}
		cols := model.Resample(n, lo, hi, len(ps), func(i int) (float64, float64, bool) {
			return c.xOf(ps[i]), ps[i].Value, true
		})
		if chart.HasValue(cols) {
			out = append(out, plotted{cols: cols, job: job, val: val})
		}
	}
	for i, cj := range c.jobs {
		add(i, c.metricOf(cj.Series), false)
	}
	if c.val && !c.lr {
		for i, cj := range c.jobs {
			add(i, cj.Series.Val, true)
		}
	}
	return out
}

// compareChart draws the chart w wide with rows rows of plot and two of x
// axis, or says why there is none.
func (m *Model) compareChart(w, rows int) []string {
	t := m.common.Theme
	c := m.cmp
	lo, hi, ok := c.xRange()
	if !ok {
		what := "a training step"
		if c.lr {
			what = "a learning rate"
		}
		msg := []string{"", t.Empty.Render("  Waiting for metrics: none of these jobs has reported " + what + " yet."),
			t.Muted.Render("  The chart starts with the first one, and follows the running jobs.")}
		if c.allFinal() {
			// Ended jobs report nothing more: there is nothing to wait for.
			msg = []string{"", t.Empty.Render("  No metrics: none of these jobs reported " + what + " before it ended."), ""}
		}
		for len(msg) < rows+2 {
			msg = append(msg, "")
		}
		return msg[:rows+2]
	}
	cols, height := max(8, w-10), max(1, rows-1)
	var lines []string
	var drawn []plotted
	for range 4 {
		// The axis labels' width and the rows the scale rounds to are
		// known once drawn: fit, then draw again.
		drawn = c.series(cols, lo, hi)
		out := m.plotOverlay(drawn, lo, hi, cols, height)
		lines = strings.Split(out, "\n")
		over, tall := chart.MaxWidth(out)-w, len(lines)-2-rows
		if (over <= 0 || cols <= 8) && (tall <= 0 || height <= 1) {
			break
		}
		if over > 0 {
			cols = max(8, cols-over)
		}
		if tall > 0 {
			height = max(1, height-tall)
		}
	}
	for i, line := range lines {
		lines[i] = m.styleOverlayLine(line, drawn)
	}
	return lines
}

// plotOverlay plots the series with their stand-in characters.
func (m *Model) plotOverlay(drawn []plotted, lo, hi float64, cols, rows int) string {
	data := make([][]float64, len(drawn))
	chars := make([]asciigraph.CharSet, len(drawn))
	for i, p := range drawn {
		data[i], chars[i] = p.cols, chart.SeriesChars(i)
	}
	xFormat := chart.StepLabel
	if m.cmp.axis == byEpoch {
		xFormat = epochLabel
	}
	return m.cmp.plotter.Plot(data, chart.Options{Height: rows, Chars: chars, YFormat: chart.AxisNumber,
		XLo: lo, XHi: hi, TickCount: max(2, min(8, cols/12)), XFormat: xFormat})
}

// styleOverlayLine draws a plotted line back: the axis and its labels in
// the axis style, each stand-in as its series' glyph in its job's style.
// Runs of one series are rendered at once, so a line costs a handful of
// renders however wide it is.
func (m *Model) styleOverlayLine(line string, drawn []plotted) string {
	t := m.common.Theme
	if strings.ContainsAny(line, "└┬") || !strings.ContainsFunc(line, chart.IsStandIn) {
		return t.ChartAxis.Render(line)
	}
	var b strings.Builder
	owner := -2 // -1: axis and blanks; ≥ 0: a series
	var run strings.Builder
	flush := func() {
		if run.Len() == 0 {
			return
		}
		s := run.String()
		switch {
		case owner < 0:
			b.WriteString(chart.Styled(t.ChartAxis, s))
		default:
			b.WriteString(m.seriesStyle(drawn[owner].job).Render(s))
		}
		run.Reset()
	}
	for len(line) > 0 {
		r, size := utf8.DecodeRuneInString(line)
		line = line[size:]
		who, glyph := -1, string(r)
		if s, g, ok := chart.StandIn(r); ok {
			who, glyph = s, m.glyph(drawn[s], g)
		}
		if who != owner {
			flush()
			owner = who
		}
		run.WriteString(glyph)
	}
	flush()
	return b.String()
}

// glyph is what a series draws for line glyph g: the line itself, a
// validation point, or, without colour, its job's mark (the first job
// keeps the line) and, for validation, its job's number.
func (m *Model) glyph(p plotted, g int) string {
	marks := m.common.Theme.SeriesMarks
	switch {
	case p.val && m.common.Theme.NoColor():
		return strconv.Itoa(p.job + 1)
	case p.val:
		return valMark
	case p.job < len(marks) && marks[p.job] != "":
		return marks[p.job]
	}
	return chart.LineGlyphs[g]
}

// seriesStyle is job i's style.
func (m *Model) seriesStyle(i int) lipgloss.Style {
	s := m.common.Theme.Series
	if len(s) == 0 {
		return lipgloss.NewStyle()
	}
	return s[i%len(s)]
}

// seriesSwatch is the sample of job i's line the legend shows.
func (m *Model) seriesSwatch(i int) string {
	marks := m.common.Theme.SeriesMarks
	if i < len(marks) && marks[i] != "" {
		return strings.Repeat(marks[i], 2)
	}
	return "──"
}

// legend names each job by dataset and preset, in its style, flowed over
// as many lines of w as it takes; a job without points yet says so.
func (m *Model) compareLegend(w int) []string {
	t := m.common.Theme
	c := m.cmp
	var items []string
	same := map[string]int{}
	for _, cj := range c.jobs {
		same[dataset(cj.DatasetName)+"\x00"+cj.Preset]++
	}
	for i, cj := range c.jobs {
		name := fitCell(dataset(cj.DatasetName), 24, false)
		name = strings.TrimRight(name, " ")
		text := m.seriesStyle(i).Render(m.seriesSwatch(i)+" "+strconv.Itoa(i+1)) + " " + name + t.Muted.Render(" · "+cj.Preset)
		if same[dataset(cj.DatasetName)+"\x00"+cj.Preset] > 1 {
			// Two runs of one dataset and preset: their names tell them apart.
			text += t.Muted.Render(" (" + strings.TrimRight(fitCell(cj.Name, 20, false), " ") + ")")
		}
		if len(c.metricOf(cj.Series)) == 0 {
			text += t.Muted.Render(" (" + noMetrics(cj.Status) + ")")
		}
		items = append(items, text)
	}
	if c.val && !c.lr {
		note := valMark + valMark + " validation loss"
		if t.NoColor() {
			note = "1 2 … validation loss of job 1, 2 …"
		}
		items = append(items, t.Muted.Render(note))
	}
	var lines []string
	line := ""
	for _, it := range items {
		switch {
		case line == "":
			line = it
		case lipgloss.Width(line)+3+lipgloss.Width(it) <= w:
			line += "   " + it
		default:
			lines = append(lines, line)
			line = it
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "…")
	}
	return lines
}

// noMetrics is what the legend says of a job without points: a job still
// to run or running waits for them; one that ended will never have any.
func noMetrics(st model.JobStatus) string {
	if st.Final() {
		return "no metrics, " + string(st)
	}
	return "waiting for metrics"
}

// allFinal reports whether every job compared has ended.
func (c *comparison) allFinal() bool {
	for _, cj := range c.jobs {
		if !cj.Status.Final() {
			return false
		}
	}
	return true
}

// dataset is a dataset's name, or says it was deleted.
func dataset(name string) string {
	if name == "" {
		return "(deleted)"
	}
	return name
}

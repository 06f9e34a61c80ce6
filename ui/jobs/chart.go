package jobs

import (
	"math"
	"strconv"
	"strings"

	"github.com/guptarohit/asciigraph"

	"brightrun/model"
	"brightrun/ui/components/chart"
)

// chartKind is one of the curves the job view can draw: the training
// series and, for the loss, the validation series overlaid.
type chartKind struct {
	name  string // in the toggle
	label string // in the legend
	get   func(model.MetricPoint) *float64
	val   bool // overlay the validation loss
}

// charts are the curves c cycles through, the loss first.
var charts = []chartKind{
	{name: "loss", label: "training loss", get: func(p model.MetricPoint) *float64 { return p.TrainLoss }, val: true},
	{name: "lr", label: "learning rate", get: func(p model.MetricPoint) *float64 { return p.LearningRate }},
	{name: "grad norm", label: "grad norm", get: func(p model.MetricPoint) *float64 { return p.GradNorm }},
	{name: "throughput", label: "tokens/s", get: func(p model.MetricPoint) *float64 { return p.TokensPerSec }},
}

// valChar draws the validation series, so it reads apart from the
// training series without colour.
const valChar = "•"

// chartLines draws the chosen chart w wide with h rows of plot (plus two
// for the step axis), or says why there is none.
func (m *Model) chartLines(w, h int) []string {
	t := m.common.Theme
	l := m.live
	k := charts[l.chart]
	first, last, ok := xRange(l, k)
	if !ok {
		return []string{t.Muted.Render("  No metrics yet: the curve starts with the first training step.")}
	}
	cols := max(8, w-10)
	var out string
	for range 3 { // the axis labels' width is known once drawn: fit, then draw again
		out = plot(l, k, first, last, cols, h)
		over := chart.MaxWidth(out) - w
		if over <= 0 || cols <= 8 {
			break
		}
		cols = max(8, cols-over)
	}
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		lines[i] = m.styleChartLine(chart.TruncatePlain(line, w))
	}
	return lines
}

// xOf is a point's place on the x axis the view shows.
func (l *live) xOf(p model.MetricPoint) float64 {
	if l.axis == byEpoch {
		return p.Epoch
	}
	return float64(p.Step)
}

// xRange is the span of x the chart covers (steps or epochs), false
// when there is nothing to draw.
func xRange(l *live, k chartKind) (first, last float64, ok bool) {
	first, last = math.Inf(1), math.Inf(-1)
	span := func(ps []model.MetricPoint, get func(model.MetricPoint) *float64) {
		for _, p := range ps {
			if get(p) != nil {
				first, last = min(first, l.xOf(p)), max(last, l.xOf(p))
			}
		}
	}
	span(l.train, k.get)
	if math.IsInf(last, -1) {
		return 0, 0, false
	}
	if k.val {
		span(l.val, func(p model.MetricPoint) *float64 { return p.ValLoss })
	}
	return first, last, true
}

// plot draws the series, downsampled to cols columns, with the value and
// the step (or epoch) axes.
func plot(l *live, k chartKind, first, last float64, cols, h int) string {
	series := [][]float64{columns(l, l.train, k.get, first, last, cols)}
	chars := []asciigraph.CharSet{asciigraph.DefaultCharSet}
	if k.val {
		if v := columns(l, l.val, func(p model.MetricPoint) *float64 { return p.ValLoss }, first, last, cols); chart.HasValue(v) {
			series = append(series, v)
			chars = append(chars, asciigraph.CreateCharSet(valChar))
		}
	}
	hi, xFormat := max(last, first+1), chart.StepLabel
	if l.axis == byEpoch {
		hi, xFormat = max(last, first+0.1), epochLabel
	}
	return l.plotter.Plot(series, chart.Options{Height: h, Chars: chars, YFormat: chart.AxisNumber,
		XLo: first, XHi: hi, TickCount: max(2, min(6, cols/12)), XFormat: xFormat})
}

// epochLabel is an epoch axis label, to a tenth.
func epochLabel(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// columns downsamples a series to n columns over x from first to last
// (see model.Resample): NaN where nothing is drawn.
func columns(l *live, ps []model.MetricPoint, get func(model.MetricPoint) *float64, first, last float64, n int) []float64 {
	return model.Resample(n, first, last, len(ps), func(i int) (float64, float64, bool) {
		v := get(ps[i])
		if v == nil {
			return 0, 0, false
		}
		return l.xOf(ps[i]), *v, true
	})
}

// styleChartLine colours a line of the plot: the labels and the axis up
// to it, the validation points, and the training line.
func (m *Model) styleChartLine(line string) string {
	t := m.common.Theme
	axisEnd := strings.IndexAny(line, "┤┼")
	if axisEnd < 0 || strings.Contains(line, "└") {
		return t.ChartAxisPaint.Render(line)
	}
	_, size := firstRune(line[axisEnd:])
	var b strings.Builder
	b.Grow(len(line) + 64)
	b.WriteString(t.ChartAxisPaint.Render(line[:axisEnd+size]))
	rest := line[axisEnd+size:]
	for rest != "" {
		i := strings.Index(rest, valChar)
		if i < 0 {
			b.WriteString(chart.Painted(t.ChartTrainPaint, rest))
			break
		}
		b.WriteString(chart.Painted(t.ChartTrainPaint, rest[:i]))
		n := len(rest[i:]) - len(strings.TrimLeft(rest[i:], valChar))
		b.WriteString(t.ChartValPaint.Render(rest[i : i+n]))
		rest = rest[i+n:]
	}
	return b.String()
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// legend names the series drawn, in their styles.
func (m *Model) legend() string {
	t := m.common.Theme
	k := charts[m.live.chart]
	s := t.ChartTrain.Render("──") + " " + k.label
	if k.val && len(m.live.val) > 0 {
		s += "   " + t.ChartVal.Render(valChar+valChar) + " validation loss"
	}
	return s
}

// styled is chart.Styled, for the list's cells that colour the same way.
var styled = chart.Styled

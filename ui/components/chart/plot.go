// Package chart draws the line charts of the job view and the comparison:
// the plotter (asciigraph's text, allocation-light), its axis labels, and
// the stand-in characters that let a plot of many series be coloured back
// per series.
package chart

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/guptarohit/asciigraph"
)

// Plotter draws what asciigraph.PlotMany draws for the options the charts
// use (a height, a character set per series, value and step formatters,
// a step range and a tick count; no colours, no caption, no legend), the
// same text to the byte (plot_test.go holds it to that), into a grid it
// keeps from one frame to the next. A running job's chart is drawn again
// at every metric point in every session that shows it, and PlotMany
// builds a grid of cells and copies of the data each time, the largest
// garbage of a frame.
type Plotter struct {
	grid   []string // rows × width cells, each the text of one cell
	labels []string
	ticks  []plotTick
	line   []rune
	out    strings.Builder
}

type plotTick struct {
	col   int
	value float64
	label string
}

// Options are the options of a plot, as asciigraph's of the same names.
type Options struct {
	Height    int
	Chars     []asciigraph.CharSet
	YFormat   func(float64) string
	XLo, XHi  float64
	TickCount int
	XFormat   func(float64) string
}

const plotOffset = 3 // asciigraph's default: the axis is its third column

func (p *Plotter) Plot(data [][]float64, o Options) string {
	lenMax := 0
	for _, s := range data {
		lenMax = max(lenMax, len(s))
	}
	if lenMax == 0 {
		return ""
	}
	minimum, maximum := math.Inf(1), math.Inf(-1)
	for _, s := range data {
		for _, v := range s {
			if v < minimum {
				minimum = v
			}
			if v > maximum {
				maximum = v
			}
		}
	}
	if math.IsInf(minimum, 0) || math.IsInf(maximum, 0) {
		return "" // nothing but gaps
	}
	interval := math.Abs(maximum - minimum)
	height := o.Height
	if height <= 0 {
		height = plotHeight(interval)
	}
	ratio := 1.0
	if interval != 0 {
		ratio = float64(height) / interval
	}
	min2, max2 := plotRound(minimum*ratio), plotRound(maximum*ratio)
	intmin2, intmax2 := int(min2), int(max2)
	rows := intmax2 - intmin2
	if rows < 0 {
		rows = -rows
	}
	width := lenMax + plotOffset

	n := (rows + 1) * width
	if cap(p.grid) < n {
		p.grid = make([]string, n)
	}
	p.grid = p.grid[:n]
	for i := range p.grid {
		p.grid[i] = " "
	}
	cell := func(row, col int) *string { return &p.grid[row*width+col] }

	// The value axis: labels right-aligned to the widest.
	labelWidth := 0
	magnitude := func(y int) float64 {
		switch {
		case rows > 0 && interval > 0:
			return maximum - (float64(y-intmin2) * interval / float64(rows))
		case interval == 0:
			return minimum
		}
		return float64(y)
	}
	p.labels = p.labels[:0]
	for y := intmin2; y < intmax2+1; y++ {
		val := o.YFormat(magnitude(y))
		p.labels = append(p.labels, val)
		labelWidth = max(labelWidth, utf8.RuneCountInString(val))
	}
	leftPad := plotOffset + labelWidth
	for row, val := range p.labels {
		label := strings.Repeat(" ", labelWidth+1-utf8.RuneCountInString(val)) + val
		h := max(plotOffset-utf8.RuneCountInString(label), 0)
		*cell(row, h) = label
		*cell(row, plotOffset-1) = "┤"
	}

	for i, series := range data {
		cs := asciigraph.DefaultCharSet
		if i < len(o.Chars) {
			cs = withDefaults(o.Chars[i])
		}
		if len(series) == 0 {
			continue
		}
		if !math.IsNaN(series[0]) {
			y0 := int(plotRound(series[0]*ratio) - min2)
			*cell(rows-y0, plotOffset-1) = "┼"
		}
		for x := 0; x < len(series)-1; x++ {
			d0, d1 := series[x], series[x+1]
			switch {
			case math.IsNaN(d0) && math.IsNaN(d1):
				continue
			case math.IsNaN(d1):
				y0 := int(plotRound(d0*ratio) - float64(intmin2))
				*cell(rows-y0, x+plotOffset) = cs.EndCap
				continue
			case math.IsNaN(d0):
				y1 := int(plotRound(d1*ratio) - float64(intmin2))
				*cell(rows-y1, x+plotOffset) = cs.StartCap
				continue
			}
			y0 := int(plotRound(d0*ratio) - float64(intmin2))
			y1 := int(plotRound(d1*ratio) - float64(intmin2))
			if y0 == y1 {
				*cell(rows-y0, x+plotOffset) = cs.Horizontal
				continue
			}
			if y0 > y1 {
				*cell(rows-y1, x+plotOffset) = cs.ArcUpRight
				*cell(rows-y0, x+plotOffset) = cs.ArcDownLeft
			} else {
				*cell(rows-y1, x+plotOffset) = cs.ArcDownRight
				*cell(rows-y0, x+plotOffset) = cs.ArcUpLeft
			}
			for y := min(y0, y1) + 1; y < max(y0, y1); y++ {
				*cell(rows-y, x+plotOffset) = cs.VerticalLine
			}
		}
	}

	out := &p.out
	out.Reset()
	out.Grow(n * 3)
	for row := 0; row <= rows; row++ {
		if row != 0 {
			out.WriteByte('\n')
		}
		cells := p.grid[row*width : (row+1)*width]
		last := 0 // trailing blank cells are left out
		for i := width - 1; i >= 0; i-- {
			if cells[i] != " " {
				last = i
				break
			}
		}
		for _, c := range cells[:last+1] {
			out.WriteString(c)
		}
	}
	p.xAxis(lenMax, leftPad, o)
	return out.String()
}

// xAxis is asciigraph's step axis: a rule with a tick mark per label, and
// the labels centred under them, any that would touch the one before
// left out.
func (p *Plotter) xAxis(lenMax, leftPad int, o Options) {
	tickCount := o.TickCount
	if lenMax == 1 {
		tickCount = 1
	} else if tickCount < 2 {
		tickCount = 5
	}
	tickCount = min(tickCount, lenMax)
	p.ticks = p.ticks[:0]
	for i := range tickCount {
		t := plotTick{value: o.XLo}
		if tickCount > 1 {
			t.value = o.XLo + float64(i)/float64(tickCount-1)*(o.XHi-o.XLo)
			t.col = int(math.Round(float64(lenMax-1) * float64(i) / float64(tickCount-1)))
		}
		t.label = o.XFormat(t.value)
		p.ticks = append(p.ticks, t)
	}

	total := leftPad + lenMax
	line := p.runes(total)
	line[leftPad-1] = '└'
	for i := range lenMax {
		line[leftPad+i] = '─'
	}
	for _, t := range p.ticks {
		line[leftPad+t.col] = '┬'
	}
	p.out.WriteByte('\n')
	p.out.WriteString(strings.TrimRight(string(line), " "))

	extent := total
	for _, t := range p.ticks {
		n := utf8.RuneCountInString(t.label)
		extent = max(extent, leftPad+t.col+(n-n/2))
	}
	line = p.runes(extent)
	lastEnd := -1
	for _, t := range p.ticks {
		n := utf8.RuneCountInString(t.label)
		start := max(leftPad+t.col-n/2, 0)
		if start <= lastEnd {
			continue
		}
		j := start
		for _, r := range t.label {
			if j < len(line) {
				line[j] = r
			}
			j++
		}
		lastEnd = start + n
	}
	if labels := strings.TrimRight(string(line), " "); labels != "" {
		p.out.WriteByte('\n')
		p.out.WriteString(labels)
	}
}

// runes is a line of n spaces, in the plotter's own buffer.
func (p *Plotter) runes(n int) []rune {
	if cap(p.line) < n {
		p.line = make([]rune, n)
	}
	p.line = p.line[:n]
	for i := range p.line {
		p.line[i] = ' '
	}
	return p.line
}

// withDefaults fills what a character set leaves empty, as asciigraph does.
func withDefaults(cs asciigraph.CharSet) asciigraph.CharSet {
	d := asciigraph.DefaultCharSet
	for _, f := range []struct {
		v *string
		d string
	}{
		{&cs.Horizontal, d.Horizontal}, {&cs.VerticalLine, d.VerticalLine},
		{&cs.ArcDownRight, d.ArcDownRight}, {&cs.ArcDownLeft, d.ArcDownLeft},
		{&cs.ArcUpRight, d.ArcUpRight}, {&cs.ArcUpLeft, d.ArcUpLeft},
		{&cs.EndCap, d.EndCap}, {&cs.StartCap, d.StartCap},
		{&cs.UpRight, d.UpRight}, {&cs.DownHorizontal, d.DownHorizontal},
	} {
		if *f.v == "" {
			*f.v = f.d
		}
	}
	return cs
}

// plotRound rounds half away from zero, as asciigraph does.
func plotRound(v float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	if v < 0 {
		return -plotRound(-v)
	}
	if _, frac := math.Modf(v); frac >= 0.5 {
		return math.Ceil(v)
	}
	return math.Floor(v)
}

// plotHeight is asciigraph's height for a plot given none.
func plotHeight(interval float64) int {
	if interval >= 1 {
		return int(interval)
	}
	scaled := interval / math.Pow(10, math.Floor(math.Log10(interval)))
	if scaled < 2 {
		return int(math.Ceil(scaled))
	}
	return int(math.Floor(scaled))
}

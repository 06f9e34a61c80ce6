package chart

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/guptarohit/asciigraph"
)

// TestPlotterDrawsAsAsciigraph holds the plotter to asciigraph's text for
// the charts' options, over curves of every shape: falling losses, flat
// lines, gaps, negative and tiny values, one column, two series.
func TestPlotterDrawsAsAsciigraph(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	xFormat := StepLabel
	var p Plotter
	for i := range 600 {
		cols := 1 + rng.IntN(120)
		height := 1 + rng.IntN(24)
		nSeries := 1 + rng.IntN(3)
		data := make([][]float64, nSeries)
		for s := range data {
			data[s] = curve(rng, cols, i%7)
		}
		if !HasValue(data[0]) {
			data[0][rng.IntN(cols)] = 1
		}
		chars := []asciigraph.CharSet{asciigraph.DefaultCharSet, asciigraph.CreateCharSet(valChar), SeriesChars(2)}[:nSeries]
		lo := float64(rng.IntN(1000))
		hi := lo + float64(rng.IntN(50000))
		ticks := rng.IntN(9)
		want := asciigraph.PlotMany(data,
			asciigraph.Height(height),
			asciigraph.SeriesChars(chars...),
			asciigraph.YAxisValueFormatter(AxisNumber),
			asciigraph.XAxisRange(lo, hi),
			asciigraph.XAxisTickCount(ticks),
			asciigraph.XAxisValueFormatter(xFormat),
		)
		got := p.Plot(data, Options{Height: height, Chars: chars, YFormat: AxisNumber,
			XLo: lo, XHi: hi, TickCount: ticks, XFormat: xFormat})
		if got != want {
			t.Fatalf("case %d (%d columns, height %d, %d series, kind %d): plotter drew\n%s\nasciigraph\n%s\ndata %v",
				i, cols, height, nSeries, i%7, got, want, data)
		}
	}
}

// valChar is the job view's validation point.
const valChar = "•"

// curve is a series of n columns of the given kind.
func curve(rng *rand.Rand, n, kind int) []float64 {
	v := make([]float64, n)
	for i := range v {
		x := float64(i) / float64(max(1, n-1))
		switch kind {
		case 0: // a loss falling with noise
			v[i] = 2.5*math.Exp(-3*x) + 0.3 + rng.Float64()*0.05
		case 1: // flat
			v[i] = 0.42
		case 2: // gaps
			if rng.IntN(3) == 0 {
				v[i] = math.NaN()
			} else {
				v[i] = rng.Float64() * 3
			}
		case 3: // around zero
			v[i] = math.Sin(x*9) * 0.8
		case 4: // tiny, as a learning rate
			v[i] = 2e-4 * (1 - x)
		case 5: // large, as tokens a second
			v[i] = 12000 + rng.Float64()*4000
		default: // sparse, as validation points
			v[i] = math.NaN()
			if i%17 == 5 {
				v[i] = 1 + rng.Float64()
			}
		}
	}
	return v
}

func BenchmarkPlot(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := [][]float64{curve(rng, 110, 0), curve(rng, 110, 6)}
	chars := []asciigraph.CharSet{asciigraph.DefaultCharSet, asciigraph.CreateCharSet(valChar)}
	xFormat := func(v float64) string { return fmt.Sprint(int(v)) }
	b.Run("plotter", func(b *testing.B) {
		var p Plotter
		for b.Loop() {
			p.Plot(data, Options{Height: 18, Chars: chars, YFormat: AxisNumber, XLo: 0, XHi: 5000, TickCount: 6, XFormat: xFormat})
		}
	})
	b.Run("asciigraph", func(b *testing.B) {
		for b.Loop() {
			asciigraph.PlotMany(data, asciigraph.Height(18), asciigraph.SeriesChars(chars...), asciigraph.YAxisValueFormatter(AxisNumber),
				asciigraph.XAxisRange(0, 5000), asciigraph.XAxisTickCount(6), asciigraph.XAxisValueFormatter(xFormat))
		}
	})
}

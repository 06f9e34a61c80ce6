package comparison

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/charmbracelet/x/ansi"

	"brightrun/assets"
	"brightrun/model"
	"brightrun/ui/theme"
)

func estimates(t *testing.T, counts ...int) []model.Estimate {
	t.Helper()
	cat, err := model.ParseCatalog(assets.GPUCatalog)
	if err != nil {
		t.Fatal(err)
	}
	var out []model.Estimate
	for _, n := range counts {
		e, err := cat.Compare(1000, 13_268_572, n, model.HyperOverrides{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e...)
	}
	return out
}

// TestRenderMatchesLipglossTable holds Render to its promise: for the rows
// it is given, what Lip Gloss's table draws, byte for byte, in both themes.
func TestRenderMatchesLipglossTable(t *testing.T) {
	rows := estimates(t, 2)
	cols := []Column{Mark, Preset, GPU, Count, Cost, Time, CostPerEpoch, Rate, Steps}
	for _, noColor := range []bool{true, false} {
		th := theme.New(noColor)
		cheapest, fastest := Best(rows)
		tb := Table{Theme: th, Columns: cols, Rows: rows, Cheapest: cheapest, Fastest: fastest, Cursor: 5, SortBy: Cost}
		cells := make([][]string, len(rows))
		for i, e := range rows {
			for _, c := range cols {
				if c == Mark {
					cells[i] = append(cells[i], tb.mark(i))
				} else {
					cells[i] = append(cells[i], c.Cell(e))
				}
			}
		}
		want := table.New().Border(lipgloss.RoundedBorder()).BorderStyle(th.TableBorder).
			Headers(tb.headers()...).Rows(cells...).
			StyleFunc(func(row, col int) lipgloss.Style {
				if row == table.HeaderRow {
					return tb.align(th.TableHeader, col)
				}
				st, _ := tb.rowStyle(row)
				return tb.align(st, col)
			}).Render()
		if got := tb.Render(); got != want {
			t.Errorf("noColor %v: differs from lipgloss:\n%s\nwant\n%s", noColor, got, want)
		}
	}
}

func TestBestAndSort(t *testing.T) {
	rows := estimates(t, 1)
	cheapest, fastest := Best(rows)
	if rows[cheapest].Preset != "fast" || rows[cheapest].GPUConfig.Type != "V100-32GB" || rows[cheapest].EstimatedCost != 7.65 {
		t.Errorf("cheapest %+v", rows[cheapest])
	}
	if rows[fastest].GPUConfig.Type != "H100" || rows[fastest].Preset != "fast" {
		t.Errorf("fastest %+v", rows[fastest])
	}
	Sort(rows, CostPerEpoch, false)
	for i := 1; i < len(rows); i++ {
		if PerEpoch(rows[i]) < PerEpoch(rows[i-1]) {
			t.Fatalf("not sorted by cost per epoch at %d", i)
		}
	}
	Sort(rows, Time, true)
	if rows[0].EstimatedDurationHours != 16.02 {
		t.Errorf("slowest first: %v", rows[0].EstimatedDurationHours)
	}
	if c, f := Best(nil); c != -1 || f != -1 {
		t.Error("Best of no rows")
	}
}

func TestWindow(t *testing.T) {
	rows := estimates(t, 1, 2, 3, 4, 5, 6, 7, 8)
	const height = 20 // 16 rows of room
	if v := Visible(height, 0, 96); v != 15 {
		t.Errorf("visible %d, want 15 and the … line", v)
	}
	if v := Visible(height, 80, 96); v != 16 {
		t.Errorf("visible at the end %d", v)
	}
	off := 0
	for cursor := range 96 {
		off = ScrollTo(height, off, cursor, 96)
		if cursor < off || cursor >= off+Visible(height, off, 96) {
			t.Fatalf("cursor %d out of the window at %d", cursor, off)
		}
	}
	tb := Table{Theme: theme.New(true), Columns: []Column{Mark, Preset, GPU, Count, Cost}, Rows: rows,
		Cheapest: -1, Fastest: -1, Cursor: -1, Height: height, Offset: 10}
	out := tb.Render()
	if n := strings.Count(out, "\n") + 1; n != height {
		t.Errorf("%d lines, want %d", n, height)
	}
	if !strings.Contains(ansi.Strip(out), "│ … │") {
		t.Errorf("no … line:\n%s", out)
	}
}

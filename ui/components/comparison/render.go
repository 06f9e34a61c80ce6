package comparison

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Render draws the table with rounded borders, numbers right-aligned, the
// cheapest row highlighted, the fastest in its own style, and the cursor
// row over both. It draws what Lip Gloss's table would for single-line
// cells, byte for byte, but it sizes the columns from every row (so they
// do not shift while scrolling) and styles only the rows that need a
// style: an operator scrolls 96 rows at every keystroke, and the general
// table spends milliseconds measuring and styling each cell.
func (t Table) Render() string {
	th := t.Theme
	n := len(t.Rows)
	cells := make([][]string, n)
	widths := make([]int, len(t.Columns))
	hdr := t.headers()
	for j, h := range hdr {
		widths[j] = width(h)
	}
	for i, e := range t.Rows {
		row := make([]string, len(t.Columns))
		for j, c := range t.Columns {
			if c == Mark {
				row[j] = t.mark(i)
			} else {
				row[j] = c.Cell(e)
			}
			widths[j] = max(widths[j], width(row[j]))
		}
		cells[i] = row
	}
	for j := range widths {
		widths[j] += 2 // the cells' padding
	}

	b := borders(th.TableBorder)
	var out strings.Builder
	rule := func(left, mid, right string) {
		out.WriteString(b.render(left))
		for j, w := range widths {
			if j > 0 {
				out.WriteString(b.render(mid))
			}
			out.WriteString(b.render(strings.Repeat("─", w)))
		}
		out.WriteString(b.render(right))
	}
	line := func(texts []string, style func(j int) (lipgloss.Style, bool)) {
		out.WriteByte('\n')
		out.WriteString(b.bar)
		for j, text := range texts {
			if j > 0 {
				out.WriteString(b.bar)
			}
			st, styled := style(j)
			if styled {
				out.WriteString(st.Width(widths[j]).Render(text))
				continue
			}
			pad := strings.Repeat(" ", widths[j]-2-width(text))
			if t.Columns[j].numeric() {
				out.WriteString(" " + pad + text + " ")
			} else {
				out.WriteString(" " + text + pad + " ")
			}
		}
		out.WriteString(b.bar)
	}

	rule("╭", "┬", "╮")
	line(hdr, func(j int) (lipgloss.Style, bool) { return t.align(th.TableHeader, j), true })
	out.WriteByte('\n')
	rule("├", "┼", "┤")

	from, to := 0, n
	if t.Height > 0 {
		from = max(0, min(t.Offset, n))
		to = from + Visible(t.Height, from, n)
	}
	for i := from; i < to; i++ {
		line(cells[i], func(j int) (lipgloss.Style, bool) {
			st, styled := t.rowStyle(i)
			return t.align(st, j), styled
		})
	}
	if to < n {
		more := make([]string, len(t.Columns))
		for j := range more {
			more[j] = "…"
		}
		line(more, func(int) (lipgloss.Style, bool) { return lipgloss.Style{}, false })
	}
	out.WriteByte('\n')
	rule("╰", "┴", "╯")
	return out.String()
}

// headers are the column headings, the sorted one with its arrow.
func (t Table) headers() []string {
	hdr := make([]string, len(t.Columns))
	for j, c := range t.Columns {
		hdr[j] = c.Header()
		if c == t.SortBy && c >= Cost && c <= CostPerEpoch {
			arrow := "▲"
			if t.Desc {
				arrow = "▼"
			}
			hdr[j] += " " + arrow
		}
	}
	return hdr
}

// rowStyle is the style of row i's cells, and whether it is more than the
// plain padding of an ordinary row.
func (t Table) rowStyle(i int) (lipgloss.Style, bool) {
	th := t.Theme
	switch i {
	case t.Cursor:
		return th.CompareCursor, true
	case t.Cheapest:
		return th.TableHighlight, true
	case t.Fastest:
		return th.CompareFastest, true
	}
	return th.TableCell, false
}

// align right-aligns the numeric columns.
func (t Table) align(s lipgloss.Style, j int) lipgloss.Style {
	if t.Columns[j].numeric() {
		return s.Align(lipgloss.Right)
	}
	return s
}

// border holds the border pieces rendered once per table.
type border struct {
	style lipgloss.Style
	bar   string
	cache map[string]string
}

func borders(style lipgloss.Style) *border {
	return &border{style: style, bar: style.Render("│"), cache: map[string]string{}}
}

func (b *border) render(s string) string {
	if r, ok := b.cache[s]; ok {
		return r
	}
	r := b.style.Render(s)
	b.cache[s] = r
	return r
}

// width is a cell's width on screen, quick for plain ASCII.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

package costs

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/components/barchart"
	"brightrun/ui/components/listscreen"
	"brightrun/ui/format"
)

// View draws the header, then the chart by day and the costliest jobs, or
// what stands in their place.
func (m *Model) View() string { return m.common.Fit(m.view) }

func (m *Model) view() string {
	w, h := m.common.Width, m.common.Height
	p := listscreen.Placeholder{Theme: m.common.Theme, Width: w, Height: h - 2}
	var body string
	switch {
	case !m.loaded && m.loadErr != nil:
		body = p.Failed("costs", m.loadErr)
	case !m.loaded:
		body = p.Loading(m.spinner.View(), "costs")
	case len(m.report.Rows) == 0:
		body = p.Empty("No costs recorded in "+m.month.String(), "A job's cost is recorded when it ends; ←/→ change the month.")
	default:
		body = m.chart(w) + "\n\n" + m.topJobs(w)
	}
	return m.header() + "\n\n" + body
}

// header names the month, whose costs they are and the month's totals.
func (m *Model) header() string {
	t := m.common.Theme
	left := t.Title.Render("Costs") + "  " + t.Strong.Render(m.month.String())
	if m.loaded {
		whose := "yours"
		if m.report.AllUsers {
			whose = "every operator"
		}
		tot := m.report.Total
		left += "  " + t.Muted.Render(fmt.Sprintf("%s · %s total (compute %s + storage %s) · %.2f GPU hours · %d jobs", whose,
			format.Money(tot.Total), format.Money(tot.Compute), format.Money(tot.Storage), tot.GPUHours, tot.Jobs))
	}
	right := ""
	if m.loading && m.loaded {
		right = m.spinner.View() + " " + t.Muted.Render("reloading")
	}
	return listscreen.HeaderLine(m.common.Width, left, right)
}

// chart is the month's total by day, one bar a day with costs.
func (m *Model) chart(w int) string {
	c := barchart.New(m.common.Theme, "By day", min(w, 72))
	c.Format = format.Money
	for _, r := range m.report.Rows {
		c.Bars = append(c.Bars, barchart.Bar{Label: strings.TrimPrefix(r.Key, m.month.String()+"-"), Value: r.Total})
	}
	c.MaxBars = max(1, m.common.Height-8-len(m.report.TopJobs))
	return c.View()
}

// topJobs lists the costliest jobs of the month.
func (m *Model) topJobs(w int) string {
	t := m.common.Theme
	lines := []string{t.Strong.Render("Costliest jobs")}
	for _, j := range m.report.TopJobs {
		line := fmt.Sprintf("%10s  %-12s  %s", format.Money(j.Total), ansi.Truncate(j.User, 12, "…"), j.Name)
		lines = append(lines, ansi.Truncate(line, w, "…"))
	}
	return lipgloss.JoinVertical(lipgloss.Left, lines...)
}

// Package estimatepanel draws the bordered result of a cost estimate: the
// total and its breakdown, the duration, the hourly rate, the step counts,
// the throughput and the effective hyperparameters; or, while the form has
// problems, what stands in the way of an estimate. The Estimate calculator
// and the Configure screen show the same panel, so a figure reads the same
// wherever it is priced.
package estimatepanel

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/format"
	"brightrun/ui/theme"
)

// Result draws the panel for an estimate, width cells wide, with subtitle
// (what was priced, e.g. "balanced · 2 × A100-80GB") under its title.
func Result(t *theme.Theme, width int, r model.Estimate, subtitle string) string {
	inner := width - 4 // border and padding
	kv := func(label, value string, st lipgloss.Style) string {
		gap := max(1, inner-lipgloss.Width(label)-lipgloss.Width(value))
		return t.Label.Render(label) + strings.Repeat(" ", gap) + st.Render(value)
	}
	lines := []string{
		t.Title.Render("Estimate"),
		t.Muted.Render(ansi.Truncate(subtitle, inner, "…")),
		kv("Total cost", format.Money(r.EstimatedCost), t.Total),
		kv("  compute", format.Money(r.CostBreakdown.Compute), t.Value),
		kv("  storage", format.Money(r.CostBreakdown.Storage), t.Value),
		kv("Duration", format.Hours(r.EstimatedDurationHours), t.Value),
		kv("Hourly rate", format.Rate(r.HourlyRate), t.Value),
		kv("Steps/epoch", format.Thousands(int64(r.TrainingDetails.StepsPerEpoch)), t.Value),
		kv("Total steps", format.Thousands(int64(r.TrainingDetails.TotalSteps)), t.Value),
		kv("Throughput", format.Thousands(int64(r.TrainingDetails.EstimatedThroughputTokensPerSec))+" tok/s", t.Value),
		"",
		t.Strong.Render("Hyperparameters"),
	}
	lines = append(lines, WrapJoin(Hyperparameters(r.Hyperparameters), " · ", inner)...)
	return t.Panel.Width(width).Render(strings.Join(lines, "\n"))
}

// Hyperparameters lists the values a run trains with, one short item each
// ("lr 5e-05", "batch 4"), for a line that wraps between items.
func Hyperparameters(h model.Hyperparameters) []string {
	return []string{
		"lr " + format.Float(h.LearningRate), fmt.Sprintf("batch %d", h.BatchSize),
		fmt.Sprintf("epochs %d", h.Epochs), fmt.Sprintf("rank %d", h.Rank),
		fmt.Sprintf("alpha %d", h.Alpha), "dropout " + format.Float(h.Dropout),
	}
}

// Blocked draws the panel in place of a result: the count of marked fields
// (their problems show under them in the form) and the problems that
// belong to no field, spelled out.
func Blocked(t *theme.Theme, width, marked int, other []string) string {
	inner := width - 4
	lines := []string{t.Title.Render("Estimate"), "", t.Error.Render("✗ No estimate yet")}
	if marked > 0 {
		lines = append(lines, t.Muted.Render(fmt.Sprintf("Fix the %d marked field%s.", marked, Plural(marked))))
	}
	wrap := lipgloss.NewStyle().Width(inner - 2)
	for _, msg := range other {
		lines = append(lines, Bullet(wrap.Render(msg)))
	}
	return t.Panel.Width(width).Render(strings.Join(lines, "\n"))
}

// Bullet prefixes a wrapped paragraph with "• " and indents the rest.
func Bullet(s string) string {
	parts := strings.Split(s, "\n")
	for i := range parts {
		if i == 0 {
			parts[i] = "• " + parts[i]
		} else {
			parts[i] = "  " + parts[i]
		}
	}
	return strings.Join(parts, "\n")
}

// WrapJoin joins items with sep, breaking lines between items, never inside
// one, so "epochs 3" is never split.
func WrapJoin(items []string, sep string, width int) []string {
	var lines []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case ansi.StringWidth(cur+sep+it) <= width:
			cur += sep + it
		default:
			lines = append(lines, cur)
			cur = it
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// Plural is "s" unless n is 1.
func Plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

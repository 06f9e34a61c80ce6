package estimate

import (
	"fmt"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"

	"brightrun/ui/common"
)

// compareView is the table of every preset on every GPU at the current
// count, the cheapest row highlighted and starred, the form's own choice
// marked with ›, so the trade-off between cost and time reads at a glance.
func (m *Model) compareView() string {
	t := m.common.Theme
	title := t.Strong.Render("Compare") + "  " +
		t.Muted.Render(fmt.Sprintf("every preset × GPU at %d GPU%s · ★ cheapest · › current", m.gpuCount(), plural(m.gpuCount())))
	if m.cmpErr != nil || len(m.cmp) == 0 {
		return title + "\n" + t.Muted.Render("  The comparison needs a valid form.")
	}
	cheapest := 0
	for i, e := range m.cmp {
		if e.EstimatedCost < m.cmp[cheapest].EstimatedCost {
			cheapest = i
		}
	}
	cur := m.presets[m.preset.Index()].Key
	rows := make([][]string, len(m.cmp))
	for i, e := range m.cmp {
		mark := " "
		switch {
		case i == cheapest:
			mark = "★"
		case e.Preset == cur && e.GPUConfig.Type == m.gpu.Value():
			mark = "›"
		}
		rows[i] = []string{
			mark, e.Preset, e.GPUConfig.Type,
			common.Money(e.EstimatedCost),
			fmt.Sprintf("%.2f h", e.EstimatedDurationHours),
			common.Money(e.HourlyRate) + "/h",
			common.Thousands(int64(e.TrainingDetails.TotalSteps)),
		}
	}
	tb := table.New().
		Border(lipgloss.RoundedBorder()).
		BorderStyle(t.TableBorder).
		Headers("", "Preset", "GPU", "Cost", "Time", "Rate", "Steps").
		Rows(rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			var s lipgloss.Style
			switch {
			case row == table.HeaderRow:
				s = t.TableHeader
			case row == cheapest:
				s = t.TableHighlight
			default:
				s = t.TableCell
			}
			if col >= 3 {
				s = s.Align(lipgloss.Right)
			}
			return s
		})
	return title + "\n" + tb.Render()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

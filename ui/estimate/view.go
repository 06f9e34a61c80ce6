package estimate

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/components/estimatepanel"
	"brightrun/ui/format"
)

// Layout constants: the label column of the form, and the width from which
// form and result sit side by side instead of stacked.
const (
	labelWidth   = 17 // cursor bar (2) + the longest label and a gap
	twoColumnMin = 72
)

// View draws the header, the form beside the result, and the comparison
// under them when it fits; toggled on where it does not fit, the comparison
// takes the place of form and result.
func (m *Model) View() string {
	w, h := m.common.Width, m.common.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	main := m.mainView()
	var body string
	switch {
	case m.compare == compareOn && !m.fits(main):
		body = m.compareView()
	case m.compareVisible():
		body = main + "\n\n" + m.compareView()
	default:
		body = main
	}
	out := m.header() + "\n\n" + body
	return lipgloss.NewStyle().MaxHeight(h).MaxWidth(w).Render(out)
}

// fits reports whether the comparison fits under the main view.
func (m *Model) fits(main string) bool {
	need := 2 + lipgloss.Height(main) + 1 + lipgloss.Height(m.compareView())
	return need <= m.common.Height && m.common.Width >= twoColumnMin
}

func (m *Model) compareFits() bool { return m.fits(m.mainView()) }

func (m *Model) compareVisible() bool {
	switch m.compare {
	case compareOn:
		return true
	case compareOff:
		return false
	}
	return m.valid && m.compareFits()
}

func (m *Model) header() string {
	t := m.common.Theme
	left := t.Title.Render("Estimate") + "  " + t.Muted.Render("what a training run costs")
	right := t.Muted.Render("enter to edit")
	if m.editing {
		right = t.Accent.Render("● editing") + t.Muted.Render(" · esc when done")
	}
	gap := m.common.Width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

// mainView puts the form and the result side by side, or stacked on narrow
// terminals.
func (m *Model) mainView() string {
	w := m.common.Width
	if w < twoColumnMin {
		return m.formView(w) + "\n\n" + m.resultView(w)
	}
	rightW := max(34, min(46, w/3+8))
	leftW := w - rightW - 2
	return lipgloss.JoinHorizontal(lipgloss.Top,
		lipgloss.NewStyle().Width(leftW).Render(m.formView(leftW)),
		"  ",
		m.resultView(rightW))
}

// formView draws the rows in three groups, with each row's problem on a line
// under it.
func (m *Model) formView(w int) string {
	t := m.common.Theme
	var b strings.Builder
	section := func(title, hint string) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(t.Strong.Render(title))
		if hint != "" {
			b.WriteString("  " + t.Muted.Render(hint))
		}
		b.WriteString("\n")
	}
	section("Dataset", "")
	m.row(&b, w, fPairs)
	m.row(&b, w, fTokens)
	section("Run", "")
	m.row(&b, w, fPreset)
	m.row(&b, w, fGPU)
	m.row(&b, w, fCount)
	section("Overrides", "blank keeps the preset's value")
	m.row(&b, w, fBatch)
	m.row(&b, w, fEpochs)
	m.row(&b, w, fLR)
	m.row(&b, w, fRank)
	return strings.TrimRight(b.String(), "\n")
}

func (m *Model) row(b *strings.Builder, w int, f field) {
	t := m.common.Theme
	focused := m.editing && m.focus == f
	bar, label := "  ", t.Label.Render(fieldLabels[f])
	if focused {
		bar, label = t.Cursor.Render("▌")+" ", t.LabelFocused.Render(fieldLabels[f])
	}
	line := bar + label + strings.Repeat(" ", max(1, labelWidth-2-lipgloss.Width(fieldLabels[f])))
	switch f {
	case fPreset:
		line += m.preset.View()
	case fGPU:
		line += m.gpu.View()
	case fCount:
		line += m.count.View()
	default:
		line += m.inputs[f].View()
	}
	if hint := m.hint(f); hint != "" {
		room := w - lipgloss.Width(line) - 2
		if room >= 8 {
			line += "  " + t.Muted.Render(ansi.Truncate(hint, room, "…"))
		}
	}
	b.WriteString(line + "\n")
	if msg, ok := m.fieldErrs[f]; ok {
		indent := m.errIndent(w)
		wrapped := lipgloss.NewStyle().Width(max(8, w-indent-2)).Render(msg)
		for i, l := range strings.Split(wrapped, "\n") {
			mark := "  "
			if i == 0 {
				mark = "✗ "
			}
			b.WriteString(strings.Repeat(" ", indent) + t.Error.Render(mark+strings.TrimRight(l, " ")) + "\n")
		}
	}
}

// errIndent is where problems start under their rows: under the values when
// every message fits there, else nearer the margin, the same for all rows so
// the form stays aligned. Messages wrap, never cut: their end is the help.
func (m *Model) errIndent(w int) int {
	for _, msg := range m.fieldErrs {
		if lipgloss.Width(msg)+2 > w-labelWidth {
			return 4
		}
	}
	return labelWidth
}

// hint is the muted note right of a row: the number as read, what a preset
// is for, what a GPU costs.
func (m *Model) hint(f field) string {
	if _, bad := m.fieldErrs[f]; bad {
		return ""
	}
	switch f {
	case fPairs:
		if m.pairs >= 10000 {
			return "= " + format.Thousands(int64(m.pairs))
		}
	case fTokens:
		return "= " + format.Thousands(m.tokens)
	case fPreset:
		return m.presets[m.preset.Index()].Description
	case fGPU:
		if g, err := m.catalog.Lookup(m.gpu.Value()); err == nil {
			return fmt.Sprintf("%s/h · %s tok/s", format.Money(g.HourlyRate), format.Thousands(int64(g.TokensPerSec)))
		}
	case fCount:
		if g, err := m.catalog.Lookup(m.gpu.Value()); err == nil && m.gpuCount() > 1 {
			return fmt.Sprintf("%s/h for all", format.Money(g.HourlyRate*float64(m.gpuCount())))
		}
	}
	return ""
}

// resultView is the bordered result panel: the estimate and the effective
// hyperparameters, or what stands in the way of one. The problems
// themselves show under their fields; only those that belong to no field
// are spelled out in the panel.
func (m *Model) resultView(w int) string {
	t := m.common.Theme
	if !m.valid {
		return estimatepanel.Blocked(t, w, len(m.fieldErrs), m.otherErrs)
	}
	r := m.result
	return estimatepanel.Result(t, w, r, fmt.Sprintf("%s · %d × %s", r.Preset, r.GPUConfig.Count, r.GPUConfig.Type))
}

package estimate

import (
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/components/costform"
	"brightrun/ui/format"
)

// View draws the header, the form beside the result, and the comparison
// under them when it fits; toggled on where it does not fit, the comparison
// takes the place of form and result.
func (m *Model) View() string { return m.common.Fit(m.view) }

func (m *Model) view() string {
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
	return out
}

// fits reports whether the comparison fits under the main view.
func (m *Model) fits(main string) bool {
	need := 2 + lipgloss.Height(main) + 1 + lipgloss.Height(m.compareView())
	return need <= m.common.Height && m.common.Width >= costform.TwoColumnMin
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
	return costform.Header(m.common.Width, left, costform.EditState(t, m.editing))
}

// mainView puts the form and the result side by side, or stacked on narrow
// terminals.
func (m *Model) mainView() string {
	leftW, rightW, stacked := costform.Columns(m.common.Width)
	if stacked {
		return m.formView(leftW) + "\n\n" + m.resultView(rightW)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top,
		lipgloss.NewStyle().Width(leftW).Render(m.formView(leftW)),
		"  ",
		m.resultView(rightW))
}

// formView draws the rows in three groups, with each row's problem on a line
// under it.
func (m *Model) formView(w int) string {
	b := costform.NewBuilder(m.common.Theme)
	indent := costform.SharedIndent(m.fieldErrs, w)
	b.Section("Dataset", "")
	m.row(b, w, indent, fPairs)
	m.row(b, w, indent, fTokens)
	b.Section("Run", "")
	m.row(b, w, indent, fPreset)
	m.row(b, w, indent, fGPU)
	m.row(b, w, indent, fCount)
	b.Section("Overrides", "blank keeps the preset's value")
	m.row(b, w, indent, fBatch)
	m.row(b, w, indent, fEpochs)
	m.row(b, w, indent, fLR)
	m.row(b, w, indent, fRank)
	return b.String()
}

func (m *Model) row(b *costform.Builder, w, indent int, f field) {
	var control string
	switch f {
	case fPreset:
		control = m.preset.View()
	case fGPU:
		control = m.gpu.View()
	case fCount:
		control = m.count.View()
	default:
		control = m.inputs[f].View()
	}
	line := b.Line(fieldLabels[f], m.editing && m.focus == f, control)
	if hint := m.hint(f); hint != "" {
		room := w - lipgloss.Width(line) - 2
		if room >= 8 {
			line += "  " + m.common.Theme.Muted.Render(ansi.Truncate(hint, room, "…"))
		}
	}
	b.Write(line)
	if msg, ok := m.fieldErrs[f]; ok {
		b.Problem(msg, indent, w)
	}
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
		return costform.GPUHint(m.catalog, m.gpu.Value())
	case fCount:
		return costform.CountHint(m.catalog, m.gpu.Value(), m.gpuCount())
	}
	return ""
}

// resultView is the bordered result panel: the estimate and the effective
// hyperparameters, or what stands in the way of one. The problems
// themselves show under their fields; only those that belong to no field
// are spelled out in the panel.
func (m *Model) resultView(w int) string {
	return costform.Result(m.common.Theme, w, m.valid, len(m.fieldErrs), m.otherErrs, m.result)
}

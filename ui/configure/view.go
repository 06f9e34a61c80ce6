package configure

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/components/costform"
	"brightrun/ui/components/estimatepanel"
	"brightrun/ui/format"
)

// View draws the header and the page of the current mode, cut to the area.
func (m *Model) View() string { return m.common.Fit(m.view) }

func (m *Model) view() string {
	var body string
	switch m.mode {
	case modeCompare:
		body = m.compareView()
	case modeConfirm, modeLaunching:
		body = m.confirmView()
	default:
		body = m.formPage()
	}
	out := m.header() + "\n\n" + body
	return out
}

func (m *Model) header() string {
	t := m.common.Theme
	left := t.Title.Render("Configure") + "  " + t.Muted.Render("a training job")
	var right string
	switch m.mode {
	case modeCompare:
		left = t.Title.Render("Configure › Compare") + "  " + t.Muted.Render("every preset × GPU")
		right = t.Muted.Render("★ cheapest · » fastest · › in the form")
	case modeConfirm, modeLaunching:
		right = t.Accent.Render("● launch")
	default:
		right = costform.EditState(t, m.editing)
		if m.cloneOf != nil {
			left += t.Muted.Render(" · like ") + t.Strong.Render(ansi.Truncate(m.cloneOf.Name, 28, "…"))
		}
	}
	return costform.Header(m.common.Width, left, right)
}

// columns splits the width into the form's and the result's.
func (m *Model) columns() (leftW, rightW int, stacked bool) {
	return costform.Columns(m.common.Width)
}

// formPage is the form (with the launch line and the datasets that cannot
// be used under it) beside the estimate.
func (m *Model) formPage() string {
	leftW, rightW, stacked := m.columns()
	form := m.formView(leftW)
	result := m.resultView(rightW)
	if stacked {
		left := form + "\n\n" + m.launchLine(leftW)
		return left + "\n\n" + result + m.notReady(leftW, m.common.Height-2-lipgloss.Height(left)-1-lipgloss.Height(result))
	}
	left := form + "\n\n" + m.launchLine(leftW)
	left += m.notReady(leftW, m.common.Height-2-lipgloss.Height(left))
	return lipgloss.JoinHorizontal(lipgloss.Top,
		lipgloss.NewStyle().Width(leftW).Render(left), "  ", result)
}

// formView draws the rows in three groups, with each row's problem on a
// line under it.
func (m *Model) formView(w int) string {
	b := costform.NewBuilder(m.common.Theme)
	b.Section("Data", "")
	m.row(b, w, fDataset)
	b.Section("Run", "")
	for _, f := range []field{fPreset, fGPU, fCount, fModel, fMaxCost} {
		m.row(b, w, f)
	}
	b.Section("Hyperparameters", "")
	for f := fLR; f < numFields; f++ {
		m.row(b, w, f)
	}
	return b.String()
}

// shortForm is the height below which the preset's description gives up
// its line under the preset, so every row and the launch line fit.
const shortForm = 30

func (m *Model) row(b *costform.Builder, w int, f field) {
	t := m.common.Theme
	line := b.Line(fieldLabels[f], m.editing && m.mode == modeForm && m.focus == f, m.value(f))
	below := ""
	if hint := m.hint(f); hint != "" {
		room := w - lipgloss.Width(line) - 2
		switch {
		case room >= ansi.StringWidth(hint) || (room >= 8 && f != fDataset && f != fPreset):
			line += "  " + t.Muted.Render(ansi.Truncate(hint, room, "…"))
		case f == fPreset && m.common.Height < shortForm:
			// A short screen keeps its line for the launch line.
		case f == fDataset || f == fPreset:
			// What the dataset holds and what a preset is for are worth a
			// line of their own where they do not fit beside the value.
			room = max(8, w-costform.LabelWidth)
			if ansi.StringWidth(hint) > room {
				hint = m.shortHint(f)
			}
			below = strings.Repeat(" ", costform.LabelWidth) + t.Muted.Render(ansi.Truncate(hint, room, "…")) + "\n"
		}
	}
	b.WriteRaw(line + "\n" + below)
	if msg, ok := m.fieldErrs[f]; ok {
		b.Problem(msg, costform.Indent(msg, w), w)
	}
}

// value draws a row's control. The dataset row shows a dataset that can
// no longer be used in the error style, and the preset row says "custom"
// once a value differs from the preset's.
func (m *Model) value(f field) string {
	t := m.common.Theme
	switch f {
	case fDataset:
		switch {
		case m.problem != "":
			return t.Arrow.Render("‹") + " " + t.Error.Render(ansi.Truncate(m.chosen.Name, nameWidth, "…")) + " " + t.Arrow.Render("›")
		case len(m.usable) == 0 && m.loaded:
			return t.Unavailable.Render("none ready")
		case len(m.usable) == 0:
			return t.Muted.Render("loading…")
		}
		return m.dataset.View()
	case fPreset:
		if m.custom {
			width := 0
			for _, o := range m.preset.Options {
				width = max(width, len(o))
			}
			return t.Arrow.Render("‹") + " " + t.Custom.Render(customRow) + strings.Repeat(" ", max(0, width-len(customRow))) + " " + t.Arrow.Render("›")
		}
		return m.preset.View()
	case fGPU:
		return m.gpu.View()
	case fCount:
		return m.count.View()
	case fModel:
		return m.baseModel.View()
	}
	return m.inputs[f].View()
}

// hint is the muted note right of a row: what the dataset holds, what a
// preset is for, what a GPU costs, the allowed range of a value. A row
// with a problem shows the problem instead.
func (m *Model) hint(f field) string {
	if _, bad := m.fieldErrs[f]; bad {
		return ""
	}
	switch f {
	case fDataset:
		if m.hasChosen {
			d := m.chosen
			return fmt.Sprintf("%s · %s pairs · %s tok", d.Format, format.Thousands(int64(d.TotalTrainingPairs)), format.Thousands(d.TotalTokens))
		}
	case fPreset:
		p := m.currentPreset()
		if m.custom {
			return "from " + p.Key + " · ←/→ for a preset"
		}
		if p.Key == model.DefaultPreset {
			return p.Description + " (default)"
		}
		return p.Description
	case fGPU:
		return costform.GPUHint(m.catalog, m.gpu.Value())
	case fCount:
		if h := costform.CountHint(m.catalog, m.gpu.Value(), m.gpuCount()); h != "" {
			return h
		}
		return fieldRanges[f]
	case fModel:
		bm := m.currentModel()
		if g, err := m.catalog.Lookup(m.gpu.Value()); err == nil && g.MemoryGB > 0 {
			return fmt.Sprintf("%s · needs %d of %d GB", bm.SizeText(), bm.MinGPUMemoryGB, g.MemoryGB)
		}
		return fmt.Sprintf("%s · needs %d GB · GPU memory unknown", bm.SizeText(), bm.MinGPUMemoryGB)
	case fMaxCost:
		return m.capHint()
	default:
		return fieldRanges[f]
	}
	return ""
}

// capHint is the estimate beside the Max cost field, and what the cap does
// to the run.
func (m *Model) capHint() string {
	est := m.result.EstimatedCost
	switch {
	case est <= 0:
		return "USD · empty: no cap"
	case m.maxCost == nil:
		return "estimate " + format.Money(est) + " · empty: no cap"
	case model.CapBelowEstimate(est, m.maxCost):
		return "estimate " + format.Money(est) + " · run stops early"
	}
	return "estimate " + format.Money(est)
}

// shortHint is the hint of the dataset or the preset row in fewer
// characters, for narrow terminals.
func (m *Model) shortHint(f field) string {
	if f == fPreset {
		return m.currentPreset().Description
	}
	d := m.chosen
	return fmt.Sprintf("%s pairs · %s tokens", format.Thousands(int64(d.TotalTrainingPairs)), compact(d.TotalTokens))
}

// compact writes a large count with a unit: 13.3M, 9.8k.
func compact(n int64) string {
	switch {
	case n >= 1_000_000_000:
		return fmt.Sprintf("%.1fG", float64(n)/1e9)
	case n >= 1_000_000:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 10_000:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	}
	return format.Thousands(n)
}

// resultView is the estimate panel, or what stands in its way.
// With lists in the form it says the grid's size and total first.
func (m *Model) resultView(w int) string {
	out := costform.Result(m.common.Theme, w, m.valid, len(m.fieldErrs), m.otherErrs, m.result)
	if m.valid && m.sweepRuns > 1 {
		t := m.common.Theme
		grid := t.Accent.Render(ansi.Truncate(fmt.Sprintf("Sweep: %d runs · %s in all", m.sweepRuns, format.Money(m.sweepTotal)), w, "…"))
		note := t.Muted.Render(ansi.Truncate("below: the first run; each list value makes runs", w, "…"))
		out = grid + "\n" + note + "\n\n" + out
	}
	return out
}

// launchLine says what enter does now: launch the priced job, or why it
// cannot; a failed launch's reason stays above it until the form changes.
func (m *Model) launchLine(w int) string {
	t := m.common.Theme
	var lines []string
	if m.launched != "" {
		lines = append(lines, t.Error.Render(wrap("✗ "+m.launched, w)))
	}
	switch {
	case m.valid && m.sweepRuns > 1:
		lines = append(lines, t.Accent.Render(ansi.Truncate(fmt.Sprintf("enter ▸ launch a sweep of %d runs on %s · %s", m.sweepRuns, m.chosen.Name, format.Money(m.sweepTotal)), w, "…")))
	case m.valid:
		lines = append(lines, t.Accent.Render(ansi.Truncate(fmt.Sprintf("enter ▸ launch on %s · %s", m.chosen.Name, format.Money(m.result.EstimatedCost)), w, "…")))
	case m.problem != "":
		lines = append(lines, t.Error.Render(ansi.Truncate("✗ Launch blocked: pick a usable dataset", w, "…")))
	default:
		n := len(m.fieldErrs)
		lines = append(lines, t.Error.Render(ansi.Truncate(fmt.Sprintf("✗ Launch blocked: fix the %d marked field%s", n, estimatepanel.Plural(n)), w, "…")))
	}
	return strings.Join(lines, "\n")
}

// notReady lists the datasets that cannot be trained on, greyed, with the
// reason, in at most room lines: a blank line, the heading with their
// count, and as many as fit, "+ N more" standing for the rest.
func (m *Model) notReady(w, room int) string {
	list := m.unusable()
	if len(list) == 0 || room < 2 {
		return ""
	}
	t := m.common.Theme
	lines := []string{"", "", t.Muted.Render(fmt.Sprintf("Not ready for training (%d)", len(list)))}
	fit := room - 2
	if fit < len(list) {
		fit-- // the "+ N more" line
	}
	nameW := 0
	for _, ch := range list {
		nameW = max(nameW, min(20, ansi.StringWidth(ch.Dataset.Name)))
	}
	for i, ch := range list {
		if i >= fit {
			if fit > 0 {
				lines = append(lines, t.Unavailable.Render(fmt.Sprintf("  + %d more", len(list)-i)))
			}
			break
		}
		name := ansi.Truncate(ch.Dataset.Name, nameW, "…")
		line := "  " + name + strings.Repeat(" ", nameW-ansi.StringWidth(name)) + "  " + ch.Reason
		lines = append(lines, t.Unavailable.Render(ansi.Truncate(line, w, "…")))
	}
	return strings.Join(lines, "\n")
}

// wrap breaks text at spaces to width.
func wrap(s string, w int) string {
	return lipgloss.NewStyle().Width(max(8, w)).Render(s)
}

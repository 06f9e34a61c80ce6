package estimate

import (
	"fmt"

	"brightrun/model"
	"brightrun/ui/components/comparison"
	"brightrun/ui/components/estimatepanel"
)

// compareColumns are the calculator's: what each run costs and takes, and
// the rate and steps behind it.
var compareColumns = []comparison.Column{
	comparison.Mark, comparison.Preset, comparison.GPU,
	comparison.Cost, comparison.Time, comparison.Rate, comparison.Steps,
}

// compareView is the table of every preset on every GPU at the current
// count, the cheapest row highlighted and starred, the form's own choice
// marked with ›, so the trade-off between cost and time reads at a glance.
func (m *Model) compareView() string {
	t := m.common.Theme
	title := t.Strong.Render("Compare") + "  " +
		t.Muted.Render(fmt.Sprintf("every preset × GPU at %d GPU%s · ★ cheapest · › current", m.gpuCount(), estimatepanel.Plural(m.gpuCount())))
	if m.cmpErr != nil || len(m.cmp) == 0 {
		return title + "\n" + t.Muted.Render("  The comparison needs a valid form.")
	}
	cheapest, _ := comparison.Best(m.cmp)
	cur, gpu := m.presets[m.preset.Index()].Key, m.gpu.Value()
	tb := comparison.Table{
		Theme: t, Columns: compareColumns, Rows: m.cmp,
		Cheapest: cheapest, Fastest: -1, Cursor: -1,
		Current: func(e model.Estimate) bool { return e.Preset == cur && e.GPUConfig.Type == gpu },
	}
	return title + "\n" + tb.Render()
}

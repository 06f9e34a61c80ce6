package configure

import (
	"errors"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"brightrun/model"
	"brightrun/ui/components/comparison"
)

// customRow is the preset name of the comparison rows that price the
// form's own values when they match no preset.
const customRow = "custom"

// sortCycle is the order s steps through: as computed (preset, then GPU),
// then by each figure an operator decides on.
var sortCycle = []comparison.Column{comparison.Mark, comparison.Cost, comparison.Time, comparison.CostPerEpoch}

// comparisonState is the comparison view: which counts it spans, its rows
// in the order shown, their sort, and the cursor.
type comparisonState struct {
	all      bool // every count 1–8, else the form's count
	rows     []model.Estimate
	err      error
	sortBy   comparison.Column
	desc     bool
	cursor   int
	offset   int
	cheapest int
	fastest  int
}

func newComparison() comparisonState {
	return comparisonState{sortBy: comparison.Mark, cheapest: -1, fastest: -1}
}

// openComparison prices every preset on every GPU and shows the table
// with the cursor on the form's own choice.
func (m *Model) openComparison() {
	m.mode = modeCompare
	m.blurAll()
	m.computeComparison()
	m.cursorTo(m.isCurrent)
}

// computeComparison prices every preset (and the form's own values, when
// custom) on every GPU at the form's count or at every count, then sorts.
// It is pure arithmetic: 96 estimates at all counts, well under a
// millisecond.
func (m *Model) computeComparison() {
	c := &m.cmp
	c.rows, c.err = c.rows[:0], nil
	if !m.hasChosen {
		c.err = errors.New("Pick a dataset first: the comparison prices its pairs and tokens.")
		c.cheapest, c.fastest = -1, -1
		return
	}
	counts := []int{m.gpuCount()}
	if c.all {
		counts = counts[:0]
		for n := model.MinGPUCount; n <= model.MaxGPUCount; n++ {
			counts = append(counts, n)
		}
	}
	pairs, tokens := m.chosen.TotalTrainingPairs, m.chosen.TotalTokens
	for _, n := range counts {
		est, err := m.catalog.Compare(pairs, tokens, n, model.HyperOverrides{})
		if err != nil {
			c.err = err
			break
		}
		c.rows = append(c.rows, est...)
		if !m.custom || m.hyper.Validate() != nil {
			continue
		}
		for _, g := range m.catalog.Types() {
			e, err := m.common.Backend.Estimate(model.EstimateInput{
				Pairs: pairs, Tokens: tokens, GPU: model.GPUConfig{Type: g, Count: n}, Hyperparameters: m.hyper,
			})
			if err == nil {
				e.Preset = customRow
				c.rows = append(c.rows, e)
			}
		}
	}
	comparison.Sort(c.rows, c.sortBy, c.desc)
	c.cheapest, c.fastest = comparison.Best(c.rows)
}

// isCurrent reports whether a row is what the form holds.
func (m *Model) isCurrent(e model.Estimate) bool {
	return e.Preset == m.presetLabel() && e.GPUConfig.Type == m.gpu.Value() && e.GPUConfig.Count == m.gpuCount()
}

// cursorTo puts the cursor on the first row that match reports, else on
// the form's own choice, else on the first row.
func (m *Model) cursorTo(match func(model.Estimate) bool) {
	c := &m.cmp
	if c.cursor = slices.IndexFunc(c.rows, match); c.cursor < 0 {
		c.cursor = max(0, slices.IndexFunc(c.rows, m.isCurrent))
	}
	m.scroll()
}

// scroll keeps the cursor in the table's window.
func (m *Model) scroll() {
	c := &m.cmp
	c.cursor = max(0, min(c.cursor, len(c.rows)-1))
	c.offset = comparison.ScrollTo(m.compareTableHeight(), c.offset, c.cursor, len(c.rows))
}

// compareKey handles a key in the comparison.
func (m *Model) compareKey(k tea.KeyPressMsg) tea.Cmd {
	c := &m.cmp
	page := max(1, comparison.Visible(m.compareTableHeight(), c.offset, len(c.rows)))
	keep := func() func(model.Estimate) bool {
		if c.cursor >= len(c.rows) {
			return func(model.Estimate) bool { return false }
		}
		was := c.rows[c.cursor]
		return func(e model.Estimate) bool {
			return e.Preset == was.Preset && e.GPUConfig == was.GPUConfig
		}
	}
	switch {
	case key.Matches(k, m.keys.Back):
		m.mode = modeForm
		return m.startEditing()
	case key.Matches(k, m.keys.Pick):
		if c.cursor < len(c.rows) {
			m.load(c.rows[c.cursor])
		}
		m.mode = modeForm
		return m.startEditing()
	case key.Matches(k, m.keys.Up):
		c.cursor--
	case key.Matches(k, m.keys.Down):
		c.cursor++
	case key.Matches(k, m.keys.PageUp):
		c.cursor -= page
	case key.Matches(k, m.keys.PageDown):
		c.cursor += page
	case key.Matches(k, m.keys.Top):
		c.cursor = 0
	case key.Matches(k, m.keys.Bottom):
		c.cursor = len(c.rows) - 1
	case key.Matches(k, m.keys.Sort), key.Matches(k, m.keys.Reverse):
		// A new order is read from its top: the best row by it.
		if key.Matches(k, m.keys.Sort) {
			i := slices.Index(sortCycle, c.sortBy)
			c.sortBy = sortCycle[(i+1)%len(sortCycle)]
		} else {
			c.desc = !c.desc
		}
		m.computeComparison()
		c.cursor, c.offset = 0, 0
		return nil
	case key.Matches(k, m.keys.AllCounts):
		was := keep()
		c.all = !c.all
		m.computeComparison()
		m.cursorTo(was)
		return nil
	}
	m.scroll()
	return nil
}

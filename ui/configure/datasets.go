package configure

import (
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/ui/common"
)

// nameWidth is the most of a dataset's name the selector shows.
const nameWidth = 26

// Messages of the dataset list.
type (
	choicesMsg struct {
		seq     int
		choices []engine.DatasetChoice
		err     error
	}
	// reloadMsg ends the wait after change events on the datasets.
	reloadMsg struct{}
)

// loadChoices asks the engine for the datasets in a command; only the
// newest load's answer is used.
func (m *Model) loadChoices() tea.Cmd {
	m.loadSeq++
	seq, c := m.loadSeq, m.common
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		list, err := c.Backend.TrainableDatasets(ctx)
		return choicesMsg{seq: seq, choices: list, err: err}
	}
}

// scheduleReload reloads the datasets ReloadDelay after the first of a
// burst of change events; the events that follow within it ride along.
func (m *Model) scheduleReload() tea.Cmd {
	return m.reloading.Schedule(m.common.Ctx, ReloadDelay, reloadMsg{})
}

// gotChoices takes the newest list in.
func (m *Model) gotChoices(msg choicesMsg) tea.Cmd {
	if msg.seq != m.loadSeq {
		return nil
	}
	if msg.err != nil {
		m.loadErr = msg.err
		m.recompute()
		return common.Err("load datasets", msg.err)
	}
	m.loadErr, m.loaded = nil, true
	m.setChoices(msg.choices)
	return nil
}

// setChoices replaces the list and keeps the form on its dataset: the one
// asked for, else the one chosen before (now perhaps deleted or no longer
// ready, which the form then says), else the newest usable one.
func (m *Model) setChoices(list []engine.DatasetChoice) {
	m.choices = list
	m.usable = m.usable[:0]
	names := make([]string, 0, len(list))
	for _, ch := range list {
		if ch.Usable {
			m.usable = append(m.usable, ch)
			names = append(names, ansi.Truncate(ch.Dataset.Name, nameWidth, "…"))
		}
	}
	m.dataset.Options = names
	switch {
	case m.wanted != uuid.Nil:
		m.choose(m.wanted)
		m.wanted = uuid.Nil
	case m.hasChosen:
		m.choose(m.chosen.ID)
	case len(m.usable) > 0:
		m.selectUsable(0)
	}
	m.recompute()
}

// choose points the form at dataset id. A usable one is selected; one
// listed but unusable, or one no longer listed at all, stays on the form
// with the reason, and launching waits until another is picked.
func (m *Model) choose(id uuid.UUID) {
	for i, ch := range m.usable {
		if ch.Dataset.ID == id {
			m.selectUsable(i)
			return
		}
	}
	for _, ch := range m.choices {
		if ch.Dataset.ID == id {
			m.chosen, m.hasChosen = ch.Dataset, true
			m.problem = "cannot be trained on: " + ch.Reason
			return
		}
	}
	if !m.hasChosen || m.chosen.ID != id {
		m.chosen.ID, m.chosen.Name, m.hasChosen = id, id.String(), true
	}
	m.problem = "no longer exists: it was deleted. Pick another dataset (←/→)."
}

// selectUsable chooses the i-th usable dataset.
func (m *Model) selectUsable(i int) {
	m.dataset.SetIndex(i)
	m.chosen, m.hasChosen, m.problem = m.usable[i].Dataset, true, ""
}

// unusable are the datasets that cannot be trained on, for the greyed
// list under the form.
func (m *Model) unusable() []engine.DatasetChoice {
	var out []engine.DatasetChoice
	for _, ch := range m.choices {
		if !ch.Usable {
			out = append(out, ch)
		}
	}
	return out
}

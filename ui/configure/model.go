// Package configure is the Configure tab: where an operator chooses a
// dataset, a preset, GPUs and hyperparameters for a training job, sees the
// price of every keystroke at once (the estimate is pure arithmetic over
// the catalog, microseconds, so it runs in Update), compares every preset
// on every GPU before deciding, and launches the job after a confirmation
// that shows what it will cost. Only datasets that are ready and training
// ready are offered; the others are listed greyed out with the reason.
package configure

import (
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/confirm"
	"brightrun/ui/components/costform"
	"brightrun/ui/components/numfield"
	"brightrun/ui/components/selector"
)

// mode is what the screen shows and where keys go.
type mode int

const (
	modeForm      mode = iota
	modeCompare        // every preset × GPU, full screen
	modeConfirm        // the estimate and "launch?"
	modeLaunching      // CreateJob is running
)

// ReloadDelay is how long the screen waits after a change event on the
// datasets before it reloads them, so a burst of events costs one load.
const ReloadDelay = 300 * time.Millisecond

// inputWidth is the visible width of a number input; longer values scroll.
const inputWidth = 12

// Model is the Configure screen.
type Model struct {
	common  common.Common
	keys    keyMap
	catalog model.Catalog
	models  model.ModelCatalog
	presets []model.Preset
	mode    mode

	// Datasets: choices as the engine last listed them, usable ones in the
	// selector. chosen is the dataset the form is for; problem, when set,
	// says why it can no longer be used (deleted, not ready), and blocks
	// launching until another is picked.
	choices   []engine.DatasetChoice
	usable    []engine.DatasetChoice
	loaded    bool
	loadErr   error
	loadSeq   int
	reloading common.Debounce // a reload after change events is scheduled
	chosen    model.Dataset
	hasChosen bool
	problem   string
	// wanted is a dataset asked for by ConfigureDatasetMsg before the
	// choices arrived (uuid.Nil: none).
	wanted uuid.UUID

	dataset selector.Model
	preset  selector.Model
	gpu     selector.Model
	count   selector.Model
	inputs  [numFields]numfield.Model // only the text rows are used
	// alphaAuto keeps alpha at 2 × rank until alpha is typed in.
	alphaAuto bool
	// baseModel offers the model catalog by short name; its index is the
	// model's in models.
	baseModel selector.Model

	focus   field
	editing bool

	// Result of the last recompute.
	hyper   model.Hyperparameters
	maxCost *float64 // the Max cost field, nil when empty
	// patience is the early stopping field's value (0: off).
	patience  int
	custom    bool
	result    model.Estimate
	valid     bool
	fieldErrs costform.Problems[field]
	otherErrs []string
	// grid holds the values of the rows given as lists; with more than one
	// run the launch is a sweep, priced at sweepTotal over sweepRuns runs.
	grid       model.SweepAxes
	sweepRuns  int
	sweepTotal float64

	cmp      comparisonState
	ask      confirm.Model
	launched string // why the last launch failed, until the form changes
	// cloneOf is the job the form was filled from (CloneJobMsg), until
	// the launch or another dataset asked for.
	cloneOf *model.Job
}

// New builds the form with the balanced preset on the catalog's first GPU;
// the datasets load in Init.
func New(c common.Common) common.Screen {
	m := &Model{
		common:  c,
		keys:    defaultKeyMap(),
		catalog: c.Backend.Catalog(),
		models:  c.Backend.Models(),
		presets: model.Presets(),
	}
	th := c.Theme
	m.dataset = selector.New(th, nil, true)
	m.preset, m.gpu, m.count = costform.RunSelectors(th, m.catalog, m.presets)
	m.baseModel = selector.New(th, modelLabels(m.models), true)
	m.setModel("")
	for f := range numFields {
		if f.isText() {
			m.inputs[f] = numfield.New(f.kind(), inputWidth)
		}
		if f.listable() {
			m.inputs[f].AllowLists()
		}
	}
	m.cmp = newComparison()
	m.inputs[fPatience].SetValue("0")
	m.preset.SetValue(model.DefaultPreset)
	m.applyPreset()
	m.applyTheme()
	m.recompute()
	return m
}

// Title is the tab label.
func (m *Model) Title() string { return "Configure" }

// InputFocused is true while the form is edited and while the launch
// question waits: the screen owns tab, digits and q then.
func (m *Model) InputFocused() bool {
	switch m.mode {
	case modeConfirm, modeLaunching:
		return true
	case modeCompare:
		return false
	}
	return m.editing
}

// Handles names the messages that lead to this tab: a dataset to
// configure, a job to clone.
func (m *Model) Handles(msg tea.Msg) bool {
	switch msg.(type) {
	case common.ConfigureDatasetMsg, common.CloneJobMsg:
		return true
	}
	return false
}

// SetSize records the area; the layout is computed in View.
func (m *Model) SetSize(w, h int) {
	m.common.SetSize(w, h)
	m.ask.SetWidth(m.askWidth())
}

// Init loads the datasets.
func (m *Model) Init() tea.Cmd { return m.loadChoices() }

func (m *Model) applyTheme() {
	st := m.common.Theme.TextInput()
	for f := range numFields {
		if f.isText() {
			m.inputs[f].SetStyles(st)
		}
	}
}

func (m *Model) gpuCount() int { return costform.GPUCount(m.count) }

func (m *Model) currentPreset() model.Preset { return m.presets[m.preset.Index()] }

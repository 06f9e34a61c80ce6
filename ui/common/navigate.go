package common

import (
	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
)

// ConfigureDatasetMsg asks for a training job on a dataset, e.g. from a key
// on a ready dataset in the Datasets tab. The shell switches to the tab
// that handles it (see Destination) and then delivers it to every screen;
// the Configure tab selects the dataset.
type ConfigureDatasetMsg struct {
	DatasetID uuid.UUID
}

// JobCreatedMsg says a training job was just launched from this session.
// The shell switches to the tab that handles it and delivers it to every
// screen; the Jobs tab shows the new job highlighted.
type JobCreatedMsg struct {
	Job model.Job
}

// SweepCreatedMsg says a sweep was just launched from this session. The
// shell switches to the tab that handles it (Jobs), which opens the
// sweep's view.
type SweepCreatedMsg struct {
	Sweep engine.SweepLaunch
}

// CloneJobMsg asks for a new job like Job, e.g. from a key on a job in
// the Jobs tab. The shell switches to the tab that handles it (Configure),
// which fills the form with the job's dataset, GPUs and hyperparameters,
// ready to change one value and launch.
type CloneJobMsg struct {
	Job model.Job
}

// CloneJob returns a command that asks for a new job like j.
func CloneJob(j model.Job) tea.Cmd {
	return func() tea.Msg { return CloneJobMsg{Job: j} }
}

// OpenJobMsg asks for a job's view, e.g. from enter on a notification
// about it. The Jobs tab handles it.
type OpenJobMsg struct {
	ID uuid.UUID
}

// OpenDatasetMsg asks for a dataset's report, e.g. from enter on a
// notification about it. The Datasets tab handles it.
type OpenDatasetMsg struct {
	ID uuid.UUID
}

// OpenAction returns a command that opens what a notification's action
// names (a job or a dataset), or nil when it names nothing to open.
func OpenAction(a model.NotificationAction) tea.Cmd {
	id, err := uuid.Parse(a.ID)
	if err != nil {
		return nil
	}
	switch a.Kind {
	case "job":
		return func() tea.Msg { return OpenJobMsg{ID: id} }
	case "dataset":
		return func() tea.Msg { return OpenDatasetMsg{ID: id} }
	}
	return nil
}

// Destination is implemented by a screen that is where a message leads:
// when the shell receives a ConfigureDatasetMsg, a CloneJobMsg, a
// JobCreatedMsg, a SweepCreatedMsg, an OpenJobMsg or an OpenDatasetMsg it activates the first screen whose Handles reports true,
// then hands the message to all screens. Screens name what they handle
// instead of the shell knowing tab titles.
type Destination interface {
	Handles(msg tea.Msg) bool
}

// ConfigureDataset returns a command that asks to configure a job on a
// dataset.
func ConfigureDataset(id uuid.UUID) tea.Cmd {
	return func() tea.Msg { return ConfigureDatasetMsg{DatasetID: id} }
}

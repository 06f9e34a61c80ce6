package jobs

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/estimatepanel"
)

// detailLabelWidth is the label column of the detail panel.
const detailLabelWidth = 14

// detailView is the open job's row, field by field, in a panel. It
// follows the job's changes like the list does.
func (m *Model) detailView() string {
	t := m.common.Theme
	j := *m.detail
	w := min(m.common.Width, 100)
	inner := w - 4
	valueW := max(10, inner-detailLabelWidth)
	kv := func(label, value string) string {
		lines := estimatepanel.WrapJoin(strings.Fields(value), " ", valueW)
		if len(lines) == 0 {
			lines = []string{"—"}
		}
		for i := range lines {
			pad := strings.Repeat(" ", detailLabelWidth)
			if i == 0 {
				pad = t.Label.Render(label) + strings.Repeat(" ", detailLabelWidth-lipgloss.Width(label))
			}
			lines[i] = pad + ansi.Truncate(lines[i], valueW, "…")
		}
		return strings.Join(lines, "\n")
	}
	title := t.Title.Render(ansi.Truncate(j.Name, max(10, inner-18), "…"))
	badge := m.badgeStyle(j.Status).Render(badgeText(j.Status))
	head := title + strings.Repeat(" ", max(2, inner-lipgloss.Width(title)-lipgloss.Width(badge))) + badge

	dataset := datasetName(j)
	if j.DatasetName != "" {
		dataset = fmt.Sprintf("%s · %s · %s pairs", j.DatasetName, dash(j.DatasetFormat), common.Thousands(int64(j.DatasetPairs)))
	}
	lines := []string{
		head,
		"",
		kv("ID", j.ID.String()),
		kv("Dataset", dataset),
		kv("Stage", fmt.Sprintf("%s · %.0f%% done", dash(j.CurrentStage), j.Progress)),
		kv("Progress", fmt.Sprintf("epoch %d of %d · step %s of %s", j.CurrentEpoch, j.TotalEpochs,
			common.Thousands(int64(j.CurrentStep)), common.Thousands(int64(j.TotalSteps)))),
		kv("GPUs", fmt.Sprintf("%d × %s", j.GPUConfig.Count, j.GPUConfig.Type)),
		kv("Preset", fmt.Sprintf("%s · trainer %s", dash(j.Preset), dash(j.Trainer))),
		kv("Hyperparams", strings.Join(estimatepanel.Hyperparameters(j.Hyperparameters), " · ")),
		kv("Cost", costLine(j)),
		kv("Metrics", metrics(j.CurrentMetrics)),
		kv("Queued", m.when(&j.QueuedAt)),
		kv("Started", m.when(j.StartedAt)),
		kv("Completed", m.when(j.CompletedAt)),
	}
	if j.CancelledAt != nil {
		lines = append(lines, kv("Cancelled", m.when(j.CancelledAt)))
	}
	if j.ErrorMessage != "" {
		lines = append(lines, t.Error.Render(kv("Error", j.ErrorMessage)))
	}
	lines = append(lines, "", t.Muted.Render("The live view with charts comes with job monitoring."))
	return t.Panel.Width(w).Render(strings.Join(lines, "\n"))
}

// costLine is the estimate, the cost so far and the final cost.
func costLine(j model.Job) string {
	final := "—"
	if j.FinalCost != nil {
		final = common.Money(*j.FinalCost)
	}
	return fmt.Sprintf("estimated %s · so far %s · final %s",
		common.Money(j.EstimatedTotalCost), common.Money(j.CurrentCost), final)
}

// metrics lists the current metrics by name.
func metrics(mm map[string]float64) string {
	if len(mm) == 0 {
		return "—"
	}
	names := make([]string, 0, len(mm))
	for k := range mm {
		names = append(names, k)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s %.4g", k, mm[k])
	}
	return strings.Join(parts, " · ")
}

// when is a time with how long ago it was, or a dash.
func (m *Model) when(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC") + " (" + common.Age(m.common.Now(), *t) + ")"
}

package jobs

import (
	"fmt"
	"strings"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/chart"
	"brightrun/ui/format"
)

// checkpointRows is how many checkpoint rows a view h lines tall lists:
// two at 24 lines, one more for every 8 beyond.
func checkpointRows(h int) int { return 2 + max(0, (h-24)/8) }

// checkpointLines is the title of the job's checkpoints and up to n of
// them by step: the newest, with the best (★) always among them.
func (m *Model) checkpointLines(w, n int) []string {
	t := m.common.Theme
	list := m.live.checkpoints
	if len(list) == 0 {
		return nil
	}
	shown := pickCheckpoints(list, n)
	title := t.LabelPaint.Render("checkpoints") + fmt.Sprintf("  %d saved · ★ best", len(list))
	if hidden := len(list) - len(shown); hidden > 0 {
		title += t.Muted.Render(fmt.Sprintf(" · %d more: brightrun job checkpoints", hidden))
	}
	lines := []string{common.Truncate(title, w, "…")}
	for _, c := range shown {
		mark := "  "
		if c.Best {
			mark = t.StrongPaint.Render("★ ")
		}
		row := fmt.Sprintf("%sstep %-6s epoch %-5s train %-7s val %-7s acc %-6s %s", mark, format.Thousands(int64(c.Step)),
			chart.AxisNumber(c.Epoch), optMetric(c.TrainLoss), optMetric(c.ValLoss), optMetric(c.ValAccuracy), format.Bytes(c.SizeBytes))
		lines = append(lines, common.Truncate(row, w, "…"))
	}
	return lines
}

// pickCheckpoints is the newest n of list in step order, the best one
// taking the place of the oldest of them when it is older.
func pickCheckpoints(list []model.Checkpoint, n int) []model.Checkpoint {
	if len(list) <= n {
		return list
	}
	shown := append([]model.Checkpoint(nil), list[len(list)-n:]...)
	if b := model.BestCheckpoint(list); b >= 0 && b < len(list)-n {
		shown = append([]model.Checkpoint{list[b]}, shown[1:]...)
	}
	return shown
}

// optMetric is a metric's value, or – when the checkpoint has none.
func optMetric(v *float64) string {
	if v == nil {
		return "–"
	}
	return chart.AxisNumber(*v)
}

// stopLines says why a run ended before its plan and which checkpoint's
// adapter it kept.
func (m *Model) stopLines(j model.Job) []string {
	if j.StopReason == "" {
		return nil
	}
	line := "■ " + j.StopReason
	if j.BestCheckpointStep != nil {
		line += fmt.Sprintf("; adapter from the checkpoint at step %s", format.Thousands(int64(*j.BestCheckpointStep)))
	}
	return []string{m.common.Theme.Muted.Render(strings.TrimSpace(line))}
}

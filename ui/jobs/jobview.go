package jobs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/chart"
	"brightrun/ui/format"
)

// The job view (enter on a job): a header with the status, the stage, a
// progress bar, the epoch and step, the time and the cost; a chart of the
// curve; the latest metrics; and the log (events and trainer output,
// newest last, searchable; z gives it the whole view). It follows the job
// as it runs: change events on its row bring the row, the new points, the
// events and the new output (see refreshLive).

// liveFixed is the lines the view has besides the header's extra lines,
// the chart's rows and the log: header (3), a blank, the chart's toggle
// line, its step axis (2), the latest metrics, a blank and the log's
// title.
const liveFixed = 10

// jobView draws the view w × h.
func (m *Model) jobView(w, h int) string {
	j := *m.detail
	lines := m.liveHeader(j, w)
	l := m.live
	if l.confirm != nil || l.prompt != nil {
		panel := ""
		if l.confirm != nil {
			panel = l.confirm.View()
		} else {
			panel = l.prompt.View()
		}
		lines = append(lines, "")
		lines = append(lines, strings.Split(panel, "\n")...)
		return fitLines(lines, w, h)
	}
	if l.urls != nil {
		lines = append(lines, "")
		lines = append(lines, m.urlLines(w, max(2, h-len(lines)))...)
		return fitLines(lines, w, h)
	}
	// Drawn at every point of a running job, in every session that shows
	// it: the chart and the log come cut to w, only the rest is cut here.
	lines = cutLines(lines, w)
	if !l.log.zoom {
		cps := m.checkpointLines(w, checkpointRows(h))
		room := max(0, h-liveFixed-(len(lines)-3)-len(cps))
		rows := max(3, room*2/3)
		lines = append(lines, "", common.Truncate(m.chartToggle(w), w, "…"))
		lines = append(lines, m.chartLines(w, rows)...)
		lines = append(lines, common.Truncate(m.latest(j, w), w, "…"))
		lines = append(lines, cps...)
	}
	lines = append(lines, "", common.Truncate(m.logTitle(w), w, "…"))
	lines = append(lines, m.logLines(w, max(1, h-len(lines)))...)
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// fitLines cuts the lines to the area.
func fitLines(lines []string, w, h int) string {
	return strings.Join(cutLines(lines[:min(len(lines), h)], w), "\n")
}

// cutLines cuts each line to w cells.
func cutLines(lines []string, w int) []string {
	for i, l := range lines {
		lines[i] = common.Truncate(l, w, "…")
	}
	return lines
}

// liveHeader is the name with the trainer's badge and the status; the
// stage, the bar, the epoch and the step; the time and the cost; then,
// when there are, the error, the pending cancel and what is under way.
func (m *Model) liveHeader(j model.Job, w int) []string {
	t := m.common.Theme
	sim := j.Trainer == model.TrainerSimulated
	head := m.live.memo.head.Get(fmt.Sprintf("%q|%v|%s|%d", j.Name, sim, j.Status, w), func() string {
		title := t.Title.Render(j.Name)
		if sim {
			title += " " + t.JobSimulated.Render(" simulated ")
		}
		badge := m.badgeStyle(j.Status).Render(badgeText(j.Status))
		return title + strings.Repeat(" ", max(2, w-common.Width(title)-common.Width(badge))) + badge
	})
	bar := m.progressBar(j.Progress, min(30, max(10, w/4)))
	stage := fmt.Sprintf("%s  %s %3.0f%%  epoch %d/%d · step %s/%s", dash(j.CurrentStage), bar, j.Progress,
		j.CurrentEpoch, j.TotalEpochs, format.Thousands(int64(j.CurrentStep)), format.Thousands(int64(j.TotalSteps)))
	lines := []string{head, stage, m.timeAndCost(j)}
	if j.ErrorMessage != "" {
		lines = append(lines, t.Error.Render("✗ "+j.ErrorMessage))
	}
	lines = append(lines, m.stopLines(j)...)
	if j.WaitingReason != "" && j.Status == model.JobQueued {
		lines = append(lines, t.Warning.Render("⏳ "+j.WaitingReason))
	}
	if j.CancelRequestedAt != nil && !j.Status.Final() {
		lines = append(lines, t.Warning.Render("Cancel requested: the job stops within a few seconds."))
	}
	if m.live.busy != "" {
		lines = append(lines, t.Muted.Render(m.live.busy))
	}
	return lines
}

// progressBar is done percent of a bar w cells wide.
func (m *Model) progressBar(done float64, w int) string {
	t := m.common.Theme
	n := min(w, max(0, int(done/100*float64(w)+0.5)))
	return m.live.memo.bar.Get(strconv.Itoa(n)+"/"+strconv.Itoa(w), func() string {
		return t.JobBarFill.Render(strings.Repeat("█", n)) + t.JobBarEmpty.Render(strings.Repeat("░", w-n))
	})
}

// timeAndCost is how long the job ran and has left, and what it cost
// against the estimate (and its cap): so far while it runs, the record once
// it ended.
func (m *Model) timeAndCost(j model.Job) string {
	t := m.common.Theme
	now := m.common.Now()
	var parts []string
	switch {
	case j.StartedAt == nil:
		parts = append(parts, "not started")
	case j.Status.Final() && j.CompletedAt != nil:
		parts = append(parts, "ran "+format.Span(j.CompletedAt.Sub(*j.StartedAt)))
	default:
		elapsed := now.Sub(*j.StartedAt)
		parts = append(parts, "elapsed "+format.Span(elapsed))
		switch {
		case j.EstimatedCompletionAt != nil && j.EstimatedCompletionAt.After(now):
			parts = append(parts, "remaining ~"+format.Span(j.EstimatedCompletionAt.Sub(now)))
		case j.Progress > 0 && j.Progress < 100:
			parts = append(parts, "remaining ~"+format.Span(time.Duration(float64(elapsed)*(100-j.Progress)/j.Progress)))
		}
	}
	est := "~" + format.Money(j.EstimatedTotalCost) + " est."
	if j.MaxCost != nil {
		est += " · cap " + format.Money(*j.MaxCost)
	}
	switch {
	case m.live.cost != nil:
		c := m.live.cost
		parts = append(parts, fmt.Sprintf("final cost %s of %s", t.StrongPaint.Render(format.Money(c.TotalCost)), est),
			fmt.Sprintf("compute %s + storage %s", format.Money(c.ComputeCost), format.Money(c.StorageCost)))
		parts = append(parts, belowEstimate(j, c.TotalCost)...)
	case j.FinalCost != nil:
		parts = append(parts, fmt.Sprintf("final cost %s of %s", t.StrongPaint.Render(format.Money(*j.FinalCost)), est))
		parts = append(parts, belowEstimate(j, *j.FinalCost)...)
	case j.Status == model.JobQueued:
		parts = append(parts, "cost "+est)
	default:
		parts = append(parts, fmt.Sprintf("cost %s so far of %s", t.StrongPaint.Render(format.Money(j.CurrentCost)), est))
	}
	return strings.Join(parts, " · ")
}

// belowEstimate says by how much a run that stopped before its plan cost
// less than its estimate.
func belowEstimate(j model.Job, final float64) []string {
	if j.StopReason == "" || final >= j.EstimatedTotalCost {
		return nil
	}
	return []string{format.Money(j.EstimatedTotalCost-final) + " below the estimate"}
}

// chartToggle names the charts c cycles through, the one drawn marked,
// with the legend of what it draws at the right.
func (m *Model) chartToggle(w int) string {
	key := fmt.Sprint(m.live.chart, "|", m.live.axis, "|", w, "|", len(m.live.val) > 0)
	return m.live.memo.toggle.Get(key, func() string { return m.drawChartToggle(w) })
}

func (m *Model) drawChartToggle(w int) string {
	t := m.common.Theme
	parts := make([]string, len(charts))
	for i, k := range charts {
		parts[i] = m.switchWord(i == m.live.chart, k.name)
	}
	left := t.Muted.Render("c ") + strings.Join(parts, " ") + t.Muted.Render(" · ") + m.axisSwitch("a", m.live.axis)
	right := m.legend()
	gap := w - common.Width(left) - common.Width(right)
	if gap < 2 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

// metricOrder is the order and the short names of the metrics the
// latest line shows first; a trainer's others follow by name.
var metricOrder = []struct{ key, name string }{
	{"train_loss", "train"}, {"val_loss", "val"}, {"learning_rate", "lr"},
	{"grad_norm", "grad"}, {"tokens_per_sec", "tok/s"}, {"gpu_utilization", "gpu %"},
}

// latest is the job's current metrics, completed from the last points
// read where the row carries fewer (a trainer may report some metrics
// only in its points).
func (m *Model) latest(j model.Job, w int) string {
	t := m.common.Theme
	mm := map[string]float64{}
	for k, v := range j.CurrentMetrics {
		mm[k] = v
	}
	for _, ps := range [][]model.MetricPoint{m.live.train, m.live.val} {
		if len(ps) == 0 {
			continue
		}
		for k, v := range ps[len(ps)-1].Metrics() {
			if _, ok := mm[k]; !ok {
				mm[k] = v
			}
		}
	}
	if len(mm) == 0 {
		return t.LabelPaint.Render("latest") + "  —"
	}
	var parts []string
	for _, o := range metricOrder {
		if v, ok := mm[o.key]; ok {
			parts = append(parts, o.name+" "+t.StrongPaint.Render(chart.AxisNumber(v)))
			delete(mm, o.key)
		}
	}
	rest := make([]string, 0, len(mm))
	for k := range mm {
		rest = append(rest, k)
	}
	slices.Sort(rest)
	for _, k := range rest {
		parts = append(parts, k+" "+t.StrongPaint.Render(chart.AxisNumber(mm[k])))
	}
	return common.Truncate(t.LabelPaint.Render("latest")+"  "+strings.Join(parts, " · "), w, "…")
}

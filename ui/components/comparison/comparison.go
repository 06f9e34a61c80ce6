// Package comparison draws the table operators decide with: many priced
// configurations of one training run side by side (every preset on every
// GPU type, at one GPU count or at all of them), the cheapest and the
// fastest marked, optionally sorted and with a cursor to pick a row. The
// Estimate calculator shows it read-only under its form; the Configure
// screen shows it full-screen and loads the picked row into its form.
package comparison

import (
	"cmp"
	"fmt"
	"slices"

	"brightrun/model"
	"brightrun/ui/format"
	"brightrun/ui/theme"
)

// Column is one column a comparison can show.
type Column int

// The columns, in the order a full table shows them.
const (
	// Mark is ★ on the cheapest row, » on the fastest and › on the form's
	// current choice.
	Mark Column = iota
	Preset
	GPU
	Count
	Cost
	Time
	CostPerEpoch
	Rate
	Steps
)

var headers = [...]string{
	Mark: "", Preset: "Preset", GPU: "GPU", Count: "GPUs", Cost: "Cost",
	Time: "Time", CostPerEpoch: "Per epoch", Rate: "Rate", Steps: "Steps",
}

// Header is the column's heading.
func (c Column) Header() string { return headers[c] }

// numeric columns are right-aligned so digits line up.
func (c Column) numeric() bool { return c >= Count }

// Cell renders e's value in the column (Mark has none: the table decides).
func (c Column) Cell(e model.Estimate) string {
	switch c {
	case Preset:
		return e.Preset
	case GPU:
		return e.GPUConfig.Type
	case Count:
		return fmt.Sprintf("%d×", e.GPUConfig.Count)
	case Cost:
		return format.Money(e.EstimatedCost)
	case Time:
		return fmt.Sprintf("%.2f h", e.EstimatedDurationHours)
	case CostPerEpoch:
		return format.Money(PerEpoch(e))
	case Rate:
		return format.Rate(e.HourlyRate)
	case Steps:
		return format.Thousands(int64(e.TrainingDetails.TotalSteps))
	}
	return ""
}

// PerEpoch is what one epoch of the run costs: the total over the epochs,
// storage included, so runs of different lengths compare fairly.
func PerEpoch(e model.Estimate) float64 {
	return e.EstimatedCost / float64(max(1, e.Hyperparameters.Epochs))
}

// Best returns the indexes of the cheapest and of the fastest row, the
// first one on ties, or -1 and -1 for no rows.
func Best(rows []model.Estimate) (cheapest, fastest int) {
	if len(rows) == 0 {
		return -1, -1
	}
	for i, e := range rows {
		if e.EstimatedCost < rows[cheapest].EstimatedCost {
			cheapest = i
		}
		if e.EstimatedDurationHours < rows[fastest].EstimatedDurationHours {
			fastest = i
		}
	}
	return cheapest, fastest
}

// Sort orders rows by a column, stably, so rows that tie keep the order
// they came in (preset, then GPU). Cost, Time and CostPerEpoch compare
// numbers; any other column leaves the rows as they are.
func Sort(rows []model.Estimate, by Column, desc bool) {
	var key func(model.Estimate) float64
	switch by {
	case Cost:
		key = func(e model.Estimate) float64 { return e.EstimatedCost }
	case Time:
		key = func(e model.Estimate) float64 { return e.EstimatedDurationHours }
	case CostPerEpoch:
		key = PerEpoch
	default:
		return
	}
	slices.SortStableFunc(rows, func(a, b model.Estimate) int {
		if desc {
			return cmp.Compare(key(b), key(a))
		}
		return cmp.Compare(key(a), key(b))
	})
}

// Table is one drawing of a comparison. Cheapest, Fastest and Cursor are
// row indexes, -1 for none; a zero Height draws every row, and a SortBy
// other than Cost, Time or CostPerEpoch shows no arrow.
type Table struct {
	Theme   *theme.Theme
	Columns []Column
	Rows    []model.Estimate // in the order to draw them
	// Cheapest and Fastest are the rows to mark (see Best).
	Cheapest, Fastest int
	// Current, when set, marks the rows that match the form's choice.
	Current func(model.Estimate) bool
	// Cursor is the row under the cursor.
	Cursor int
	// Height is the most lines the table may take, borders and header
	// included; it scrolls from Offset, showing "…" under the last row
	// when more follow. Zero or less draws every row.
	Height, Offset int
	// SortBy, when a sortable column, gets ▲ (or ▼ when Desc) in its
	// header.
	SortBy Column
	Desc   bool
}

// chrome is the lines a table takes besides its rows: top border, header,
// the rule under it and the bottom border.
const chrome = 4

// Visible is how many rows a table Height lines high shows from offset out
// of n: all that are left when they fit, else one fewer than the room to
// leave the "…" line.
func Visible(height, offset, n int) int {
	room := max(1, height-chrome)
	if offset+room >= n {
		return max(0, n-offset)
	}
	return max(1, room-1)
}

// ScrollTo returns the offset that keeps cursor in view of a table Height
// lines high over n rows, moving offset as little as possible.
func ScrollTo(height, offset, cursor, n int) int {
	room := max(1, height-chrome)
	if n <= room {
		return 0
	}
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+Visible(height, offset, n) {
		offset = cursor - Visible(height, 0, n) + 1
	}
	return max(0, min(offset, n-room))
}

// mark is a row's mark: ★ cheapest, » fastest, or › the current choice.
func (t Table) mark(i int) string {
	m := ""
	if i == t.Cheapest {
		m = "★"
	}
	if i == t.Fastest {
		m += "»"
	}
	if m == "" && t.Current != nil && t.Current(t.Rows[i]) {
		m = "›"
	}
	if m == "" {
		m = " "
	}
	return m
}

package conversations

import (
	"strconv"

	"charm.land/bubbles/v2/table"

	"brightrun/model"
)

// column is one column of the browse table: its title, the sort column it
// stands for, its width (0 for the title, which takes what is left), and
// when it goes on a narrow terminal (higher drops first; 0 never drops).
type column struct {
	title string
	sort  string
	width int
	drop  int
	cell  func(c model.Conversation) string
}

// titleMinWidth is the least the title column is given before other
// columns are dropped to make room.
const titleMinWidth = 28

// markWidth is the "✓ " in front of a selected row's title.
const markWidth = 2

// allColumns are the table's columns in order. Numbers are padded on the
// left here, since the table bubble only pads on the right.
var allColumns = []column{
	{title: "Title", sort: model.SortTitle, cell: func(c model.Conversation) string { return c.Title }},
	{title: "Persona", sort: model.SortPersona, width: 13, drop: 2, cell: func(c model.Conversation) string { return named(c.PersonaName, c.Persona) }},
	{title: "Arc", sort: model.SortEmotionalArc, width: 13, drop: 4, cell: func(c model.Conversation) string { return named(c.EmotionalArcName, c.EmotionalArc) }},
	{title: "Topic", sort: model.SortTrainingTopic, width: 13, drop: 7, cell: func(c model.Conversation) string { return named(c.TrainingTopicName, c.TrainingTopic) }},
	{title: "Tier", sort: model.SortTier, width: 9, cell: func(c model.Conversation) string { return c.Tier }},
	{title: "Status", sort: model.SortEnrichmentStatus, width: 12, drop: 3, cell: func(c model.Conversation) string { return c.EnrichmentStatus }},
	{title: "Q", sort: model.SortQualityScore, width: 4, cell: func(c model.Conversation) string { return rightAlign(quality(c.QualityScore), 4) }},
	{title: "Turns", sort: model.SortTurnCount, width: 6, drop: 5, cell: func(c model.Conversation) string { return rightAlign(strconv.Itoa(c.TurnCount), 6) }},
	{title: "Pairs", sort: model.SortPairCount, width: 6, drop: 1, cell: func(c model.Conversation) string { return rightAlign(strconv.Itoa(c.PairCount), 6) }},
	{title: "Created", sort: model.SortCreatedAt, width: 10, drop: 6, cell: func(c model.Conversation) string { return date(c) }},
}

// sortOrder is the order s cycles through: the columns, left to right.
var sortOrder = func() []string {
	out := make([]string, len(allColumns))
	for i, c := range allColumns {
		out[i] = c.sort
	}
	return out
}()

// sortLabel names a sort column the way the header does.
func sortLabel(col string) string {
	for _, c := range allColumns {
		if c.sort == col {
			return c.title
		}
	}
	return col
}

// named is a reference value as the table shows it: its name, or its key
// when it has none (a key an import added); the detail shows both.
func named(name, key string) string {
	if name == "" {
		return key
	}
	return name
}

// namedKey is a reference value as the detail shows it: "Name (key)", or
// the key alone when it has no name.
func namedKey(name, key string) string {
	if name == "" || name == key {
		return key
	}
	return name + " (" + key + ")"
}

func quality(q *float64) string {
	if q == nil {
		return "–"
	}
	return strconv.FormatFloat(*q, 'f', 1, 64)
}

func date(c model.Conversation) string {
	if c.CreatedAt.IsZero() {
		return "–"
	}
	return c.CreatedAt.UTC().Format("2006-01-02")
}

func rightAlign(s string, w int) string {
	for len(s) < w {
		s = " " + s
	}
	return s
}

// shown says whether the sort column col is among cols.
func shown(cols []column, col string) bool {
	for _, c := range cols {
		if c.sort == col {
			return true
		}
	}
	return false
}

// layoutColumns picks the columns that fit width (each takes one cell of
// padding) and gives the title the rest.
func layoutColumns(width int) (cols []column, titleW int) {
	cols = append([]column(nil), allColumns...)
	for {
		used := 0
		for _, c := range cols {
			used += c.width + 1
		}
		titleW = width - used - 1
		if titleW >= titleMinWidth {
			return cols, titleW
		}
		worst := -1
		for i, c := range cols {
			if c.drop > 0 && (worst < 0 || c.drop > cols[worst].drop) {
				worst = i
			}
		}
		if worst < 0 {
			return cols, max(1, titleW)
		}
		cols = append(cols[:worst], cols[worst+1:]...)
	}
}

// tableColumns are the bubble's columns, the sorted one marked ▲ or ▼.
func tableColumns(cols []column, titleW int, sortCol string, desc bool) []table.Column {
	out := make([]table.Column, len(cols))
	for i, c := range cols {
		title, w := c.title, c.width
		if w == 0 {
			w = titleW
			title = "  " + title // over the selection marks
		}
		if c.sort == sortCol {
			if desc {
				title += "▼"
			} else {
				title += "▲"
			}
		}
		out[i] = table.Column{Title: title, Width: w}
	}
	return out
}

// cells formats a conversation for the chosen columns, with the selection
// mark in front of the title. The cells are plain text: the cursor row's
// style wraps the whole row, and a style inside a cell would end it early.
func cells(cols []column, c model.Conversation, selected bool) table.Row {
	row := make(table.Row, len(cols))
	for i, col := range cols {
		v := col.cell(c)
		if col.width == 0 {
			if selected {
				v = "✓ " + v
			} else {
				v = "  " + v
			}
		}
		row[i] = v
	}
	return row
}

// pendingRow stands for a row whose window is still being fetched.
func pendingRow(cols []column) table.Row {
	row := make(table.Row, len(cols))
	for i := range row {
		row[i] = "·"
	}
	row[0] = "  …"
	return row
}

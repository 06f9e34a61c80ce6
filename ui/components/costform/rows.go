package costform

import (
	"strings"

	"charm.land/lipgloss/v2"

	"brightrun/ui/theme"
)

// Builder writes a form's sections and rows.
type Builder struct {
	t *theme.Theme
	b strings.Builder
}

// NewBuilder starts an empty form.
func NewBuilder(t *theme.Theme) *Builder { return &Builder{t: t} }

// Section starts a group of rows under a title, with an optional muted
// hint, a blank line above all but the first.
func (b *Builder) Section(title, hint string) {
	if b.b.Len() > 0 {
		b.b.WriteString("\n")
	}
	b.b.WriteString(b.t.Strong.Render(title))
	if hint != "" {
		b.b.WriteString("  " + b.t.Muted.Render(hint))
	}
	b.b.WriteString("\n")
}

// Line is the start of a row: the cursor bar where focused, the label, and
// the control, aligned on the label column.
func (b *Builder) Line(label string, focused bool, control string) string {
	bar, l := "  ", b.t.Label.Render(label)
	if focused {
		bar, l = b.t.Cursor.Render("▌")+" ", b.t.LabelFocused.Render(label)
	}
	return bar + l + strings.Repeat(" ", max(1, LabelWidth-2-lipgloss.Width(label))) + control
}

// Write adds a finished line (and whatever follows it, newline-ended).
func (b *Builder) Write(line string) { b.b.WriteString(line + "\n") }

// WriteRaw adds text as it is.
func (b *Builder) WriteRaw(s string) { b.b.WriteString(s) }

// Problem writes a row's problem under it, from indent, wrapped to the
// width (never cut: its end is the help), marked ✗ on its first line.
func (b *Builder) Problem(msg string, indent, w int) {
	wrapped := lipgloss.NewStyle().Width(max(8, w-indent-2)).Render(msg)
	for i, l := range strings.Split(wrapped, "\n") {
		mark := "  "
		if i == 0 {
			mark = "✗ "
		}
		b.b.WriteString(strings.Repeat(" ", indent) + b.t.Error.Render(mark+strings.TrimRight(l, " ")) + "\n")
	}
}

// String is the form, without its last newline.
func (b *Builder) String() string { return strings.TrimRight(b.b.String(), "\n") }

// Indent is where a problem starts under its row: under the values where
// it fits there, else nearer the margin.
func Indent(msg string, w int) int {
	if lipgloss.Width(msg)+2 <= w-LabelWidth {
		return LabelWidth
	}
	return 4
}

// SharedIndent is one Indent for all the problems, so a form whose rows
// all move together stays aligned.
func SharedIndent[F comparable](msgs map[F]string, w int) int {
	for _, msg := range msgs {
		if Indent(msg, w) != LabelWidth {
			return 4
		}
	}
	return LabelWidth
}

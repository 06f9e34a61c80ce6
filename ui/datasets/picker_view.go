package datasets

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/format"
)

// pickerView is the file picker: what may be chosen, the path input, the
// directory and its files, and why the last choice was refused.
func (m *Model) pickerView() string {
	t := m.common.Theme
	p := &m.pick
	w := m.common.Width
	which := ".jsonl files"
	if p.anyFile {
		which = "every file"
	}
	hint := "Showing " + which + " (a switches) · tab types a path · at most 500 MiB"
	path := p.path.View()
	if !p.typing {
		path = t.Muted.Render(p.path.Prompt + "tab to type one")
	}
	dir := p.fp.CurrentDirectory
	if !p.ready {
		dir = m.spinner.View() + " finding the working directory…"
	}
	problem := ""
	if p.problem != "" {
		problem = t.Error.Render(ansi.Truncate("✗ "+p.problem, w, "…"))
	}
	lines := []string{
		t.Title.Render("Upload a dataset"),
		t.Muted.Render(ansi.Truncate(hint, w, "…")),
		path,
		t.Strong.Render(format.PathEnd(dir, w)),
		strings.TrimRight(p.fp.View(), "\n"),
		problem,
	}
	return strings.Join(lines, "\n")
}

// nameView asks for the name of the chosen file's dataset.
func (m *Model) nameView() string {
	t := m.common.Theme
	p := &m.pick
	w := m.common.Width
	file := format.PathEnd(p.chosen, max(10, w-20)) + t.Muted.Render(" ("+format.Bytes(p.size)+")")
	lines := []string{
		t.Title.Render("Upload a dataset"),
		"",
		t.Label.Render("File  ") + file,
		t.Label.Render("Name  ") + m.name.View(),
		"",
		lipgloss.NewStyle().Width(w).Render(t.Muted.Render("The upload runs in the background with its progress on the list; " +
			"validation starts when it ends.")),
		"",
		t.Muted.Render("enter uploads · esc goes back to the files"),
	}
	return strings.Join(lines, "\n")
}

package conversations

import (
	"path/filepath"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/ui/format"
)

// view draws the dialog's current step in a panel.
func (im *importer) view() string {
	t := im.common.Theme
	w := dialogWidth(im.width)
	inner := w - 4
	var lines []string
	switch im.state {
	case importPicking:
		dir := im.picker.CurrentDirectory
		if !filepath.IsAbs(dir) && !strings.HasPrefix(dir, ".") {
			dir = "./" + dir
		}
		lines = []string{
			t.Title.Render("Import conversations") + t.Muted.Render(" · folders and .json files"),
			t.Muted.Render(ansi.Truncate(dir, inner, "…")),
			strings.TrimRight(im.picker.View(), "\n"),
		}
	case importTyping:
		return place(im.width, im.prompt.View())
	case importRunning:
		lines = []string{
			t.Title.Render("Importing") + t.Muted.Render(" · esc stops"),
			"",
			im.counts(),
			im.bar.ViewAs(im.fraction()),
			t.Muted.Render(ansi.Truncate(im.lastFile, inner, "…")),
		}
	default:
		r := im.result
		lines = []string{t.Title.Render("Import finished"), ""}
		if im.err != nil {
			lines[0] = t.Error.Render("Import stopped")
			lines = append(lines, t.Error.Render(ansi.Truncate(im.err.Error(), inner, "…")))
		}
		lines = append(lines,
			t.Success.Render("imported "+format.Thousands(int64(r.Imported)))+t.Muted.Render(" · ")+
				"updated "+format.Thousands(int64(r.Updated))+t.Muted.Render(" · ")+
				rejectedStyle(im, len(r.Rejected)).Render("rejected "+format.Thousands(int64(len(r.Rejected)))),
			im.bar.ViewAs(im.fraction()),
		)
		for _, nk := range []struct {
			what string
			keys []string
		}{{"new personas", r.NewPersonas}, {"new arcs", r.NewEmotionalArcs}, {"new topics", r.NewTopics}} {
			if len(nk.keys) > 0 {
				lines = append(lines, t.Warning.Render(ansi.Truncate(nk.what+": "+strings.Join(nk.keys, ", "), inner, "…")))
			}
		}
		if len(r.Rejected) > 0 {
			lines = append(lines, "", t.Strong.Render("Rejected files"), im.summary.View())
		}
	}
	return place(im.width, t.Panel.Width(w).Render(strings.Join(lines, "\n")))
}

func rejectedStyle(im *importer, n int) lipgloss.Style {
	if n > 0 {
		return im.common.Theme.Error
	}
	return lipgloss.NewStyle()
}

// counts is "1,234 of 5,000 files" (or the walk still counting).
func (im *importer) counts() string {
	if im.total == 0 {
		return "Looking for files…"
	}
	return format.Thousands(int64(im.done)) + " of " + format.Thousands(int64(im.total)) + " files"
}

func (im *importer) fraction() float64 {
	if im.total == 0 {
		return 0
	}
	return float64(im.done) / float64(im.total)
}

func place(w int, s string) string { return lipgloss.PlaceHorizontal(w, lipgloss.Center, s) }

package format

import "github.com/charmbracelet/x/ansi"

// PathEnd fits a path into w cells by keeping its end, the part that tells
// files and directories apart: "…/datasets/support.jsonl".
func PathEnd(path string, w int) string {
	if ansi.StringWidth(path) <= w {
		return path
	}
	r := []rune(path)
	for len(r) > 0 && ansi.StringWidth(string(r))+1 > w {
		r = r[1:]
	}
	return "…" + string(r)
}

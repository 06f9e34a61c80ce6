package conversations

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/filepicker"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/engine"
	"brightrun/ui/common"
	"brightrun/ui/components/pathprompt"
	"brightrun/ui/format"
)

// importState is the step of the import dialog.
type importState int

const (
	importPicking importState = iota // browsing for a file or folder
	importTyping                     // typing paths or globs
	importRunning                    // files going in, with progress
	importDone                       // the summary
)

// importer is the import dialog: a file picker (folders and *.json) or a
// typed path or glob, then the import itself running in a goroutine whose
// progress arrives as messages, then a summary with the rejected files in
// a scrollable viewport. A folder of thousands of files shows a moving
// count and bar, never a frozen screen, and esc stops it.
type importer struct {
	common *common.Common
	state  importState

	picker filepicker.Model
	prompt pathprompt.Model

	bar         progress.Model
	done, total int
	lastFile    string
	cancel      context.CancelFunc

	result  engine.ImportResult
	err     error
	summary viewport.Model
	// root is the one folder imported, if it was one: rejections are
	// named relative to it.
	root string

	width, height int
}

// importProgressMsg is one progress report; ch is where the next comes from.
type importProgressMsg struct {
	p  engine.ImportProgress
	ch <-chan tea.Msg
}

// importDoneMsg ends an import.
type importDoneMsg struct {
	res engine.ImportResult
	err error
}

func newImporter(c *common.Common, dir string) *importer {
	im := &importer{common: c}
	fp := filepicker.New()
	fp.CurrentDirectory = dir
	fp.AllowedTypes = []string{".json"}
	fp.DirAllowed, fp.FileAllowed = true, true
	fp.ShowPermissions = false
	fp.AutoHeight = false
	fp.Cursor = "▌"
	// enter imports what is highlighted (the screen handles it); opening a
	// folder is → or l only, and esc closes the dialog instead of going up.
	fp.KeyMap.Open.SetKeys("l", "right")
	fp.KeyMap.Select.Unbind()
	fp.KeyMap.Back.SetKeys("h", "left", "backspace")
	im.picker = fp
	im.bar = progress.New(c.Theme.Progress()...)
	im.summary = viewport.New()
	im.summary.SoftWrap = true // a rejection's reason is read whole
	im.applyTheme()
	im.setSize(c.Width, c.Height)
	return im
}

func (im *importer) applyTheme() {
	th := im.common.Theme
	im.picker.Styles = th.FilePicker()
	im.bar = progress.New(append(th.Progress(), progress.WithWidth(im.bar.Width()))...)
	im.bar.EmptyColor = th.ProgressEmpty()
}

// dialogWidth is the import dialog's width on a terminal w wide.
func dialogWidth(w int) int { return max(10, min(w, 76)) }

func (im *importer) setSize(w, h int) {
	im.width, im.height = w, h
	inner := dialogWidth(w) - 4
	im.picker.SetHeight(max(1, h-6))
	if im.state == importTyping {
		im.prompt.SetWidth(dialogWidth(w))
	}
	im.bar.SetWidth(max(4, inner))
	im.summary.SetWidth(max(1, inner))
	im.summary.SetHeight(max(1, h-9))
	if im.state == importDone {
		im.fitSummary()
	}
}

// fitSummary makes the rejections' viewport as tall as its wrapped lines,
// up to what the screen leaves.
func (im *importer) fitSummary() {
	inner := max(1, dialogWidth(im.width)-4)
	n := 0
	for _, r := range strings.Split(im.rejectionLines(), "\n") {
		n += max(1, (ansi.StringWidth(r)+inner-1)/inner)
	}
	im.summary.SetHeight(max(1, min(n, im.height-9)))
}

func (im *importer) running() bool { return im.state == importRunning }

// openImport shows the dialog and reads the first folder.
func (m *Model) openImport() tea.Cmd {
	if m.common.Remote {
		return common.Err("import", fmt.Errorf("%w; run `brightrun import PATH` on the machine with the files", common.ErrRemote))
	}
	m.importer = newImporter(&m.common, m.importDir)
	m.mode = modeImport
	return m.importer.picker.Init()
}

// importKey gives a key to the dialog and closes it when asked.
func (m *Model) importKey(k tea.KeyPressMsg) tea.Cmd {
	return m.closeIf(m.importer.key(k, m.keys))
}

// key handles one key of the dialog; closed asks the screen to close it.
func (im *importer) key(k tea.KeyPressMsg, keys keyMap) (cmd tea.Cmd, closed bool) {
	switch im.state {
	case importPicking:
		switch {
		case key.Matches(k, keys.Cancel):
			return nil, true
		case key.Matches(k, keys.PickType):
			im.state = importTyping
			im.prompt = pathprompt.New(im.common.Theme, "Import conversation files", im.picker.CurrentDirectory)
			im.prompt.Hint = "files, folders or globs (*.json), separated by spaces"
			im.prompt.SetWidth(dialogWidth(im.width))
			return im.prompt.Focus(), false
		case key.Matches(k, keys.PickHere):
			return im.start([]string{im.picker.CurrentDirectory}), false
		case key.Matches(k, keys.PickImport):
			if p := im.picker.HighlightedPath(); p != "" {
				return im.start([]string{p}), false
			}
			return nil, false
		}
		im.picker, cmd = im.picker.Update(k)
		return cmd, false
	case importTyping:
		var res pathprompt.Result
		im.prompt, cmd, res = im.prompt.Update(k)
		switch res {
		case pathprompt.Cancelled:
			im.state = importPicking
		case pathprompt.Submitted:
			return im.start(strings.Fields(im.prompt.Value())), false
		}
		return cmd, false
	case importRunning:
		if key.Matches(k, keys.Cancel) && im.cancel != nil {
			im.cancel()
		}
		return nil, false
	default:
		if key.Matches(k, keys.Close) {
			return nil, true
		}
		im.summary, cmd = im.summary.Update(k)
		return cmd, false
	}
}

// start runs the import in a goroutine started by a command: progress
// reports go through a channel, one message each, and the result last.
// A report that finds the channel full is dropped; a newer one follows.
func (im *importer) start(paths []string) tea.Cmd {
	for i, p := range paths {
		paths[i] = pathprompt.Expand(p)
	}
	im.state = importRunning
	im.done, im.total, im.lastFile = 0, 0, ""
	im.root = ""
	if len(paths) == 1 {
		im.root = paths[0]
	}
	ctx, cancel := context.WithCancel(im.common.Ctx)
	im.cancel = cancel
	b := im.common.Backend
	ch := make(chan tea.Msg, 64)
	run := func() tea.Msg {
		go func() {
			defer cancel()
			res, err := b.Import(ctx, paths, func(p engine.ImportProgress) {
				select {
				case ch <- importProgressMsg{p: p, ch: ch}:
				default:
				}
			})
			ch <- importDoneMsg{res: res, err: err}
		}()
		return <-ch
	}
	return run
}

func listen(ch <-chan tea.Msg) tea.Cmd { return func() tea.Msg { return <-ch } }

// update takes the import's messages and the picker's and prompt's own;
// reload is true once an import finished, so the table shows its rows.
func (im *importer) update(msg tea.Msg) (cmd tea.Cmd, reload bool) {
	switch msg := msg.(type) {
	case importProgressMsg:
		im.done, im.total = msg.p.Done, msg.p.Total
		if msg.p.File != "" {
			im.lastFile = msg.p.File
		}
		return listen(msg.ch), false
	case importDoneMsg:
		im.state = importDone
		im.result, im.err = msg.res, msg.err
		im.done = max(im.done, im.total)
		im.summary.SetContent(im.rejectionLines())
		im.fitSummary()
		r := msg.res
		text := "Imported " + format.Thousands(int64(r.Imported)) + " · updated " + format.Thousands(int64(r.Updated)) +
			" · rejected " + format.Thousands(int64(len(r.Rejected)))
		if msg.err != nil {
			return common.Err("import", msg.err), true
		}
		return common.Notice(text), true
	}
	switch im.state {
	case importPicking:
		im.picker, cmd = im.picker.Update(msg)
	case importTyping:
		im.prompt, cmd, _ = im.prompt.Update(msg)
	}
	return cmd, false
}

// rejectionLines lists what did not go in, one file a line.
func (im *importer) rejectionLines() string {
	lines := make([]string, 0, len(im.result.Rejected))
	for _, r := range im.result.Rejected {
		if rel, err := filepath.Rel(im.root, r.File); im.root != "" && err == nil && !strings.HasPrefix(rel, "..") && rel != "." {
			r.File = rel
		}
		lines = append(lines, r.String())
	}
	return strings.Join(lines, "\n")
}

// help is the dialog's keys in its current step.
func (im *importer) help(k keyMap) []key.Binding {
	switch im.state {
	case importPicking:
		return []key.Binding{k.PickImport, k.PickOpen, k.PickBack, k.PickHere, k.PickType, k.Cancel}
	case importTyping:
		return []key.Binding{im.prompt.KeyMap.Submit, im.prompt.KeyMap.Cancel}
	case importRunning:
		return []key.Binding{common.Key("esc", "stop", "esc")}
	}
	return []key.Binding{k.Scroll, k.Close}
}

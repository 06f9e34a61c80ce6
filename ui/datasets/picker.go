package datasets

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/filepicker"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"brightrun/model"
	"brightrun/ui/format"
	"brightrun/ui/theme"
)

// picker chooses the file to upload: the file picker bubble over the
// machine's directories (.jsonl files only until a toggles every file), or a
// path typed after tab. The chosen file is looked at in a command before
// anything else, so one over 500 MiB is refused before a byte is sent.
type picker struct {
	fp      filepicker.Model
	path    textinput.Model
	typing  bool // the path input has the keys
	anyFile bool
	ready   bool   // the start directory is known
	problem string // why the last choice was refused
	// chosen and size are the file being named, once it passed the checks.
	chosen string
	size   int64
}

// Messages of the picker's commands.
type (
	pickDirMsg struct {
		dir string
		err error
	}
	statMsg struct {
		path  string
		size  int64
		isDir bool
		err   error
	}
)

// pickerChrome is the lines around the file list: title, hint, path,
// directory, problem and a blank.
const pickerChrome = 6

func newPicker() picker {
	fp := filepicker.New()
	fp.AllowedTypes = []string{".jsonl"}
	fp.ShowPermissions = false
	fp.AutoHeight = false
	fp.Cursor = "▌"
	// esc closes the picker; the parent directory is h, ← or backspace.
	fp.KeyMap.Back = key.NewBinding(key.WithKeys("h", "left", "backspace"))
	fp.KeyMap.PageUp.SetKeys("pgup")
	fp.KeyMap.PageDown.SetKeys("pgdown")
	in := textinput.New()
	in.Prompt = "Path: "
	in.Placeholder = "type a path, then enter"
	return picker{fp: fp, path: in}
}

func (p *picker) applyTheme(t *theme.Theme) {
	p.fp.Styles = t.FilePicker()
	p.path.SetStyles(t.TextInput())
}

func (p *picker) resize(m *Model) {
	p.fp.SetHeight(max(1, m.common.Height-pickerChrome))
	p.path.SetWidth(max(10, m.common.Width-len(p.path.Prompt)-2))
}

// openPicker shows the picker at the last directory, or finds the working
// directory in a command.
func (m *Model) openPicker() tea.Cmd {
	m.back, m.mode = m.mode, modePick
	p := &m.pick
	p.typing, p.problem = false, ""
	p.path.Blur()
	p.path.SetValue("")
	if p.ready {
		return p.fp.Init()
	}
	dir := m.startDir
	return func() tea.Msg {
		if dir == "" {
			wd, err := os.Getwd()
			if err != nil {
				return pickDirMsg{err: err}
			}
			dir = wd
		}
		abs, err := filepath.Abs(dir)
		return pickDirMsg{dir: abs, err: err}
	}
}

// statFile looks at a chosen path before it is named and sent.
func statFile(path string) tea.Cmd {
	return func() tea.Msg {
		if strings.HasPrefix(path, "~/") {
			if home, err := os.UserHomeDir(); err == nil {
				path = filepath.Join(home, path[2:])
			}
		}
		st, err := os.Stat(path)
		if err != nil {
			return statMsg{path: path, err: err}
		}
		return statMsg{path: path, size: st.Size(), isDir: st.IsDir()}
	}
}

// updatePicker handles the picker's keys and its commands' messages.
func (m *Model) updatePicker(msg tea.Msg) tea.Cmd {
	p := &m.pick
	switch msg := msg.(type) {
	case pickDirMsg:
		if msg.err != nil {
			p.problem = "Cannot read the working directory: " + msg.err.Error()
			return nil
		}
		p.fp.CurrentDirectory, p.ready = msg.dir, true
		return p.fp.Init()
	case statMsg:
		return m.checkChosen(msg)
	case tea.KeyPressMsg:
		return m.pickerKey(msg)
	}
	var cmd tea.Cmd
	p.fp, cmd = p.fp.Update(msg)
	return cmd
}

func (m *Model) pickerKey(k tea.KeyPressMsg) tea.Cmd {
	p := &m.pick
	switch {
	case matches(k, m.keys.Close):
		m.mode = m.back
		return nil
	case matches(k, m.keys.TypePath):
		p.typing = !p.typing
		if !p.typing {
			p.path.Blur()
			return nil
		}
		if p.path.Value() == "" {
			p.path.SetValue(p.fp.CurrentDirectory + string(filepath.Separator))
			p.path.CursorEnd()
		}
		return p.path.Focus()
	case p.typing && matches(k, m.keys.Accept):
		path := strings.TrimSpace(p.path.Value())
		if path == "" {
			return nil
		}
		return statFile(path)
	case p.typing:
		var cmd tea.Cmd
		p.path, cmd = p.path.Update(k)
		return cmd
	case matches(k, m.keys.AnyFile):
		p.anyFile = !p.anyFile
		p.fp.AllowedTypes = []string{".jsonl"}
		if p.anyFile {
			p.fp.AllowedTypes = nil
		}
		return nil
	}
	p.problem = ""
	var cmd tea.Cmd
	p.fp, cmd = p.fp.Update(k)
	if ok, path := p.fp.DidSelectFile(k); ok {
		return statFile(path)
	}
	if ok, path := p.fp.DidSelectDisabledFile(k); ok {
		p.problem = filepath.Base(path) + " is not a .jsonl file; a shows every file"
	}
	return cmd
}

// checkChosen refuses what cannot be uploaded, opens a directory typed as
// a path, and asks for a name for a file that passes.
func (m *Model) checkChosen(msg statMsg) tea.Cmd {
	p := &m.pick
	switch {
	case msg.err != nil:
		p.problem = msg.err.Error()
	case msg.isDir:
		p.fp.CurrentDirectory, p.typing = msg.path, false
		p.path.Blur()
		p.path.SetValue("")
		return p.fp.Init()
	case msg.size > model.MaxDatasetBytes:
		p.problem = fmt.Sprintf("%s is %s, over the 500 MiB limit; nothing was sent", filepath.Base(msg.path), format.Bytes(msg.size))
	case msg.size == 0:
		p.problem = filepath.Base(msg.path) + " is empty"
	default:
		p.chosen, p.size, p.problem = msg.path, msg.size, ""
		m.mode = modeName
		m.name.SetValue(strings.TrimSuffix(filepath.Base(msg.path), ".jsonl"))
		m.name.CursorEnd()
		return m.name.Focus()
	}
	return nil
}

// updateName handles the name prompt of an upload from here.
func (m *Model) updateName(k tea.KeyPressMsg) tea.Cmd {
	return m.nameKey(k, modePick, func(name string) tea.Cmd {
		m.mode = modeList
		return m.startUpload(m.pick.chosen, name, m.pick.size)
	})
}

// nameKey handles a key in a name prompt: Close goes back to mode back,
// Accept with a name hands it to accept, any other key is typed.
func (m *Model) nameKey(k tea.KeyPressMsg, back mode, accept func(name string) tea.Cmd) tea.Cmd {
	switch {
	case matches(k, m.keys.Close):
		m.mode = back
		m.name.Blur()
		return nil
	case matches(k, m.keys.Accept):
		name := strings.TrimSpace(m.name.Value())
		if name == "" {
			return nil
		}
		m.name.Blur()
		return accept(name)
	}
	var cmd tea.Cmd
	m.name, cmd = m.name.Update(k)
	return cmd
}

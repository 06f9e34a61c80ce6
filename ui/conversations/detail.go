package conversations

import (
	"context"
	"fmt"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/pathprompt"
	"brightrun/ui/format"
)

// detailView is which half of a conversation the detail shows.
type detailView int

const (
	viewTurns detailView = iota
	viewPairs
)

// detail is one conversation: a header from its row, then its turns or its
// training pairs in a scrollable viewport, wrapped to the width. Its file
// is fetched in a command; the row's header shows meanwhile.
type detail struct {
	common  *common.Common
	row     model.Conversation
	data    *engine.ConversationDetail
	err     error
	showing detailView
	vp      viewport.Model

	// The export prompt, while open, and the flavour it would write.
	prompt    *pathprompt.Model
	flavour   string
	exporting bool

	width, height int
}

// Answers of the detail's commands.
type (
	detailMsg struct {
		id     uuid.UUID
		detail engine.ConversationDetail
		err    error
	}
	exportedMsg struct {
		flavour, path string
		size          int64
		err           error
	}
)

// headerHeight is the title, two lines of facts, the view tabs and a rule.
const detailHeaderHeight = 5

// openDetail shows a conversation and fetches its file.
func (m *Model) openDetail(c model.Conversation) tea.Cmd {
	d := &detail{common: &m.common, row: c, vp: viewport.New()}
	d.vp.KeyMap = viewport.KeyMap{
		Up:           key.NewBinding(key.WithKeys("up", "k")),
		Down:         key.NewBinding(key.WithKeys("down", "j")),
		PageUp:       key.NewBinding(key.WithKeys("pgup", "b")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown", "f", "space")),
		HalfPageUp:   key.NewBinding(key.WithKeys("u", "ctrl+u")),
		HalfPageDown: key.NewBinding(key.WithKeys("d", "ctrl+d")),
	}
	d.setSize(m.common.Width, m.common.Height)
	m.detail, m.mode = d, modeDetail
	id := c.ID
	return tea.Batch(m.spin(), m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		det, err := b.Conversation(ctx, id)
		return detailMsg{id: id, detail: det, err: err}
	}))
}

func (d *detail) loading() bool { return d.data == nil && d.err == nil }

func (d *detail) prompting() bool { return d.prompt != nil }

func (d *detail) setSize(w, h int) {
	d.width, d.height = w, h
	d.vp.SetWidth(max(1, w))
	d.vp.SetHeight(max(1, h-detailHeaderHeight))
	if d.prompt != nil {
		d.prompt.SetWidth(min(w, 76))
	}
	d.render()
}

// render rebuilds the viewport's content for the width and view.
func (d *detail) render() {
	if d.data == nil {
		return
	}
	if d.showing == viewTurns {
		d.vp.SetContent(renderTurns(d.common.Theme, d.data.File.Turns, d.width))
	} else {
		d.vp.SetContent(renderPairs(d.common.Theme, d.data.File, d.width))
	}
}

// detailKey gives a key to the detail and closes it when asked.
func (m *Model) detailKey(k tea.KeyPressMsg) tea.Cmd {
	return m.closeIf(m.detail.key(k, m.keys))
}

func (d *detail) key(k tea.KeyPressMsg, keys keyMap) (cmd tea.Cmd, closed bool) {
	if d.prompt != nil {
		return d.promptKey(k), false
	}
	switch {
	case key.Matches(k, keys.Back):
		return nil, true
	case key.Matches(k, keys.View):
		d.showing = 1 - d.showing
		d.render()
		d.vp.GotoTop()
	case key.Matches(k, keys.Top):
		d.vp.GotoTop()
	case key.Matches(k, keys.Bottom):
		d.vp.GotoBottom()
	case key.Matches(k, keys.Export):
		flavour := model.FlavourEnriched
		if !d.row.HasFlavour(flavour) {
			flavour = model.FlavourRaw
		}
		return d.openPrompt(flavour), false
	case key.Matches(k, keys.ExportRaw):
		return d.openPrompt(model.FlavourRaw), false
	case key.Matches(k, keys.ExportEnriched):
		return d.openPrompt(model.FlavourEnriched), false
	default:
		d.vp, cmd = d.vp.Update(k)
	}
	return cmd, false
}

// update takes the detail's answers and, while the prompt is open, its
// cursor blinks.
func (d *detail) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case detailMsg:
		if msg.id != d.row.ID {
			return nil
		}
		if msg.err != nil {
			d.err = msg.err
			return common.Err("open conversation", msg.err)
		}
		d.data, d.row = &msg.detail, msg.detail.Conversation
		d.render()
		return nil
	case exportedMsg:
		d.exporting = false
		if msg.err != nil {
			return common.Err("export "+msg.flavour+" file", msg.err)
		}
		d.prompt = nil
		return common.Notice(fmt.Sprintf("Wrote the %s file to %s (%s)", msg.flavour, msg.path, format.DecimalBytes(msg.size)))
	}
	if d.prompt != nil {
		var cmd tea.Cmd
		*d.prompt, cmd, _ = d.prompt.Update(msg)
		return cmd
	}
	return nil
}

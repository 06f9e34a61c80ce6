package conversations

import (
	"context"
	"fmt"
	"io"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/list"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/format"
)

// newFileForm asks a new training file's name and description; the
// selection, in the order it was made, becomes its conversations.
type newFileForm struct {
	inputs   [2]textinput.Model // name, description
	focus    int
	err      string
	creating bool
	ids      []uuid.UUID
}

// Answers of the training-file commands.
type (
	createdMsg struct {
		tf  model.TrainingFile
		err error
	}
	addedMsg struct {
		tf    model.TrainingFile
		added int
		err   error
	}
	trainingFilesMsg struct {
		files []model.TrainingFile
		err   error
	}
)

// openNewFile shows the form, or says why it cannot.
func (m *Model) openNewFile() tea.Cmd {
	if m.sel.Len() == 0 {
		return common.Notice("Select conversations first: space marks one, A every filtered one")
	}
	f := &newFileForm{ids: m.sel.Keys()}
	for i, ph := range []string{"e.g. empathy-v2", "what it is for (optional)"} {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = ph
		in.CharLimit = 200
		in.SetStyles(m.common.Theme.TextInput())
		in.SetWidth(max(10, min(m.common.Width, 70)-18))
		f.inputs[i] = in
	}
	m.form, m.mode = f, modeNewFile
	return f.inputs[0].Focus()
}

func (f *newFileForm) forward(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	f.inputs[f.focus], cmd = f.inputs[f.focus].Update(msg)
	return cmd
}

func (f *newFileForm) focusOn(i int) tea.Cmd {
	f.inputs[f.focus].Blur()
	f.focus = (i + len(f.inputs)) % len(f.inputs)
	return f.inputs[f.focus].Focus()
}

// formKey moves between the fields, creates the file, or cancels.
func (m *Model) formKey(k tea.KeyPressMsg) tea.Cmd {
	f := m.form
	if f.creating {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Cancel):
		m.closeDialog()
		return nil
	case key.Matches(k, m.keys.Submit):
		// From either field: the description is optional, and the help
		// says enter creates.
		name := strings.TrimSpace(f.inputs[0].Value())
		if err := model.ValidateTrainingFileName(name); err != nil {
			f.err = err.Error()
			return f.focusOn(0)
		}
		f.err, f.creating = "", true
		desc := strings.TrimSpace(f.inputs[1].Value())
		ids := f.ids
		return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
			tf, err := b.CreateTrainingFile(ctx, name, desc, ids)
			return createdMsg{tf: tf, err: err}
		})
	case key.Matches(k, m.keys.NextField):
		return f.focusOn(f.focus + 1)
	case key.Matches(k, m.keys.PrevField):
		return f.focusOn(f.focus - 1)
	}
	return f.forward(k)
}

// tfItem is a training file in the add-to list.
type tfItem struct{ tf model.TrainingFile }

// FilterValue satisfies list.Item; the picker is never filtered.
func (tfItem) FilterValue() string { return "" }

// addToPicker is the list of training files to add the selection to.
type addToPicker struct {
	list    list.Model
	loading bool
	adding  bool
	ids     []uuid.UUID
}

// openAddTo loads the training files for the picker.
func (m *Model) openAddTo() tea.Cmd {
	if m.sel.Len() == 0 {
		return common.Notice("Select conversations first: space marks one, A every filtered one")
	}
	l := dialogList(nil, &tfDelegate{common: &m.common}, max(10, min(m.common.Width, 70)-4), max(1, m.common.Height-6))
	l.Styles = m.common.Theme.List()
	m.addTo, m.mode = &addToPicker{list: l, loading: true, ids: m.sel.Keys()}, modeAddTo
	return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		files, err := b.TrainingFiles(ctx)
		return trainingFilesMsg{files: files, err: err}
	})
}

func (m *Model) addToKey(k tea.KeyPressMsg) tea.Cmd {
	p := m.addTo
	switch {
	case key.Matches(k, m.keys.Cancel):
		m.closeDialog()
		return nil
	case key.Matches(k, m.keys.Choose):
		it, ok := p.list.SelectedItem().(tfItem)
		if !ok || p.adding {
			return nil
		}
		p.adding = true
		c, ids, id := m.common, p.ids, it.tf.ID
		before := it.tf.ConversationCount
		return c.Call(func(ctx context.Context, b common.Backend) tea.Msg {
			tf, err := b.AddToTrainingFile(ctx, id, ids)
			return addedMsg{tf: tf, added: tf.ConversationCount - before, err: err}
		})
	}
	var cmd tea.Cmd
	p.list, cmd = p.list.Update(k)
	return cmd
}

// trainingFileAnswer handles the answers of create, add and list.
func (m *Model) trainingFileAnswer(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case createdMsg:
		if m.form == nil {
			return nil
		}
		m.form.creating = false
		if msg.err != nil {
			m.form.err = msg.err.Error()
			return common.Err("create training file", msg.err)
		}
		m.closeDialog()
		m.sel.Clear()
		m.refreshRows()
		return common.Notice(fmt.Sprintf("Training file “%s” created: %s, %s", msg.tf.Name,
			format.Count(msg.tf.ConversationCount, "conversation", "conversations"), format.Count(msg.tf.TotalTrainingPairs, "pair", "pairs")))
	case trainingFilesMsg:
		if m.addTo == nil {
			return nil
		}
		m.addTo.loading = false
		if msg.err != nil {
			m.closeDialog()
			return common.Err("load training files", msg.err)
		}
		items := make([]list.Item, len(msg.files))
		for i, f := range msg.files {
			items[i] = tfItem{f}
		}
		return m.addTo.list.SetItems(items)
	case addedMsg:
		if m.addTo == nil {
			return nil
		}
		m.addTo.adding = false
		if msg.err != nil {
			return common.Err("add to training file", msg.err)
		}
		m.closeDialog()
		m.sel.Clear()
		m.refreshRows()
		return common.Notice(fmt.Sprintf("Added %s to “%s”: now %s, %s", format.Count(msg.added, "conversation", "conversations"),
			msg.tf.Name, format.Count(msg.tf.ConversationCount, "conversation", "conversations"), format.Count(msg.tf.TotalTrainingPairs, "pair", "pairs")))
	}
	return nil
}

// tfDelegate draws a training file on one line: name, then its counts.
type tfDelegate struct{ common *common.Common }

// Height, Spacing and Update satisfy list.ItemDelegate.
func (d *tfDelegate) Height() int                         { return 1 }
func (d *tfDelegate) Spacing() int                        { return 0 }
func (d *tfDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

// Render draws one training file.
func (d *tfDelegate) Render(w io.Writer, l list.Model, index int, li list.Item) {
	it, ok := li.(tfItem)
	if !ok {
		return
	}
	t := d.common.Theme
	bar := "  "
	if index == l.Index() {
		bar = t.Cursor.Render("▌") + " "
	}
	meta := fmt.Sprintf("%s · %s", format.Count(it.tf.ConversationCount, "conv", "convs"), format.Count(it.tf.TotalTrainingPairs, "pair", "pairs"))
	room := max(1, l.Width()-2-len(meta)-2)
	name := ansi.Truncate(it.tf.Name, room, "…")
	gap := max(1, l.Width()-2-ansi.StringWidth(name)-len(meta))
	fmt.Fprint(w, bar+name+strings.Repeat(" ", gap)+t.Muted.Render(meta))
}

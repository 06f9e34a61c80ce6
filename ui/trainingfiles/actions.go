package trainingfiles

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/confirm"
	"brightrun/ui/components/pathprompt"
	"brightrun/ui/format"
)

// Answers of the actions' commands.
type (
	// changedMsg answers a rebuild or a removal: the file as it is now.
	changedMsg struct {
		op  string
		tf  model.TrainingFile
		err error
	}
	exportedMsg struct {
		format, path string
		size         int64
		err          error
	}
	datasetMsg struct {
		tf  model.TrainingFile
		ds  model.Dataset
		err error
	}
	deletedMsg struct {
		tf  model.TrainingFile
		err error
	}
)

// call runs one engine call in a command with the session's timeout, and
// marks the screen busy with what it is doing.
func (m *Model) call(doing string, fn func(ctx context.Context, b common.Backend) tea.Msg) tea.Cmd {
	m.working = doing
	return tea.Batch(m.spinner.Tick, m.common.Call(fn))
}

// rebuild writes the file's artifacts again.
func (m *Model) rebuild(tf model.TrainingFile) tea.Cmd {
	return m.call("Rebuilding", func(ctx context.Context, b common.Backend) tea.Msg {
		got, err := b.BuildTrainingFile(ctx, tf.ID)
		return changedMsg{op: "rebuild", tf: got, err: err}
	})
}

// askRemove asks before taking a conversation out of the file.
func (m *Model) askRemove(tf model.TrainingFile, conv model.Conversation) {
	m.ask(fmt.Sprintf("Remove “%s” from “%s”?", conv.Title, tf.Name), "The training file is rebuilt without it at once.",
		func() tea.Cmd {
			return m.call("Removing", func(ctx context.Context, b common.Backend) tea.Msg {
				got, err := b.RemoveFromTrainingFile(ctx, tf.ID, []uuid.UUID{conv.ID})
				return changedMsg{op: "remove", tf: got, err: err}
			})
		})
}

// askDelete asks before deleting the file.
func (m *Model) askDelete(tf model.TrainingFile) {
	m.ask(fmt.Sprintf("Delete the training file “%s”?", tf.Name), "Its conversations stay; datasets made from it keep their data.",
		func() tea.Cmd {
			return m.call("Deleting", func(ctx context.Context, b common.Backend) tea.Msg {
				return deletedMsg{tf: tf, err: b.DeleteTrainingFile(ctx, tf.ID)}
			})
		})
}

func (m *Model) ask(question, detail string, onYes func() tea.Cmd) {
	c := confirm.New(m.common.Theme, question, detail)
	c.SetWidth(min(m.common.Width, 60))
	m.confirm, m.onYes = &c, onYes
}

// askExport asks where to write one artifact of the file.
func (m *Model) askExport(tf model.TrainingFile, format string) tea.Cmd {
	if m.common.Remote {
		return common.Err("export", fmt.Errorf("%w; run `brightrun trainingfile export %s --format %s --out FILE` instead",
			common.ErrRemote, tf.ID, format))
	}
	if tf.BuiltAt == nil {
		return common.Notice(fmt.Sprintf("“%s” has not been built yet: b builds it", tf.Name))
	}
	p := pathprompt.New(m.common.Theme, "Export "+strings.ToUpper(format)+" of “"+tf.Name+"” to", "./"+slug(tf.Name)+"."+format)
	p.Hint = "brightrun-lora-v4, byte for byte as built"
	p.SetWidth(min(m.common.Width, 76))
	m.prompt, m.promptFormat, m.promptFile = &p, format, tf
	return m.prompt.Focus()
}

// export writes the artifact the prompt asked for.
func (m *Model) export() tea.Cmd {
	tf, format, path := m.promptFile, m.promptFormat, m.prompt.Value()
	m.prompt = nil
	return m.call("Exporting", func(ctx context.Context, b common.Backend) tea.Msg {
		n, err := b.ExportTrainingFile(ctx, tf.ID, format, pathprompt.Expand(path))
		return exportedMsg{format: format, path: path, size: n, err: err}
	})
}

// makeDataset is the bridge: a dataset of the file's JSONL, validated by
// the engine, then followed in the Datasets tab.
func (m *Model) makeDataset(tf model.TrainingFile) tea.Cmd {
	if tf.BuiltAt == nil {
		return common.Notice(fmt.Sprintf("“%s” has not been built yet: b builds it", tf.Name))
	}
	return m.call("Making a dataset", func(ctx context.Context, b common.Backend) tea.Msg {
		ds, err := b.DatasetFromTrainingFile(ctx, tf.ID, "")
		return datasetMsg{tf: tf, ds: ds, err: err}
	})
}

// slug makes a file name of a training file's name: "Q4 empathy!" → "q4-empathy".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if s == "" {
		return "training-file"
	}
	return s
}

// answer handles the actions' answers: a toast, and fresh data.
func (m *Model) answer(msg tea.Msg) tea.Cmd {
	m.working = ""
	switch msg := msg.(type) {
	case changedMsg:
		if msg.err != nil {
			return common.Err(msg.op+" training file", msg.err)
		}
		text := fmt.Sprintf("Rebuilt “%s”: %s, %s", msg.tf.Name, format.Count(msg.tf.ConversationCount, "conversation", "conversations"),
			format.Count(msg.tf.TotalTrainingPairs, "pair", "pairs"))
		if msg.op == "remove" {
			text = fmt.Sprintf("Removed from “%s”: now %s, %s", msg.tf.Name, format.Count(msg.tf.ConversationCount, "conversation", "conversations"),
				format.Count(msg.tf.TotalTrainingPairs, "pair", "pairs"))
		}
		return tea.Batch(common.Notice(text), m.load(), m.reloadDetail())
	case exportedMsg:
		return common.Outcome("export "+msg.format, msg.err, fmt.Sprintf("Wrote %s to %s (%s)", strings.ToUpper(msg.format), msg.path, format.DecimalBytes(msg.size)))
	case datasetMsg:
		return common.Outcome("make dataset", msg.err, fmt.Sprintf("Dataset “%s” made from “%s”: %s (see the Datasets tab)", msg.ds.Name, msg.tf.Name, msg.ds.Status))
	case deletedMsg:
		if msg.err != nil {
			return common.Err("delete training file", msg.err)
		}
		if m.detail != nil && m.detail.row.ID == msg.tf.ID {
			m.detail = nil
		}
		return tea.Batch(common.Notice(fmt.Sprintf("Deleted “%s”", msg.tf.Name)), m.load())
	}
	return nil
}

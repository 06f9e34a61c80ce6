package datasets

import (
	"context"
	"fmt"
	"math"

	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/format"
	"brightrun/ui/theme"
)

// upload is the one upload in flight. The engine's progress callback runs
// on the upload's goroutine and only drops the newest snapshot into
// updates; a listening command hands it to Update and is armed again after
// each, the usual way to bring a channel into Bubble Tea.
type upload struct {
	seq        int
	path, name string
	size       int64
	progress   engine.UploadProgress
	cancel     context.CancelFunc
	cancelling bool
	updates    chan engine.UploadProgress // holds the newest snapshot only
	done       chan struct{}              // closed when UploadDataset returned
	bar        progress.Model
}

// Messages of an upload.
type (
	uploadProgressMsg struct {
		seq int
		p   engine.UploadProgress
	}
	uploadDoneMsg struct {
		seq       int
		name      string
		d         model.Dataset
		err       error
		cancelled bool
	}
)

// startUpload sends path as a new dataset named name in a command that
// lives as long as the upload; esc cancels its context.
func (m *Model) startUpload(path, name string, size int64) tea.Cmd {
	m.upSeq++
	ctx, cancel := context.WithCancel(m.common.Ctx)
	u := &upload{
		seq: m.upSeq, path: path, name: name, size: size, cancel: cancel,
		progress: engine.UploadProgress{Total: size},
		updates:  make(chan engine.UploadProgress, 1), done: make(chan struct{}),
	}
	u.bar = progress.New(append(m.common.Theme.Progress(), progress.WithoutPercentage())...)
	u.applyTheme(m.common.Theme)
	m.up = u
	b := m.common.Backend
	run := func() tea.Msg {
		defer close(u.done)
		d, err := b.UploadDataset(ctx, path, engine.UploadOptions{Name: name, Progress: u.offer})
		cancelled := ctx.Err() != nil
		cancel()
		return uploadDoneMsg{seq: u.seq, name: name, d: d, err: err, cancelled: cancelled}
	}
	return tea.Batch(run, u.listen(), m.spin(), m.armPoll())
}

func (u *upload) applyTheme(t *theme.Theme) {
	u.bar.EmptyColor = t.ProgressEmpty()
}

// offer replaces the waiting snapshot with p; the engine never blocks on a
// screen that draws less often than it reports.
func (u *upload) offer(p engine.UploadProgress) {
	for {
		select {
		case u.updates <- p:
			return
		default:
		}
		select {
		case <-u.updates:
		default:
		}
	}
}

// listen waits for the next snapshot; once the upload returned it ends
// without a message, and uploadDoneMsg takes over.
func (u *upload) listen() tea.Cmd {
	return func() tea.Msg {
		select {
		case p := <-u.updates:
			return uploadProgressMsg{seq: u.seq, p: p}
		case <-u.done:
			return nil
		}
	}
}

// cancelUpload ends the upload's context; the engine aborts the multipart
// upload and removes the row, and uploadDoneMsg reports it.
func (m *Model) cancelUpload() tea.Cmd {
	if m.up == nil || m.up.cancelling {
		return nil
	}
	m.up.cancelling = true
	m.up.cancel()
	return nil
}

// handleUpload takes an upload's messages.
func (m *Model) handleUpload(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case uploadProgressMsg:
		if m.up == nil || msg.seq != m.up.seq {
			return nil
		}
		first := m.up.progress.Sent == 0
		m.up.progress = msg.p
		var reload tea.Cmd
		if first {
			// The engine has made the row by now: show it uploading.
			reload = m.load(true)
		}
		return tea.Batch(m.up.listen(), reload)
	case uploadDoneMsg:
		if m.up == nil || msg.seq != m.up.seq {
			return nil
		}
		m.up = nil
		var note tea.Cmd
		switch {
		case msg.cancelled:
			note = common.Notice("Upload of “" + msg.name + "” cancelled; nothing was kept")
		case msg.err != nil:
			note = common.Err("upload “"+msg.name+"”", msg.err)
		default:
			note = common.Notice("Uploaded “" + msg.name + "”; validating")
		}
		return tea.Batch(note, m.load(true))
	}
	return nil
}

// fraction is how much has been sent, 0 to 1.
func (u *upload) fraction() float64 {
	if u.size <= 0 {
		return 0
	}
	return math.Min(1, float64(u.progress.Sent)/float64(u.size))
}

func (u *upload) percent() string {
	return fmt.Sprintf("%d%%", int(u.fraction()*100))
}

// stats is "5.6 MiB of 12.3 MiB · 2.1 MiB/s · 3s left".
func (u *upload) stats() string {
	p := u.progress
	s := format.Bytes(p.Sent) + " of " + format.Bytes(u.size)
	if r := p.Rate(); r > 0 {
		s += " · " + format.Bytes(int64(r)) + "/s"
	}
	if eta := p.ETA(); eta > 0 {
		s += " · " + format.Left(eta) + " left"
	}
	return s
}

package datasets

import (
	"charm.land/bubbles/v2/key"

	"brightrun/model"
	"brightrun/ui/common"
)

// keyMap is the screen's keys; which of them work depends on the mode, and
// the help line shows only those.
type keyMap struct {
	// The list: the shared list keys (move, g/G, filter, reload, back)
	// and the screen's own.
	common.ListKeys
	Detail     key.Binding
	Upload     key.Binding
	Remote     key.Binding
	Delete     key.Binding
	Revalidate key.Binding
	Clean      key.Binding
	Train      key.Binding
	Confirm    key.Binding
	Cancel     key.Binding // stops the upload in flight
	Clear      key.Binding // drops the filter

	// RemoteUpload is u in an SSH session, where it means the URL.
	RemoteUpload key.Binding

	// The detail.
	Scroll key.Binding
	Next   key.Binding
	Prev   key.Binding

	// The file picker.
	Browse   key.Binding
	Open     key.Binding
	Parent   key.Binding
	AnyFile  key.Binding
	TypePath key.Binding

	// Prompts, the URL box and the delete question.
	Accept  key.Binding
	Close   key.Binding
	Copy    key.Binding
	CopyURL key.Binding
	Print   key.Binding
	Yes     key.Binding
	No      key.Binding
}

func defaultKeyMap() keyMap {
	list := common.NewListKeys()
	list.Back = common.Key("esc", "back", "esc")
	return keyMap{
		ListKeys:   list,
		Detail:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "report")),
		Upload:     key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "upload")),
		Remote:     key.NewBinding(key.WithKeys("U"), key.WithHelp("U", "upload from elsewhere")),
		Delete:     key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete")),
		Revalidate: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "revalidate")),
		Clean:      key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "clean copy (valid lines only)")),
		Train:      key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "configure training")),
		Confirm:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check arrival")),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel upload")),
		Clear:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),

		RemoteUpload: key.NewBinding(key.WithKeys("u", "U"), key.WithHelp("u", "upload (URL + curl)")),

		Scroll: key.NewBinding(key.WithKeys("up", "down", "k", "j", "pgup", "pgdown"), key.WithHelp("↑↓/pgup/pgdn", "scroll")),
		Next:   key.NewBinding(key.WithKeys("n"), key.WithHelp("n/N", "next/prev issue")),
		Prev:   key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous issue")),

		Browse:   key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑↓/jk", "move")),
		Open:     key.NewBinding(key.WithKeys("enter", "l", "right"), key.WithHelp("enter", "choose/open")),
		Parent:   key.NewBinding(key.WithKeys("h", "left", "backspace"), key.WithHelp("h/←", "parent dir")),
		AnyFile:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "any file/.jsonl")),
		TypePath: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "type a path/browse")),

		Accept:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "ok")),
		Close:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Copy:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy curl line")),
		CopyURL: key.NewBinding(key.WithKeys("Y"), key.WithHelp("Y", "copy URL")),
		Print:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "print unwrapped")),
		Yes:     key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "delete")),
		No:      key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "keep")),
	}
}

// ShortHelp is the help line of the current mode.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeDetail:
		b := []key.Binding{k.Scroll}
		if m.detail.issueCount() > 0 {
			b = append(b, k.Next)
		}
		return append(b, m.actionKeys(m.detail.d.Status)...)
	case modePick:
		if m.pick.typing {
			return []key.Binding{k.Accept, k.TypePath, k.Close}
		}
		return []key.Binding{k.Browse, k.Open, k.Parent, k.AnyFile, k.TypePath, k.Close}
	case modeName, modeURLName:
		return []key.Binding{k.Accept, k.Close}
	case modeTicket:
		return []key.Binding{k.Copy, k.CopyURL, k.Print, k.Close}
	case modeDelete:
		return []key.Binding{k.Yes, k.No}
	}
	if m.filter.Active() {
		return []key.Binding{k.Accept, k.Clear}
	}
	b := m.uploadKeys()
	if d, ok := m.selected(); ok {
		b = append([]key.Binding{k.Move, k.Detail}, b...)
		b = append(b, m.actionKeys(d.Status)...)
		b = append(b, k.Filter)
	}
	switch {
	case m.up != nil:
		b = append(b, k.Cancel)
	case m.filter.Value() != "":
		b = append(b, k.Clear)
	}
	return append(b, k.Reload)
}

// actionKeys are the keys that act on one dataset in its status.
func (m *Model) actionKeys(st model.DatasetStatus) []key.Binding {
	k := m.keys
	b := []key.Binding{}
	switch st {
	case model.DatasetUploading:
		b = append(b, k.Confirm)
	case model.DatasetReady, model.DatasetError:
		b = append(b, k.Revalidate)
	}
	if st == model.DatasetReady {
		b = append(b, k.Train)
	}
	if m.mode == modeDetail && st == model.DatasetReady && m.detail.d.ErrorCount > 0 {
		b = append(b, k.Clean)
	}
	b = append(b, k.Delete)
	if m.mode == modeDetail {
		b = append(b, k.Reload, k.Back)
	}
	return b
}

// FullHelp groups the keys by what they act on.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	switch m.mode {
	case modeList:
		if !m.filter.Active() {
			return [][]key.Binding{
				{k.Move, k.Detail, k.Filter, k.Clear, k.Reload},
				append(m.uploadKeys(), k.Cancel, k.Confirm),
				{k.Train, k.Revalidate, k.Delete},
			}
		}
	case modeDetail:
		return [][]key.Binding{
			{k.Scroll, k.Next, k.Prev},
			{k.Train, k.Revalidate, k.Clean, k.Confirm, k.Delete, k.Reload, k.Back},
		}
	}
	return [][]key.Binding{m.ShortHelp()}
}

// uploadKeys are the ways in: over SSH only the presigned URL, under u,
// since the file picker would browse the server's disk.
func (m *Model) uploadKeys() []key.Binding {
	if m.common.Remote {
		return []key.Binding{m.keys.RemoteUpload}
	}
	return []key.Binding{m.keys.Upload, m.keys.Remote}
}

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
		Detail:     common.Key("enter", "report", "enter"),
		Upload:     common.Key("u", "upload", "u"),
		Remote:     common.Key("U", "upload from elsewhere", "U"),
		Delete:     common.Key("d", "delete", "d"),
		Revalidate: common.Key("r", "revalidate", "r"),
		Clean:      common.Key("x", "clean copy (valid lines only)", "x"),
		Train:      common.Key("t", "configure training", "t"),
		Confirm:    common.Key("c", "check arrival", "c"),
		Cancel:     common.Key("esc", "cancel upload", "esc"),
		Clear:      common.Key("esc", "clear filter", "esc"),

		RemoteUpload: common.Key("u", "upload (URL + curl)", "u", "U"),

		Scroll: common.Key("↑↓/pgup/pgdn", "scroll", "up", "down", "k", "j", "pgup", "pgdown"),
		Next:   common.Key("n/N", "next/prev issue", "n"),
		Prev:   common.Key("N", "previous issue", "N"),

		Browse:   common.Key("↑↓/jk", "move", "up", "down", "k", "j"),
		Open:     common.Key("enter", "choose/open", "enter", "l", "right"),
		Parent:   common.Key("h/←", "parent dir", "h", "left", "backspace"),
		AnyFile:  common.Key("a", "any file/.jsonl", "a"),
		TypePath: common.Key("tab", "type a path/browse", "tab"),

		Accept:  common.Key("enter", "ok", "enter"),
		Close:   common.Key("esc", "back", "esc"),
		Copy:    common.Key("y", "copy curl line", "y"),
		CopyURL: common.Key("Y", "copy URL", "Y"),
		Print:   common.Key("p", "print unwrapped", "p"),
		Yes:     common.Key("y", "delete", "y"),
		No:      common.Key("n/esc", "keep", "n", "esc"),
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

package datasets

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/printout"
	"brightrun/ui/format"
)

// The upload from elsewhere: the operator names the dataset, the engine
// makes it (waiting in uploading) with a presigned PUT URL valid for an
// hour, and the screen shows the URL and the curl line to run where the
// file is. The screen then asks every ConfirmInterval whether the file
// arrived (see commands.go), so validation starts without another key.

// openURLPrompt asks for the name of a dataset to upload from elsewhere.
func (m *Model) openURLPrompt() tea.Cmd {
	m.back, m.mode = m.mode, modeURLName
	m.name.SetValue("")
	m.name.Placeholder = "name of the new dataset"
	return m.name.Focus()
}

// updateURLName handles the name prompt.
func (m *Model) updateURLName(k tea.KeyPressMsg) tea.Cmd {
	return m.nameKey(k, m.back, m.createTicket)
}

// handleTicket shows a new URL and starts watching for its file.
func (m *Model) handleTicket(msg ticketMsg) tea.Cmd {
	if msg.err != nil {
		var retry tea.Cmd
		if m.mode == modeURLName {
			retry = m.name.Focus() // the name stays for another try
		}
		return tea.Batch(common.Err("create upload URL", msg.err), retry)
	}
	m.tickets[msg.t.Dataset.ID] = msg.t
	m.ticket = msg.t
	m.mode = modeTicket
	return tea.Batch(m.load(true), m.armConfirm(), m.spin())
}

// updateTicket handles the URL box: copy with y (the curl line) or Y (the
// URL) through the terminal's clipboard (OSC 52, which also works over
// SSH), print both unwrapped outside the frame with p, close with esc or
// enter.
func (m *Model) updateTicket(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case matches(k, m.keys.Copy):
		return tea.Batch(tea.SetClipboard(m.ticket.Curl), common.Notice("Copied the curl line"))
	case matches(k, m.keys.CopyURL):
		return tea.Batch(tea.SetClipboard(m.ticket.URL), common.Notice("Copied the upload URL"))
	case matches(k, m.keys.Print):
		return printout.Show(m.ticketPrintout())
	case matches(k, m.keys.Close, m.keys.Accept):
		m.mode = m.back
		if m.mode != modeDetail {
			m.mode = modeList
		}
	}
	return nil
}

// ticketPrintout is what p prints outside the frame: the curl line and the
// URL, each on one line for the terminal to wrap.
func (m *Model) ticketPrintout() string {
	tk := m.ticket
	return "Upload “" + tk.Dataset.Name + "” from the machine that has the file, with FILE.jsonl replaced by its path:\n\n" +
		tk.Curl + "\n\nThe upload URL alone (valid until " + format.ClockUTC(tk.ExpiresAt) + "):\n\n" + tk.URL
}

// arrival says what became of the box's file once it came ("" while the
// URL waits): the status the last check or list read found.
func (m *Model) arrival() model.DatasetStatus {
	st := m.ticket.Dataset.Status
	if d, ok := m.find(m.ticket.Dataset.ID); ok && d.Status != model.DatasetUploading {
		st = d.Status
	}
	if st == model.DatasetUploading {
		return ""
	}
	return st
}

// ticketView is the URL box. The curl line sits between two rules with
// nothing beside it, cut into lines of the screen's width; p prints it
// unwrapped outside the frame, where the terminal wraps it and a
// selection copies it whole. Once the file arrives, the box says so.
func (m *Model) ticketView() string {
	t := m.common.Theme
	w := m.common.Width
	tk := m.ticket
	left := tk.ExpiresAt.Sub(m.common.Now())
	para := lipgloss.NewStyle().Width(w)
	var status string
	switch m.arrival() {
	case "":
		status = para.Render(t.Muted.Render("The URL is valid for " + format.Left(left) + " (until " + format.ClockUTC(tk.ExpiresAt) +
			") and takes one file of at most 500 MiB. This screen notices the upload and starts validation."))
	case model.DatasetValidating:
		status = para.Render(t.Success.Render("✓ The file was received, validating…"))
	case model.DatasetReady:
		status = para.Render(t.Success.Render("✓ The file was received and validated: “" + tk.Dataset.Name + "” is ready."))
	case model.DatasetError:
		status = para.Render(t.Error.Render("✗ The file was received but did not validate: its report says why."))
	}
	lines := []string{
		t.Title.Render("Upload from another machine"),
		"",
		para.Render("Dataset “" + tk.Dataset.Name + "” waits in uploading until its file arrives. On the machine that " +
			"has the file, run this, with FILE.jsonl replaced by the file's path:"),
		"",
		t.CodeRule.Render(strings.Repeat("─", w)),
		t.Code.Render(common.HardWrap(tk.Curl, w)),
		t.CodeRule.Render(strings.Repeat("─", w)),
		"",
		status,
		"",
	}
	if host, loopback := common.PresignedHost(tk.URL); host != "" {
		lines = append(lines, para.Render(t.Muted.Render("It points at the object storage at "+host+".")))
		if loopback && m.common.Remote {
			lines = append(lines, para.Render(t.Warning.Render(common.LoopbackHint(host))))
		}
		lines = append(lines, "")
	}
	if n := m.common.Backend.S3PortNotice(); n != "" {
		lines = append(lines, para.Render(t.Warning.Render("Note: "+n+".")), "")
	}
	lines = append(lines,
		t.Muted.Render("y copies the curl line · Y the URL alone · p prints both unwrapped · esc closes"))
	return strings.Join(lines, "\n")
}

// urlPromptView asks for the new dataset's name.
func (m *Model) urlPromptView() string {
	t := m.common.Theme
	lines := []string{
		t.Title.Render("Upload from another machine"),
		"",
		lipgloss.NewStyle().Width(m.common.Width).Render("Name the dataset; the next step shows a URL valid for one hour and the curl line that uploads a file to it."),
		"",
		t.Label.Render("Name  ") + m.name.View(),
		"",
		t.Muted.Render("enter creates the URL · esc goes back"),
	}
	return strings.Join(lines, "\n")
}

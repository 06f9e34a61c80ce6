package datasets

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"brightrun/ui/common"
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
	switch {
	case matches(k, m.keys.Close):
		m.mode = m.back
		m.name.Blur()
		return nil
	case matches(k, m.keys.Accept):
		name := strings.TrimSpace(m.name.Value())
		if name == "" {
			return nil
		}
		m.name.Blur()
		return m.createTicket(name)
	}
	var cmd tea.Cmd
	m.name, cmd = m.name.Update(k)
	return cmd
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
// SSH), close with esc or enter.
func (m *Model) updateTicket(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case matches(k, m.keys.Copy):
		return tea.Batch(tea.SetClipboard(m.ticket.Curl), common.Notice("Copied the curl line"))
	case matches(k, m.keys.CopyURL):
		return tea.Batch(tea.SetClipboard(m.ticket.URL), common.Notice("Copied the upload URL"))
	case matches(k, m.keys.Close, m.keys.Accept):
		m.mode = m.back
		if m.mode != modeDetail {
			m.mode = modeList
		}
	}
	return nil
}

// ticketView is the URL box. The curl line sits between two rules with
// nothing beside it, cut into lines of the screen's width, so selecting it
// with the mouse copies the command and nothing else.
func (m *Model) ticketView() string {
	t := m.common.Theme
	w := m.common.Width
	tk := m.ticket
	left := tk.ExpiresAt.Sub(m.common.Now())
	para := lipgloss.NewStyle().Width(w)
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
		para.Render(t.Muted.Render("The URL is valid for " + format.Left(left) + " (until " + format.ClockUTC(tk.ExpiresAt) +
			") and takes one file of at most 500 MiB. This screen notices the upload and starts validation.")),
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
		t.Muted.Render("y copies the curl line · Y the URL alone · esc closes"))
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

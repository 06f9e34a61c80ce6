package conversations

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"fmt"

	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/components/pathprompt"
)

// flavourKey switches the export prompt between raw and enriched.
var flavourKey = common.Key("tab", "raw/enriched", "tab")

// defaultExportPath is where an export goes unless the operator types
// another path: the working directory, named after the conversation.
func defaultExportPath(c model.Conversation, flavour string) string {
	return "./" + c.ConversationID + "." + flavour + ".json"
}

func exportTitle(flavour string) string { return "Export the " + flavour + " file to" }

// openPrompt asks where to write the conversation's file of a flavour, or
// says why there is none.
func (d *detail) openPrompt(flavour string) tea.Cmd {
	if d.common.Remote {
		return common.Err("export", fmt.Errorf("%w; run `brightrun conversations export %s --flavour %s --out FILE` instead",
			common.ErrRemote, d.row.ConversationID, flavour))
	}
	if !d.row.HasFlavour(flavour) {
		if flavour == model.FlavourEnriched {
			return common.Notice("This conversation is not enriched: only its raw file can be exported")
		}
		return common.Notice("This conversation has no raw file")
	}
	p := pathprompt.New(d.common.Theme, exportTitle(flavour), defaultExportPath(d.row, flavour))
	p.SetWidth(min(d.width, 76))
	if d.row.HasFlavour(model.FlavourRaw) && d.row.HasFlavour(model.FlavourEnriched) {
		p.Hint = "tab switches between the raw and the enriched file"
	}
	d.prompt, d.flavour = &p, flavour
	return d.prompt.Focus()
}

// promptKey edits the path, switches the flavour on tab, writes on enter.
func (d *detail) promptKey(k tea.KeyPressMsg) tea.Cmd {
	if d.exporting {
		return nil
	}
	if key.Matches(k, flavourKey) {
		other := model.FlavourRaw
		if d.flavour == model.FlavourRaw {
			other = model.FlavourEnriched
		}
		if !d.row.HasFlavour(other) {
			return nil
		}
		if d.prompt.Value() == defaultExportPath(d.row, d.flavour) {
			d.prompt.SetValue(defaultExportPath(d.row, other))
		}
		d.flavour = other
		d.prompt.Title = exportTitle(other)
		return nil
	}
	p, cmd, res := d.prompt.Update(k)
	*d.prompt = p
	switch res {
	case pathprompt.Cancelled:
		d.prompt = nil
	case pathprompt.Submitted:
		d.exporting = true
		id, flavour, path := d.row.ID, d.flavour, d.prompt.Value()
		return d.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
			n, err := b.ExportConversation(ctx, id, flavour, pathprompt.Expand(path))
			return exportedMsg{flavour: flavour, path: path, size: n, err: err}
		})
	}
	return cmd
}

// promptHelp is the keys of the export prompt.
func (d *detail) promptHelp() []key.Binding {
	b := []key.Binding{d.prompt.KeyMap.Submit}
	if d.prompt.Hint != "" {
		b = append(b, flavourKey)
	}
	return append(b, d.prompt.KeyMap.Cancel)
}

package theme

import (
	"image/color"

	"charm.land/bubbles/v2/filepicker"
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/list"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/table"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Styles handed to the Charm bubbles, built from the same palette.

// FilePicker returns styles for the file picker bubble: directories bold,
// files that may not be chosen faint, the cursor in the accent.
func (t *Theme) FilePicker() filepicker.Styles {
	p := t.palette()
	s := lipgloss.NewStyle()
	return filepicker.Styles{
		DisabledCursor:   t.fg(s, p.subtle),
		Cursor:           t.Cursor,
		Symlink:          t.fg(s.Italic(true), p.accent),
		Directory:        t.fg(s.Bold(true), p.accent),
		File:             s,
		DisabledFile:     t.fg(s.Faint(t.noColor), p.faint),
		Permission:       t.Muted,
		Selected:         t.fg(s.Bold(true), p.fg),
		DisabledSelected: t.fg(s.Faint(t.noColor), p.subtle),
		FileSize:         t.Muted.Width(7).Align(lipgloss.Right),
		EmptyDirectory:   t.Empty.PaddingLeft(2).SetString("No files here."),
	}
}

// Table returns styles for the table bubble: cells padded on the right
// only, so narrow terminals keep more columns, and the cursor row in
// RowCursor.
func (t *Theme) Table() table.Styles {
	s := lipgloss.NewStyle()
	return table.Styles{
		Header:   t.fg(s.Bold(true).PaddingRight(1), t.palette().subtle),
		Cell:     s.PaddingRight(1),
		Selected: t.RowCursor,
	}
}

// Progress returns the options of a progress bar in the theme: full blocks
// (a half block reads oddly without colour), and no colour under NO_COLOR.
func (t *Theme) Progress() []progress.Option {
	opts := []progress.Option{progress.WithFillCharacters(progress.DefaultFullCharFullBlock, '░')}
	if t.noColor {
		return append(opts, progress.WithColors(lipgloss.NoColor{}))
	}
	return append(opts, progress.WithColors(t.palette().accent))
}

// ProgressEmpty is the colour of a progress bar's empty part.
func (t *Theme) ProgressEmpty() color.Color {
	if t.noColor {
		return lipgloss.NoColor{}
	}
	return t.palette().faint
}

// colorOrNil hides a colour from styles that take one directly.
func (t *Theme) colorOrNil(c color.Color) color.Color {
	if t.noColor {
		return nil
	}
	return c
}

// Help returns styles for the help bubble.
func (t *Theme) Help() help.Styles {
	return help.Styles{
		Ellipsis:       t.HelpSep,
		ShortKey:       t.HelpKey,
		ShortDesc:      t.HelpDesc,
		ShortSeparator: t.HelpSep,
		FullKey:        t.HelpKey,
		FullDesc:       t.HelpDesc,
		FullSeparator:  t.HelpSep,
	}
}

// TextInput returns styles for text inputs. The cursor keeps reverse video in
// every mode so it stays visible without colour.
func (t *Theme) TextInput() textinput.Styles {
	p := t.palette()
	s := lipgloss.NewStyle()
	st := textinput.Styles{
		Focused: textinput.StyleState{
			Text:        t.ValueFocused,
			Placeholder: t.Muted,
			Suggestion:  t.Muted,
			Prompt:      t.Accent,
		},
		Blurred: textinput.StyleState{
			Text:        t.Value,
			Placeholder: t.Muted,
			Suggestion:  t.Muted,
			Prompt:      t.Muted,
		},
		Cursor: textinput.CursorStyle{Color: t.colorOrNil(p.accent), Shape: tea.CursorBlock, Blink: true},
	}
	if t.noColor {
		st.Focused.Text, st.Blurred.Text = s, s
		st.Focused.Prompt, st.Blurred.Prompt = s, s
		st.Focused.Placeholder, st.Blurred.Placeholder = s.Faint(true), s.Faint(true)
	}
	return st
}

// List returns styles for the list bubble, with its chrome (title bar,
// status bar, help) reduced to what the screens leave switched on.
func (t *Theme) List() list.Styles {
	st := list.DefaultStyles(t.dark)
	s := lipgloss.NewStyle()
	st.TitleBar = s
	st.Title = t.Title
	st.Spinner = t.Spinner
	st.Filter = t.TextInput()
	st.Filter.Focused.Prompt = t.Accent
	st.Filter.Blurred.Prompt = t.Muted
	st.DefaultFilterCharacterMatch = s.Underline(true)
	st.StatusBar = t.Muted
	st.StatusEmpty = t.Muted
	st.StatusBarActiveFilter = t.Strong
	st.StatusBarFilterCount = t.Muted
	st.NoItems = t.Empty
	st.PaginationStyle = s.PaddingLeft(2)
	st.HelpStyle = s
	st.ActivePaginationDot = t.Accent.SetString("•")
	st.InactivePaginationDot = t.fg(s, t.palette().faint).SetString("·")
	st.ArabicPagination = t.Muted
	st.DividerDot = t.Muted.SetString(" • ")
	return st
}

// Package common is what the shell hands to every screen: one Common value
// (size, theme, engine handle, user, context, logger, clock) and the Screen
// interface a tab implements. Screens depend on this package, never on the
// shell, so a new screen is one package plus one line in ui/app/screens.go.
package common

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/theme"
)

// CallTimeout bounds one engine call made from a command, so a hung database
// shows up as an error toast instead of a spinner that never stops.
const CallTimeout = 10 * time.Second

// Common is the shared context of one TUI session. It is a value: each screen
// keeps its own copy and updates Width and Height in SetSize. Theme is a
// pointer so a change of terminal background reaches every screen.
type Common struct {
	// Ctx ends with the session (the program, or one SSH connection).
	Ctx context.Context
	// Width and Height are the size of the area a screen may draw in.
	Width, Height int
	Theme         *theme.Theme
	Backend       Backend
	// User is the operator this session acts for.
	User model.User
	// Remote is true in an SSH session: the operator's files are on another
	// machine than this process, so screens must not offer to read or write
	// local paths (they would be the server's) and upload through a
	// presigned URL instead.
	Remote bool
	Logger *slog.Logger
	// Now is the clock used for relative times ("3m ago"); tests pin it so
	// golden files do not change with the time of day.
	Now func() time.Time
}

// New fills in a Common for a backend, defaulting what the caller left out:
// a background context, a logger that discards, the wall clock and a
// coloured theme.
func New(ctx context.Context, b Backend, th *theme.Theme, logger *slog.Logger, now func() time.Time) Common {
	if ctx == nil {
		ctx = context.Background()
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if now == nil {
		now = time.Now
	}
	if th == nil {
		th = theme.New(false)
	}
	return Common{Ctx: ctx, Theme: th, Backend: b, User: b.User(), Logger: logger, Now: now}
}

// SetSize records the drawable area.
func (c *Common) SetSize(width, height int) {
	c.Width, c.Height = width, height
}

// CallContext derives the context for one engine call from the session's.
func (c Common) CallContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Ctx, CallTimeout)
}

// Call is the command that makes one engine call under the call deadline
// and answers with the message do makes of its result: how screens reach
// the backend, never from Update itself.
func (c Common) Call(do func(ctx context.Context, b Backend) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		return do(ctx, c.Backend)
	}
}

// Screen is one tab of the TUI. It is a Bubble Tea model whose View returns a
// plain string (only the shell builds the tea.View), plus a help.KeyMap so the
// shell's help line shows the screen's keys.
//
// The shell routes window sizes to every screen through SetSize, key presses
// to the active screen only, and every other message to all screens, so a
// command that finishes after its screen was left still lands there.
type Screen interface {
	help.KeyMap
	Init() tea.Cmd
	Update(msg tea.Msg) (Screen, tea.Cmd)
	View() string
	// SetSize gives the screen the area below the tab bar and above the
	// status bar.
	SetSize(width, height int)
	// Title is the tab's label.
	Title() string
	// InputFocused reports that the screen is capturing typed text (a form
	// field, a filter), so the shell must not treat q, ?, digits or tab as its
	// own keys. ctrl+c quits regardless.
	InputFocused() bool
}

// Badger is implemented by screens that show a count beside their tab title,
// like the number of unread notifications. An empty string shows nothing.
type Badger interface {
	Badge() string
}

// Waiter is implemented by screens that can tell they are waiting for a
// read whose answer they will show. A server pacing the frames of many
// sessions draws as soon as such a wait ends rather than guessing when a
// burst of messages is over.
type Waiter interface {
	Waiting() bool
}

// ScreenFactory builds a screen from the shared context; the shell's list of
// tabs is a list of these.
type ScreenFactory func(Common) Screen

// ActivatedMsg is sent to a screen when it becomes the active tab, so it can
// refresh what may have changed while it was hidden.
type ActivatedMsg struct{}

// ThemeChangedMsg is sent to every screen after the theme was rebuilt (the
// terminal reported its background), so screens can restyle the bubbles that
// copied styles at construction.
type ThemeChangedMsg struct{}

// ErrMsg reports a failed operation; the shell shows it as an error toast
// above the status bar and logs it.
type ErrMsg struct {
	Op  string // what was being done, e.g. "mark read"
	Err error
}

// Error reads "op: cause", the line the toast shows.
func (e ErrMsg) Error() string {
	if e.Op == "" {
		return e.Err.Error()
	}
	return e.Op + ": " + e.Err.Error()
}

// NoticeMsg is a short piece of good news ("3 notifications marked read");
// the shell shows it as an info toast.
type NoticeMsg string

// Notice returns a command that posts a notice to the shell.
func Notice(text string) tea.Cmd {
	return func() tea.Msg { return NoticeMsg(text) }
}

// Err returns a command that posts an error to the shell.
func Err(op string, err error) tea.Cmd {
	return func() tea.Msg { return ErrMsg{Op: op, Err: err} }
}

// Outcome reports how an action the operator asked for went: its error
// under op, or the notice saying what it did.
func Outcome(op string, err error, notice string) tea.Cmd {
	if err != nil {
		return Err(op, err)
	}
	return Notice(notice)
}

// EventMsg is broadcast to every screen when a row of the user's changed,
// in any process (another operator's CLI, a worker). Screens that show that
// table reload what they show; nothing polls.
type EventMsg struct {
	Event engine.Event
}

// SessionEndingMsg tells the shell that the session is about to be closed
// from outside: the SSH server is shutting down, or the operator has been
// idle too long. The shell shows Reason and the time left until At in place
// of the help line; a zero At takes the warning back (a key was pressed).
type SessionEndingMsg struct {
	Reason string
	At     time.Time
}

// ErrRemote is why an SSH session refuses what reads or writes a path: the
// path would be on the server, not on the operator's machine, and a
// remote operator has no business with the server's files.
var ErrRemote = errors.New("not over SSH: paths here would be on the server, not on your machine")

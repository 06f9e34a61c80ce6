// Package app is the TUI shell: the root Bubble Tea model that owns the tab
// bar, the status bar, the help line and toasts, and routes messages to the
// screens. It holds no screen logic: window sizes go to every screen, keys to
// the active one (after the shell's own keys), everything else to all, so a
// command finishing on a hidden tab still reaches its screen.
package app

import (
	"context"
	"log/slog"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"brightrun/engine"
	"brightrun/ui/common"
	"brightrun/ui/components/printout"
	"brightrun/ui/theme"
)

// DefaultStatusInterval is how often the status bar asks the engine about
// Postgres and S3: often enough that an outage shows within seconds, rarely
// enough to cost nothing.
const DefaultStatusInterval = 5 * time.Second

// Options configure one TUI session. The zero value works.
type Options struct {
	// Context ends the session's engine calls (the program's or one SSH
	// connection's); nil means context.Background().
	Context context.Context
	// Notice is shown as a toast at start, e.g. "Demo data seeded".
	Notice string
	// DataDir is shown in the status bar until the engine's status arrives.
	DataDir string
	// NoColor builds the theme without colour (NO_COLOR is set).
	NoColor bool
	Logger  *slog.Logger
	// Now is the clock for relative times; tests pin it.
	Now func() time.Time
	// Screens replaces DefaultScreens (tests).
	Screens []common.ScreenFactory
	// StatusInterval replaces DefaultStatusInterval.
	StatusInterval time.Duration
	// Remote marks an SSH session (see common.Common.Remote).
	Remote bool
	// Host names the server of an SSH session in the tab bar ("ssh ·
	// alice@host"); empty says only the operator.
	Host string
}

// The shell is what tea.NewProgram runs, locally or per SSH session.
var _ tea.Model = (*Model)(nil)

// Model is the shell; run it with tea.NewProgram(m).Run().
type Model struct {
	common  common.Common
	opts    Options
	keys    keyMap
	help    help.Model
	spinner spinner.Model

	screens []common.Screen
	active  int

	width, height int
	showHelp      bool

	events      <-chan engine.Event
	unsubscribe func()

	status      engine.Status
	statusKnown bool
	toast       toast
	toastSeq    int
	// ending is the warning that the session is about to be closed.
	ending      common.SessionEndingMsg
	endingTicks bool // the countdown's timer runs
	bars        bars
	// print is a printout outside the frame (a screen's URL and curl
	// line, to select whole), shown until enter.
	print printout.Model
}

// Messages the shell sends itself.
type (
	statusMsg       struct{ status engine.Status }
	statusTickMsg   struct{}
	toastExpiredMsg struct{ id int }
	endingTickMsg   struct{}
)

// New builds the shell and its screens for one backend session, whose
// text reaches them inert (common.Inert). It does no I/O: everything slow starts in Init's commands, so a TUI is ready to draw
// as soon as New returns.
func New(b common.Backend, o Options) *Model {
	if o.StatusInterval <= 0 {
		o.StatusInterval = DefaultStatusInterval
	}
	if o.Screens == nil {
		o.Screens = DefaultScreens()
	}
	c := common.New(o.Context, common.Inert(b), theme.New(o.NoColor), o.Logger, o.Now)
	c.Remote = o.Remote
	m := &Model{common: c, opts: o, keys: defaultKeyMap(), help: help.New()}
	m.help.Styles = c.Theme.Help()
	m.spinner = spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.Theme.StatusDim))
	m.screens = make([]common.Screen, len(o.Screens))
	for i, f := range o.Screens {
		m.screens[i] = f(c)
	}
	m.status.DataDir = o.DataDir
	if o.Notice != "" {
		m.toastSeq++
		m.toast = toast{id: m.toastSeq, text: o.Notice}
	}
	return m
}

// Init starts the status checks, each screen's first work, the query for the
// terminal's background and the timer of the start notice.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.fetchStatus(), m.spinner.Tick, m.subscribe()}
	if !m.common.Theme.NoColor() {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	for _, s := range m.screens {
		cmds = append(cmds, s.Init())
	}
	if m.toast.text != "" {
		cmds = append(cmds, m.expireToast(m.toast.id, noticeLifetime))
	}
	return tea.Batch(cmds...)
}

func (m *Model) activeScreen() common.Screen { return m.screens[m.active] }

// Waiting reports whether the active screen waits for a read it will show
// (see common.Waiter).
func (m *Model) Waiting() bool {
	w, ok := m.activeScreen().(common.Waiter)
	return ok && w.Waiting()
}

// Update routes one message; see the package comment.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if handled, cmd := m.print.Update(msg); handled {
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		m.common.Theme.SetDark(msg.IsDark())
		m.bars = bars{}
		m.help.Styles = m.common.Theme.Help()
		m.spinner.Style = m.common.Theme.StatusDim
		return m, m.broadcast(common.ThemeChangedMsg{})
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.PasteMsg:
		return m, m.toActive(msg)
	case statusMsg:
		m.status, m.statusKnown = msg.status, true
		if m.status.DataDir == "" {
			m.status.DataDir = m.opts.DataDir
		}
		if m.common.Ctx.Err() != nil {
			return m, nil
		}
		return m, common.Tick(m.common.Ctx, m.opts.StatusInterval, statusTickMsg{})
	case statusTickMsg:
		return m, m.fetchStatus()
	case spinner.TickMsg:
		if msg.ID == m.spinner.ID() {
			if m.statusKnown {
				return m, nil
			}
			var cmd tea.Cmd
			m.spinner, cmd = m.spinner.Update(msg)
			return m, cmd
		}
	case eventMsg:
		return m, tea.Batch(m.broadcast(common.EventMsg{Event: msg.event}), m.waitEvent())
	case common.ConfigureDatasetMsg, common.CloneJobMsg, common.JobCreatedMsg, common.SweepCreatedMsg, common.OpenJobMsg, common.OpenDatasetMsg:
		return m, m.navigate(msg)
	case common.ErrMsg:
		m.common.Logger.Error("tui", "op", msg.Op, "err", msg.Err)
		return m, m.showToast(msg.Error(), true)
	case common.NoticeMsg:
		return m, m.showToast(string(msg), false)
	case toastExpiredMsg:
		if msg.id == m.toast.id {
			m.toast = toast{}
		}
		return m, nil
	case common.SessionEndingMsg:
		m.ending = msg
		if msg.At.IsZero() || m.endingTicks {
			return m, nil
		}
		m.endingTicks = true
		return m, m.endingTick()
	case endingTickMsg:
		if m.ending.At.IsZero() {
			m.endingTicks = false
			return m, nil
		}
		return m, m.endingTick()
	}
	return m, m.broadcast(msg)
}

// handleKey takes the shell's keys unless the active screen is typing, and
// hands the rest to the active screen.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, m.keys.ForceQuit) {
		return tea.Quit
	}
	if !m.activeScreen().InputFocused() {
		switch {
		case key.Matches(k, m.keys.Quit):
			return tea.Quit
		case key.Matches(k, m.keys.Help):
			m.showHelp = !m.showHelp
			m.layout()
			return nil
		case m.showHelp && key.Matches(k, m.keys.CloseHelp):
			m.showHelp = false
			m.layout()
			return nil
		case key.Matches(k, m.keys.Next):
			return m.activate((m.active + 1) % len(m.screens))
		case key.Matches(k, m.keys.Prev):
			return m.activate((m.active + len(m.screens) - 1) % len(m.screens))
		case key.Matches(k, m.keys.Jump):
			if i := int(k.Code - '1'); i >= 0 && i < len(m.screens) {
				return m.activate(i)
			}
			return nil
		}
	}
	return m.toActive(k)
}

// activate switches tabs and tells the new screen, so it can refresh.
func (m *Model) activate(i int) tea.Cmd {
	if i == m.active {
		return nil
	}
	m.active = i
	m.layout() // the help may have a different height for this screen
	return m.toActive(common.ActivatedMsg{})
}

func (m *Model) toActive(msg tea.Msg) tea.Cmd {
	s, cmd := m.activeScreen().Update(msg)
	m.screens[m.active] = s
	return cmd
}

func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.screens))
	for i, s := range m.screens {
		var cmd tea.Cmd
		m.screens[i], cmd = s.Update(msg)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// fetchStatus asks the engine for the services' state in a command.
func (m *Model) fetchStatus() tea.Cmd {
	return m.common.Call(func(ctx context.Context, b common.Backend) tea.Msg {
		return statusMsg{status: b.Status(ctx)}
	})
}

// layout gives every screen the area between the tab bar and the footer.
func (m *Model) layout() {
	if m.width <= 0 || m.height <= 0 {
		return
	}
	m.help.SetWidth(m.width - 1)
	h := max(1, m.height-headerHeight-m.footerHeight())
	for _, s := range m.screens {
		s.SetSize(m.width, h)
	}
}

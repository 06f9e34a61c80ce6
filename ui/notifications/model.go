// Package notifications is the Notifications tab: the operator's
// notifications newest first, unread ones marked, with keys to mark one or
// all read. Loading happens in commands behind a spinner; the list reloads
// whenever the tab is shown and on ctrl+r.
package notifications

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/list"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/ui/common"
)

// Limit is how many notifications one load fetches; older ones are of no use
// on a screen and would only slow the query.
const Limit = 200

// Model is the Notifications screen.
type Model struct {
	common  common.Common
	keys    keyMap
	list    list.Model
	spinner spinner.Model

	items   []model.Notification // newest first, as the backend returned them
	loaded  bool                 // a load has finished at least once
	loading bool
	seq     int // id of the newest load, so a slow older answer is dropped
	loadErr error
}

// item adapts a notification to the list bubble; filtering matches its title,
// message and type.
type item struct{ n model.Notification }

func (i item) FilterValue() string { return i.n.Title + " " + i.n.Message + " " + i.n.Type }

// Messages of this screen's commands.
type (
	loadedMsg struct {
		seq   int
		items []model.Notification
		err   error
	}
	markedMsg struct {
		id  uuid.UUID
		err error
	}
	markedAllMsg struct {
		n   int
		err error
	}
)

// New builds the screen; it starts loading in Init.
func New(c common.Common) common.Screen {
	m := &Model{common: c, keys: defaultKeyMap()}
	l := list.New(nil, &delegate{common: &m.common}, 0, 0)
	l.SetShowTitle(false)
	l.SetShowStatusBar(false)
	l.SetShowHelp(false)
	l.SetStatusBarItemName("notification", "notifications")
	l.DisableQuitKeybindings()
	l.KeyMap.Quit.Unbind()
	l.KeyMap.ForceQuit.Unbind()
	l.KeyMap.ShowFullHelp.Unbind()
	l.KeyMap.CloseFullHelp.Unbind()
	// The house's list keys: g/G the first and last row; ←/→ stay free,
	// paging is pgup/pgdown.
	l.KeyMap.CursorUp, l.KeyMap.CursorDown = m.keys.Up, m.keys.Down
	l.KeyMap.PrevPage, l.KeyMap.NextPage = m.keys.PageUp, m.keys.PageDown
	l.KeyMap.GoToStart, l.KeyMap.GoToEnd = m.keys.Top, m.keys.Bottom
	l.FilterInput.Prompt = "Filter: "
	m.list = l
	m.spinner = spinner.New(spinner.WithSpinner(spinner.Dot))
	m.applyTheme()
	return m
}

// Title is the tab label.
func (m *Model) Title() string { return "Notifications" }

// Badge is the unread count shown on the tab.
func (m *Model) Badge() string {
	if n := m.unread(); n > 0 {
		return strconv.Itoa(n)
	}
	return ""
}

// InputFocused is true while a filter is being typed.
func (m *Model) InputFocused() bool { return m.list.FilterState() == list.Filtering }

// SetSize lays the list out in what the header and detail pane leave.
func (m *Model) SetSize(w, h int) {
	m.common.SetSize(w, h)
	m.list.SetSize(w, m.listHeight())
}

// Init starts the first load.
func (m *Model) Init() tea.Cmd { return m.load() }

func (m *Model) applyTheme() {
	m.list.Styles = m.common.Theme.List()
	m.list.FilterInput.SetStyles(m.list.Styles.Filter)
	// The paginator copied its dots at construction; give it the theme's.
	m.list.Paginator.ActiveDot = m.list.Styles.ActivePaginationDot.String()
	m.list.Paginator.InactiveDot = m.list.Styles.InactivePaginationDot.String()
	m.spinner.Style = m.common.Theme.Spinner
}

// load starts a fetch in a command and the spinner with it.
func (m *Model) load() tea.Cmd {
	m.seq++
	seq := m.seq
	m.loading = true
	c := m.common
	fetch := func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		items, err := c.Backend.Notifications(ctx, Limit)
		return loadedMsg{seq: seq, items: items, err: err}
	}
	return tea.Batch(fetch, m.spinner.Tick)
}

// Update handles the screen's messages; see common.Screen for the routing.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ActivatedMsg:
		return m, m.load()
	case common.EventMsg:
		// A job or dataset in any process posted (or someone marked) a
		// notification: show it now, and keep the tab badge true.
		if msg.Event.OnTable("notifications") {
			return m, m.load()
		}
		return m, nil
	case common.ThemeChangedMsg:
		m.applyTheme()
		return m, nil
	case spinner.TickMsg:
		if !m.loading || msg.ID != m.spinner.ID() {
			break
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case loadedMsg:
		if msg.seq != m.seq {
			return m, nil
		}
		m.loading = false
		m.loadErr = msg.err
		if msg.err != nil {
			return m, common.Err("load notifications", msg.err)
		}
		m.loaded = true
		return m, m.setItems(msg.items)
	case markedMsg:
		if msg.err != nil {
			m.setRead(msg.id, false)
			return m, common.Err("mark read", msg.err)
		}
		return m, nil
	case markedAllMsg:
		if msg.err != nil {
			return m, tea.Batch(common.Err("mark all read", msg.err), m.load())
		}
		return m, common.Notice(markedAllText(msg.n))
	case tea.KeyPressMsg:
		if cmd, ok := m.handleKey(msg); ok {
			return m, cmd
		}
	}
	if otherScreens(msg) {
		return m, nil
	}
	var cmd tea.Cmd
	m.list, cmd = m.list.Update(msg)
	return m, cmd
}

// otherScreens reports a message of another screen of ours: the shell
// hands every screen every message, and the list has nothing to do with
// a job view's metrics arriving several times a second.
func otherScreens(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	if t == nil {
		return true
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	pkg := t.PkgPath()
	return strings.HasPrefix(pkg, "brightrun/") && pkg != "brightrun/ui/notifications"
}

// handleKey runs the screen's own keys; ok is false for keys the list owns.
func (m *Model) handleKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	if m.InputFocused() {
		return nil, false
	}
	switch {
	case key.Matches(k, m.keys.Reload):
		return m.load(), true
	case key.Matches(k, m.keys.Open):
		// Open what it is about (its job or dataset), marking it read.
		it, ok := m.list.SelectedItem().(item)
		if !ok {
			return nil, true
		}
		return tea.Batch(m.markSelected(), common.OpenAction(it.n.Action)), true
	case key.Matches(k, m.keys.MarkRead):
		return m.markSelected(), true
	case key.Matches(k, m.keys.MarkAll):
		return m.markAll(), true
	}
	return nil, false
}

// markSelected marks the selected notification read at once on screen and
// in the database in a command; a failure puts the mark back.
func (m *Model) markSelected() tea.Cmd {
	it, ok := m.list.SelectedItem().(item)
	if !ok || it.n.Read {
		return nil
	}
	id := it.n.ID
	m.setRead(id, true)
	c := m.common
	return func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		return markedMsg{id: id, err: c.Backend.MarkNotificationRead(ctx, id)}
	}
}

// markAll marks everything read on screen and in a command.
func (m *Model) markAll() tea.Cmd {
	if m.unread() == 0 {
		return common.Notice("Nothing unread")
	}
	for i := range m.items {
		m.items[i].Read = true
	}
	cmd := m.refreshList()
	c := m.common
	return tea.Batch(cmd, func() tea.Msg {
		ctx, cancel := c.CallContext()
		defer cancel()
		n, err := c.Backend.MarkAllNotificationsRead(ctx)
		return markedAllMsg{n: n, err: err}
	})
}

func markedAllText(n int) string {
	switch n {
	case 0:
		return "Nothing unread"
	case 1:
		return "1 notification marked read"
	default:
		return fmt.Sprintf("%d notifications marked read", n)
	}
}

// setItems replaces the list's content, keeping the selection on the same
// notification when it is still there.
func (m *Model) setItems(items []model.Notification) tea.Cmd {
	var selected uuid.UUID
	if it, ok := m.list.SelectedItem().(item); ok {
		selected = it.n.ID
	}
	m.items = items
	cmd := m.refreshList()
	for i, n := range items {
		if n.ID == selected {
			m.list.Select(i)
			break
		}
	}
	m.list.SetSize(m.common.Width, m.listHeight())
	return cmd
}

func (m *Model) refreshList() tea.Cmd {
	li := make([]list.Item, len(m.items))
	for i, n := range m.items {
		li[i] = item{n}
	}
	return m.list.SetItems(li)
}

func (m *Model) setRead(id uuid.UUID, read bool) {
	for i := range m.items {
		if m.items[i].ID == id {
			m.items[i].Read = read
		}
	}
	for i, li := range m.list.Items() {
		if it, ok := li.(item); ok && it.n.ID == id {
			it.n.Read = read
			m.list.SetItem(i, it)
		}
	}
}

func (m *Model) unread() int {
	n := 0
	for _, it := range m.items {
		if !it.Read {
			n++
		}
	}
	return n
}

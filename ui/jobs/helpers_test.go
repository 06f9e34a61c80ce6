package jobs

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/ui/common"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/theme"
)

// newScreen builds the screen on b at w × h with colour off, shows it and
// lets its first page arrive.
func newScreen(t testing.TB, b *uitest.Backend, w, h int) *Model {
	return show(testCommon(t, b), w, h)
}

// newRemoteScreen is newScreen in an SSH session.
func newRemoteScreen(t testing.TB, b *uitest.Backend, w, h int) *Model {
	c := testCommon(t, b)
	c.Remote = true
	return show(c, w, h)
}

func testCommon(t testing.TB, b *uitest.Backend) common.Common {
	return common.New(t.Context(), b, theme.New(true), nil, uitest.Clock)
}

// show builds the screen on c at w × h, shows it and lets its first page
// arrive.
func show(c common.Common, w, h int) *Model {
	m := New(c).(*Model)
	m.SetSize(w, h)
	send(m, common.ActivatedMsg{})
	return m
}

// send delivers a message and the messages its commands answer with,
// until none come within the wait, as Bubble Tea would.
func send(m *Model, msg tea.Msg) {
	_, cmd := m.Update(msg)
	feed(m, cmd)
}

func feed(m *Model, cmd tea.Cmd) {
	for range 10 {
		msgs := uitest.Run(cmd)
		if len(msgs) == 0 {
			return
		}
		var cmds []tea.Cmd
		for _, msg := range msgs {
			_, c := m.Update(msg)
			cmds = append(cmds, c)
		}
		cmd = tea.Batch(cmds...)
	}
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		send(m, uitest.Key(k))
	}
}

// jobUpdated delivers the change event of an update to job id, as the
// listener would after a worker wrote to it, and what it leads to.
func jobUpdated(m *Model, id uuid.UUID) {
	send(m, common.EventMsg{Event: engine.Event{Table: jobsTable, ID: id, Op: "UPDATE"}})
}

// withJobs is the fixture backend holding n generated jobs, for paging.
func withJobs(t testing.TB, n int) *uitest.Backend {
	b := uitest.NewBackend(t)
	b.JobFixture().Items = uitest.GenerateJobs(b.CatalogValue, b.DatasetFixture().Items, n)
	return b
}

// assertFrame checks a frame against its golden file, that it stays
// inside w × h, and that its text holds each of contains.
func assertFrame(t *testing.T, name, v string, w, h int, contains ...string) {
	t.Helper()
	golden.Assert(t, name, v)
	golden.Fits(t, name, v, w, h)
	uitest.Holds(t, "view", ansi.Strip(v), contains...)
}

package app_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/app"
	"brightrun/ui/common"
	"brightrun/ui/components/printout"
	"brightrun/ui/estimate"
	"brightrun/ui/internal/golden"
	"brightrun/ui/internal/uitest"
	"brightrun/ui/notifications"
)

// start builds the shell at a size and runs its start-up commands to
// completion, as a real program would before the first frame settles.
func start(t *testing.T, b *uitest.Backend, w, h int, o app.Options) *app.Model {
	t.Helper()
	o.NoColor = true
	o.Now = uitest.Clock
	if o.Screens == nil {
		// The shell's behaviour is tested on two fixed tabs, so adding a
		// screen to DefaultScreens does not rewrite these tests.
		o.Screens = []common.ScreenFactory{notifications.New, estimate.New}
	}
	m := app.New(b, o)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	feed(m, uitest.Run(m.Init()))
	return m
}

// feed delivers messages, and the messages of their commands one level deep
// (enough for a load or a mark to land).
func feed(m *app.Model, msgs []tea.Msg) {
	for _, msg := range msgs {
		_, cmd := m.Update(msg)
		for _, next := range uitest.Run(cmd) {
			m.Update(next)
		}
	}
}

func press(m *app.Model, keys ...string) []tea.Msg {
	var out []tea.Msg
	for _, k := range keys {
		_, cmd := m.Update(uitest.Key(k))
		msgs := uitest.Run(cmd)
		out = append(out, msgs...)
		feed(m, msgs)
	}
	return out
}

func content(m *app.Model) string { return m.View().Content }

// plain is the frame without escape codes, for assertions on text.
func plain(m *app.Model) string { return ansi.Strip(content(m)) }

func TestGolden(t *testing.T) {
	golden.AtSizes(func(w, h int, name func(string) string) {
		t.Run(name("notifications"), func(t *testing.T) {
			m := start(t, uitest.NewBackend(t), w, h, app.Options{})
			golden.Assert(t, name("notifications"), content(m))
		})
		t.Run(name("estimate"), func(t *testing.T) {
			m := start(t, uitest.NewBackend(t), w, h, app.Options{})
			press(m, "2")
			golden.Assert(t, name("estimate"), content(m))
		})
		t.Run(name("help"), func(t *testing.T) {
			m := start(t, uitest.NewBackend(t), w, h, app.Options{})
			press(m, "?")
			golden.Assert(t, name("help"), content(m))
		})
	})
	t.Run("notice_and_outage_80x24", func(t *testing.T) {
		b := uitest.NewBackend(t)
		b.StatusValue.S3 = engine.ServiceState{Error: "dial tcp 127.0.0.1:7070: connection refused"}
		m := start(t, b, 80, 24, app.Options{Notice: "Demo data seeded: 5 notifications, 12 conversations"})
		golden.Assert(t, "notice_and_outage_80x24", content(m))
	})
}

func TestFrameFillsTheTerminal(t *testing.T) {
	m := start(t, uitest.NewBackend(t), 80, 24, app.Options{})
	for _, size := range [][2]int{{120, 40}, {60, 15}, {30, 8}, {12, 5}, {80, 24}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for _, tab := range []string{"1", "2"} {
			press(m, tab)
			lines := strings.Split(content(m), "\n")
			if len(lines) != size[1] {
				t.Errorf("%dx%d tab %s: %d lines, want %d", size[0], size[1], tab, len(lines), size[1])
			}
			for i, l := range lines {
				if w := lipgloss.Width(l); w > size[0] {
					t.Errorf("%dx%d tab %s line %d: width %d > %d: %q", size[0], size[1], tab, i+1, w, size[0], l)
				}
			}
			press(m, "esc") // leave the estimate form so "1" switches back
		}
		press(m, "?")
		if n := strings.Count(content(m), "\n") + 1; n != size[1] {
			t.Errorf("%dx%d with help: %d lines", size[0], size[1], n)
		}
		press(m, "?")
	}
}

func TestQuit(t *testing.T) {
	quits := func(msgs []tea.Msg) bool {
		_, ok := uitest.Find[tea.QuitMsg](msgs)
		return ok
	}
	m := start(t, uitest.NewBackend(t), 80, 24, app.Options{})
	if !quits(press(m, "q")) {
		t.Error("q on the notifications tab did not quit")
	}

	m = start(t, uitest.NewBackend(t), 80, 24, app.Options{})
	press(m, "2") // the estimate form takes the keyboard
	if quits(press(m, "q")) {
		t.Error("q quit while the estimate form was being edited")
	}
	if !quits(press(m, "ctrl+c")) {
		t.Error("ctrl+c did not quit while editing")
	}
	press(m, "esc")
	if !quits(press(m, "q")) {
		t.Error("q did not quit after esc left the form")
	}
}

func TestTabSwitching(t *testing.T) {
	m := start(t, uitest.NewBackend(t), 80, 24, app.Options{})
	title := func() string { return m.View().WindowTitle }
	if title() != "brightrun · Notifications" {
		t.Fatalf("start title %q", title())
	}
	press(m, "tab")
	if title() != "brightrun · Estimate" {
		t.Errorf("after tab: %q", title())
	}
	press(m, "esc", "shift+tab")
	if title() != "brightrun · Notifications" {
		t.Errorf("after shift+tab: %q", title())
	}
	press(m, "2")
	if title() != "brightrun · Estimate" {
		t.Errorf("after 2: %q", title())
	}
	// While the form is edited, digits are typed, not tab jumps.
	press(m, "1")
	if title() != "brightrun · Estimate" {
		t.Errorf("1 while editing switched tabs: %q", title())
	}
	press(m, "esc", "9") // no tab 9: nothing happens
	if title() != "brightrun · Estimate" {
		t.Errorf("after 9: %q", title())
	}
	press(m, "1")
	if title() != "brightrun · Notifications" {
		t.Errorf("after 1: %q", title())
	}
}

func TestActivatingNotificationsReloads(t *testing.T) {
	b := uitest.NewBackend(t)
	m := start(t, b, 80, 24, app.Options{})
	before := b.Loads
	press(m, "2", "esc", "1")
	if b.Loads != before+1 {
		t.Errorf("loads %d → %d, want one reload on activation", before, b.Loads)
	}
}

func TestResizeRelaysOut(t *testing.T) {
	m := start(t, uitest.NewBackend(t), 80, 24, app.Options{})
	small := content(m)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	big := plain(m)
	if strings.Count(big, "\n") != 39 || strings.Count(small, "\n") != 23 {
		t.Fatalf("line counts %d and %d", strings.Count(small, "\n")+1, strings.Count(big, "\n")+1)
	}
	// At 120 columns the data dir fits whole in the status bar.
	if !strings.Contains(big, "/home/alice/.local/share/brightrun") {
		t.Error("wide status bar lacks the full data dir")
	}
}

func TestErrorsAndNoticesShowAsToasts(t *testing.T) {
	m := start(t, uitest.NewBackend(t), 80, 24, app.Options{})
	m.Update(common.ErrMsg{Op: "mark read", Err: errors.New("connection refused")})
	if !strings.Contains(plain(m), "✗ mark read: connection refused") {
		t.Errorf("error toast missing:\n%s", content(m))
	}
	m.Update(common.NoticeMsg("2 notifications marked read"))
	v := plain(m)
	if !strings.Contains(v, "✓ 2 notifications marked read") || strings.Contains(v, "connection refused") {
		t.Errorf("notice did not replace the error:\n%s", v)
	}
}

func TestStatusBarShowsOutage(t *testing.T) {
	b := uitest.NewBackend(t)
	b.StatusValue.Postgres = engine.ServiceState{Error: "connection refused"}
	m := start(t, b, 120, 40, app.Options{})
	if v := plain(m); !strings.Contains(v, "pg ✗ connection refused") || !strings.Contains(v, "s3 ✓ 127.0.0.1:7070") {
		t.Errorf("status bar:\n%s", v)
	}
}

// With a monthly budget the status bar shows where the month stands; without
// one it says nothing of budgets.
func TestStatusBarShowsBudget(t *testing.T) {
	for _, b := range []*model.Budget{nil, {User: "ann", Month: "2026-12", MonthlyLimit: 5, Spent: 2.57}} {
		be := uitest.NewBackend(t)
		be.StatusValue.Budget = b
		v := plain(start(t, be, 120, 40, app.Options{}))
		if shown := strings.Contains(v, "budget $2.57 / $5.00 this month"); shown != (b != nil) || (b == nil && strings.Contains(v, "budget")) {
			t.Errorf("budget %v: status bar:\n%s", b, v)
		}
	}
}

func TestHelpToggles(t *testing.T) {
	m := start(t, uitest.NewBackend(t), 120, 40, app.Options{})
	press(m, "?")
	if !strings.Contains(plain(m), "close help") {
		t.Fatal("? did not open the full help")
	}
	press(m, "esc")
	if strings.Contains(plain(m), "close help") {
		t.Error("esc did not close the full help")
	}
}

// TestColourThemes renders every tab with colour on, on a dark and then a
// light background, the way a real terminal session runs.
func TestColourThemes(t *testing.T) {
	m := app.New(uitest.NewBackend(t), app.Options{Now: uitest.Clock})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	feed(m, uitest.Run(m.Init()))
	v := m.View()
	if !v.AltScreen {
		t.Error("the shell does not ask for the alternate screen")
	}
	if !strings.Contains(v.Content, "\x1b[38;2;") {
		t.Error("no colour in a colour theme")
	}
	_, cmd := m.Update(tea.BackgroundColorMsg{Color: lipgloss.Color("#FFFFFF")})
	feed(m, uitest.Run(cmd))
	for _, tab := range []string{"1", "2"} {
		press(m, tab)
		if p := plain(m); !strings.Contains(p, "alice") {
			t.Errorf("tab %s on a light background:\n%s", tab, p)
		}
		press(m, "esc")
	}
}

func TestNoColorThemeHasNoColour(t *testing.T) {
	m := start(t, uitest.NewBackend(t), 120, 40, app.Options{})
	for _, tab := range []string{"1", "2"} {
		press(m, tab)
		if c := content(m); strings.Contains(c, "\x1b[38;") || strings.Contains(c, "\x1b[48;") {
			t.Errorf("tab %s: colour escape under NO_COLOR", tab)
		}
		press(m, "esc")
	}
}

func TestDefaultTabs(t *testing.T) {
	m := start(t, uitest.NewBackend(t), 160, 40, app.Options{Screens: app.DefaultScreens()})
	bar := strings.SplitN(plain(m), "\n", 2)[0]
	last := -1
	for i, title := range []string{"Conversations", "Training files", "Datasets", "Configure", "Jobs", "Notifications", "Estimate"} {
		at := strings.Index(bar, fmt.Sprintf("%d %s", i+1, title))
		if at < 0 || at < last {
			t.Fatalf("tab %d %q missing or out of order in %q", i+1, title, bar)
		}
		last = at
	}
}

// TestTabBarNamesTheSSHSession: over SSH the tab bar says whose session
// on which server it is, not the server's engine mode ("local").
func TestTabBarNamesTheSSHSession(t *testing.T) {
	for _, tc := range []struct {
		name      string
		o         app.Options
		want, not string
	}{
		{"local", app.Options{}, "local", "ssh"},
		{"ssh", app.Options{Remote: true, Host: "gpu-box"}, "ssh · %s@gpu-box", "local"},
		{"ssh without a host name", app.Options{Remote: true}, "ssh · %s ", "local"},
	} {
		b := uitest.NewBackend(t)
		m := start(t, b, 120, 40, tc.o)
		bar := strings.SplitN(plain(m), "\n", 2)[0]
		want := tc.want
		if strings.Contains(want, "%s") {
			want = fmt.Sprintf(want, b.User().Name)
		}
		if !strings.Contains(bar, want) || strings.Contains(bar, tc.not) {
			t.Errorf("%s: tab bar %q, want %q and no %q", tc.name, bar, want, tc.not)
		}
	}
}

// TestPrintoutLeavesTheFrame: a screen's printout takes the shell out of
// the alternate screen, keys and all, until enter brings the frame back.
func TestPrintoutLeavesTheFrame(t *testing.T) {
	m := start(t, uitest.NewBackend(t), 80, 24, app.Options{})
	m.Update(printout.Msg{Text: "curl 'https://example.com/long'"})
	if v := m.View(); v.AltScreen || v.Content != printout.Back {
		t.Fatalf("printout view: alt screen %v, %q", v.AltScreen, v.Content)
	}
	press(m, "2")
	if v := m.View(); v.AltScreen {
		t.Fatal("a key other than enter ended the printout")
	}
	press(m, "enter")
	if v := m.View(); !v.AltScreen || !strings.Contains(plain(m), "brightrun") {
		t.Errorf("enter did not bring the frame back:\n%s", plain(m))
	}
}

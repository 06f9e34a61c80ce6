package app

import (
	"strconv"
	"strings"

	"brightrun/engine"
	"brightrun/ui/common"
	"brightrun/ui/format"
)

// bars keeps the last tab bar, rule, status bar and help line drawn, with
// the inputs each was drawn from. They change far less often than the
// screen under them, and a frame is drawn after every message and, over
// SSH, for every session, so drawing them again each time was a tenth of a
// busy server's CPU. A theme change forgets them all.
type bars struct {
	tabs, rule, status, help common.Memo
}

func (m *Model) cachedTabBar() string {
	var k strings.Builder
	k.WriteString(strconv.Itoa(m.width) + "|" + strconv.Itoa(m.active) + "|" + m.status.Mode)
	for _, s := range m.screens {
		k.WriteString("|" + s.Title())
		if b, ok := s.(common.Badger); ok {
			k.WriteString("(" + b.Badge() + ")")
		}
	}
	return m.bars.tabs.Get(k.String(), m.tabBar)
}

func (m *Model) cachedRule() string {
	return m.bars.rule.Get(strconv.Itoa(m.width), func() string {
		return m.common.Theme.TabRule.Render(strings.Repeat("─", m.width))
	})
}

func (m *Model) cachedStatusBar() string {
	k := strconv.Itoa(m.width) + "|" + m.common.User.Name + "|" + m.status.DataDir + "|" +
		serviceKey(m.status.Postgres) + "|" + serviceKey(m.status.S3)
	if b := m.status.Budget; b != nil {
		k += "|" + format.BudgetLine(*b)
	}
	if !m.statusKnown {
		k += "|" + m.spinner.View()
	}
	return m.bars.status.Get(k, m.statusBar)
}

func serviceKey(s engine.ServiceState) string {
	return strconv.FormatBool(s.OK) + " " + s.Version + " " + s.Endpoint + " " + s.Error
}

// cachedHelpLine caches the short help only: a toast or a closing warning
// is drawn as it comes.
func (m *Model) cachedHelpLine() string {
	if !m.ending.At.IsZero() || m.toast.text != "" {
		return m.helpLine()
	}
	var k strings.Builder
	k.WriteString(strconv.Itoa(m.width))
	for _, b := range m.shortHelp() {
		h := b.Help()
		k.WriteString("|" + h.Key + "\x00" + h.Desc + "\x00" + strconv.FormatBool(b.Enabled()))
	}
	return m.bars.help.Get(k.String(), m.helpLine)
}

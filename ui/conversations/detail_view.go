package conversations

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"brightrun/model"
	"brightrun/ui/format"
	"brightrun/ui/theme"
)

// view draws the header, then the turns or pairs, the loading or error
// state, or the export prompt over them.
func (d *detail) view(spin string) string {
	t := d.common.Theme
	w, h := d.width, d.height
	body := ""
	switch {
	case d.prompt != nil:
		body = lipgloss.PlaceHorizontal(w, lipgloss.Center, "\n"+d.prompt.View())
	case d.err != nil:
		body = "\n  " + t.Error.Render("Could not open this conversation") + "\n  " + t.Muted.Render(ansi.Truncate(d.err.Error(), max(1, w-4), "…"))
	case d.data == nil:
		body = "\n  " + spin + " " + t.Muted.Render("Loading turns and pairs…")
	default:
		body = d.vp.View()
	}
	out := d.header() + "\n" + body
	return lipgloss.NewStyle().MaxWidth(w).MaxHeight(h).Render(out)
}

// header is the title, the facts about the conversation, the view tabs
// with the scroll position, and a rule.
func (d *detail) header() string {
	t := d.common.Theme
	w := max(1, d.width)
	c := d.row
	facts := []string{c.Tier, c.EnrichmentStatus, "quality " + quality(c.QualityScore),
		format.Count(c.TurnCount, "turn", "turns"), format.Count(c.PairCount, "pair", "pairs"), "created " + date(c), c.ConversationID}
	tabs := []string{fmt.Sprintf("Turns %d", c.TurnCount), fmt.Sprintf("Pairs %d", c.PairCount)}
	for i := range tabs {
		if detailView(i) == d.showing {
			tabs[i] = t.TabActive.Render(tabs[i])
		} else {
			tabs[i] = t.TabInactive.Render(tabs[i])
		}
	}
	left := strings.Join(tabs, " ")
	right := ""
	if d.data != nil && d.vp.TotalLineCount() > d.vp.Height() {
		right = t.Muted.Render(fmt.Sprintf("%3.0f%%", d.vp.ScrollPercent()*100))
	}
	gap := max(1, w-lipgloss.Width(left)-lipgloss.Width(right))
	return strings.Join([]string{
		t.Title.Render(ansi.Truncate(c.Title, w, "…")),
		t.Muted.Render(ansi.Truncate(namedKey(c.PersonaName, c.Persona)+" · "+namedKey(c.EmotionalArcName, c.EmotionalArc)+" · "+namedKey(c.TrainingTopicName, c.TrainingTopic), w, "…")),
		ansi.Truncate(strings.Join(facts, " · "), w, "…"),
		left + strings.Repeat(" ", gap) + right,
		t.TabRule.Render(strings.Repeat("─", w)),
	}, "\n")
}

// wrap breaks text into lines of at most width cells, keeping its own line
// breaks.
func wrap(text string, width int) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		out = append(out, strings.Split(ansi.Wrap(para, max(1, width), ""), "\n")...)
	}
	return out
}

// renderTurns draws the conversation: user turns flush left behind a thick
// bar, assistant turns indented behind a thin one, each under its label,
// so the two read apart with or without colour.
func renderTurns(t *theme.Theme, turns []model.Turn, w int) string {
	var lines []string
	for i, turn := range turns {
		if i > 0 {
			lines = append(lines, "")
		}
		label, bar, text, prefix := t.UserLabel.Render("User"), t.UserBar.Render("▌"), t.UserText, ""
		if turn.Role != model.RoleUser {
			label, bar, text, prefix = t.AssistantLabel.Render("Assistant"), t.AssistantBar.Render("│"), t.AssistantText, "  "
		}
		lines = append(lines, prefix+bar+" "+label+t.Muted.Render(" · turn "+strconv.Itoa(i+1)))
		for _, l := range wrap(turn.Content, w-len(prefix)-2) {
			lines = append(lines, prefix+bar+" "+text.Render(l))
		}
	}
	if len(lines) == 0 {
		return t.Empty.Render("  No turns.")
	}
	return strings.Join(lines, "\n")
}

// pairLabelWidth is the column of the pair fields' names.
const pairLabelWidth = 17

// renderPairs draws every training pair: its system prompt, how much
// history it carries, the input, the target and the emotional context.
func renderPairs(t *theme.Theme, f model.ConversationFile, w int) string {
	if len(f.TrainingPairs) == 0 {
		return t.Empty.Render("  No training pairs: this conversation is raw (not enriched).")
	}
	var lines []string
	field := func(name, value string) {
		label := t.Label.Render(fmt.Sprintf("  %-*s ", pairLabelWidth-3, name))
		for i, l := range wrap(value, w-pairLabelWidth) {
			if i == 0 {
				lines = append(lines, label+l)
			} else {
				lines = append(lines, strings.Repeat(" ", pairLabelWidth)+l)
			}
		}
	}
	for i, p := range f.TrainingPairs {
		if i > 0 {
			lines = append(lines, "")
		}
		head := []string{p.ID}
		if p.TurnIndex != nil {
			head = append(head, "turn "+strconv.Itoa(*p.TurnIndex))
		}
		if p.QualityScore != nil {
			head = append(head, "quality "+quality(p.QualityScore))
		}
		lines = append(lines, t.Strong.Render(fmt.Sprintf("Pair %d of %d", i+1, len(f.TrainingPairs)))+"  "+
			t.Muted.Render(ansi.Truncate(strings.Join(head, " · "), max(1, w-16), "…")))
		sys := p.SystemPrompt
		if sys == "" {
			sys = f.SystemPrompt
		}
		if sys == "" {
			sys = "–"
		}
		field("System prompt", sys)
		field("History", format.Count(len(p.ConversationHistory), "turn", "turns")+" before the input")
		field("Input", p.CurrentUserInput)
		field("Target", p.TargetResponse)
		field("Emotional ctx", emotionalContext(p.EmotionalContext))
	}
	return strings.Join(lines, "\n")
}

// emotionalContext renders the free-form object as "key: value" pairs in
// key order; lists are joined, nested objects stay JSON.
func emotionalContext(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "–"
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return string(raw)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + jsonValue(obj[k])
	}
	return strings.Join(parts, " · ")
}

func jsonValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		s := make([]string, len(v))
		for i, x := range v {
			s[i] = jsonValue(x)
		}
		return strings.Join(s, ", ")
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

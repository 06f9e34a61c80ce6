package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/termtext"
)

// conversationList is the --json shape of `conversations list` (docs/cli.md).
type conversationList struct {
	Conversations []model.Conversation `json:"conversations"`
	Page          int                  `json:"page"`
	Limit         int                  `json:"limit"`
	Total         int                  `json:"total"`
}

func runConversationsList(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "conversations list", &c, true)
	filter := fs.String("filter", "", "text to find in the title or conversation_id")
	tiers := fs.String("tier", "", "tiers, comma-separated: template, edge_case")
	personas := fs.String("persona", "", "persona keys, comma-separated")
	arcs := fs.String("arc", "", "emotional arc keys, comma-separated")
	topics := fs.String("topic", "", "training topic keys, comma-separated")
	statuses := fs.String("status", "", "enrichment statuses, comma-separated")
	minQuality := fs.Float64("min-quality", 0, "lowest quality score (0-10)")
	trainable := fs.Bool("trainable", false, "only conversations that can go into a training file")
	sort := fs.String("sort", "", "column to sort by: "+strings.Join(model.SortColumns, ", ")+" (default: newest first)")
	desc := fs.Bool("desc", false, "sort descending")
	pg := addPager(fs, "rows", model.DefaultConversationLimit, model.MaxConversationLimit)
	page, limit, err := pg.parseList(fs, args)
	if err != nil {
		return err
	}
	q := model.ConversationQuery{
		Text: *filter, Tiers: splitList(*tiers), Personas: splitList(*personas), EmotionalArcs: splitList(*arcs),
		Topics: splitList(*topics), Statuses: splitList(*statuses), Trainable: *trainable,
		Sort: *sort, Desc: *desc, Offset: (page - 1) * limit, Limit: limit,
	}
	if fs.given()["min-quality"] {
		q.MinQuality = minQuality
	}
	if _, err := q.Normalized(); err != nil {
		return usagef("conversations list: %v", err)
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		res, err := s.ListConversations(ctx, q)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, conversationList{Conversations: res.Conversations, Page: page, Limit: limit, Total: res.Total})
		}
		printConversations(env.Stdout, res, page)
		return nil
	})
}

func printConversations(w io.Writer, res model.ConversationPage, page int) {
	tw := newTable(w)
	fmt.Fprintln(tw, "CONVERSATION_ID\tTITLE\tPERSONA\tARC\tTOPIC\tTIER\tSTATUS\tQUALITY\tTURNS\tPAIRS\tCREATED")
	for _, c := range res.Conversations {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", termtext.Line(c.ConversationID), clip(c.Title, 40), termtext.Line(c.Persona),
			termtext.Line(c.EmotionalArc), termtext.Line(c.TrainingTopic), c.Tier, c.EnrichmentStatus, quality(c.QualityScore), c.TurnCount, c.PairCount,
			c.CreatedAt.Format("2006-01-02"))
	}
	tw.Flush()
	from := res.Offset + 1
	if len(res.Conversations) == 0 {
		from = res.Offset
	}
	fmt.Fprintf(w, "page %d: %d-%d of %d\n", page, from, res.Offset+len(res.Conversations), res.Total)
}

func runConversationsShow(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "conversations show", &c, true)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("conversations show: give one conversation_id")
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		found, err := s.ConversationsByKey(ctx, pos)
		if err != nil {
			return err
		}
		d, err := s.Conversation(ctx, found[0].ID)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, d)
		}
		printConversation(env.Stdout, d)
		return nil
	})
}

func printConversation(w io.Writer, d engine.ConversationDetail) {
	fmt.Fprintf(w, "%s  %s\n", termtext.Line(d.ConversationID), termtext.Line(d.Title))
	fmt.Fprintf(w, "persona %s, arc %s, topic %s, tier %s, %s, quality %s\n", termtext.Line(d.Persona), termtext.Line(d.EmotionalArc),
		termtext.Line(d.TrainingTopic), d.Tier, d.EnrichmentStatus, quality(d.QualityScore))
	fmt.Fprintf(w, "\nTurns (%d)\n", len(d.File.Turns))
	for i, t := range d.File.Turns {
		fmt.Fprintf(w, "  [%d] %-9s %s\n", i, termtext.Line(t.Role), termtext.Text(t.Content))
	}
	if len(d.File.TrainingPairs) == 0 {
		return
	}
	fmt.Fprintf(w, "\nTraining pairs (%d)\n", len(d.File.TrainingPairs))
	for _, p := range d.File.TrainingPairs {
		sys := p.SystemPrompt
		if sys == "" {
			sys = d.File.SystemPrompt
		}
		fmt.Fprintf(w, "  %s  history %d turns\n", termtext.Line(p.ID), len(p.ConversationHistory))
		if sys != "" {
			fmt.Fprintf(w, "    system     %s\n", termtext.Text(sys))
		}
		fmt.Fprintf(w, "    input      %s\n    target     %s\n", termtext.Text(p.CurrentUserInput), termtext.Text(p.TargetResponse))
		if len(p.EmotionalContext) > 0 {
			fmt.Fprintf(w, "    emotional  %s\n", termtext.Line(string(p.EmotionalContext)))
		}
	}
}

func runConversationsExport(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "conversations export", &c, false)
	flavour := fs.String("flavour", model.FlavourEnriched, "which file: raw or enriched")
	out := fs.String("out", "", "local file to write (- for stdout)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("conversations export: give one conversation_id")
	}
	if *out == "" {
		return usagef("conversations export: give --out FILE")
	}
	if *flavour != model.FlavourRaw && *flavour != model.FlavourEnriched {
		return usagef("conversations export: --flavour %q: want raw or enriched", *flavour)
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		found, err := s.ConversationsByKey(ctx, pos)
		if err != nil {
			return err
		}
		id := found[0].ID
		return writeOut(env, *out,
			func(path string) (int64, error) { return s.ExportConversation(ctx, id, *flavour, path) },
			func(w io.Writer) (int64, error) { return s.ExportConversationTo(ctx, id, *flavour, w) })
	})
}

// splitList splits a comma-separated flag value, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func quality(q *float64) string {
	if q == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f", *q)
}

// clip shortens stored text to n runes for a table cell, made inert first
// (termtext.Line) so the cut counts what the terminal shows.
func clip(s string, n int) string {
	s = termtext.Line(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

package engine

import (
	"context"
	"fmt"

	"brightrun/model"
)

// nameConversations fills the persona, arc and topic names of rows from
// the reference tables, so that a face shows "Anxious first-time
// investor" where the row holds anxious_first_time_investor. The tables
// are small (tens of rows) and read whole, once per call.
func (s *Session) nameConversations(ctx context.Context, rows []model.Conversation) error {
	if len(rows) == 0 {
		return nil
	}
	personas, err := s.e.db.Personas(ctx)
	if err != nil {
		return fmt.Errorf("name conversations: %w", err)
	}
	arcs, err := s.e.db.EmotionalArcs(ctx)
	if err != nil {
		return fmt.Errorf("name conversations: %w", err)
	}
	topics, err := s.e.db.Topics(ctx)
	if err != nil {
		return fmt.Errorf("name conversations: %w", err)
	}
	names := func(n int, kv func(i int) (string, string)) map[string]string {
		m := make(map[string]string, n)
		for i := range n {
			k, v := kv(i)
			m[k] = v
		}
		return m
	}
	pn := names(len(personas), func(i int) (string, string) { return personas[i].Key, personas[i].Name })
	an := names(len(arcs), func(i int) (string, string) { return arcs[i].Key, arcs[i].Name })
	tn := names(len(topics), func(i int) (string, string) { return topics[i].Key, topics[i].Name })
	for i := range rows {
		r := &rows[i]
		r.PersonaName, r.EmotionalArcName, r.TrainingTopicName = pn[r.Persona], an[r.EmotionalArc], tn[r.TrainingTopic]
	}
	return nil
}

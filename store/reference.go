package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"brightrun/model"
)

// The reference tables (personas, emotional arcs, training topics) are
// global: every operator's conversations share one vocabulary. Seeding
// writes names and descriptions; an import only makes sure its keys exist.

// NewReferenceKeys are the reference keys one write added, by table.
type NewReferenceKeys struct {
	Personas      []string
	EmotionalArcs []string
	Topics        []string
}

// UpsertReference writes seed rows: new keys are added, known ones get the
// given name, description (and an arc's tier) and become active again.
func (db *DB) UpsertReference(ctx context.Context, personas []model.Persona, arcs []model.EmotionalArc, topics []model.Topic) error {
	err := db.Tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, p := range personas {
			b.Queue(`INSERT INTO personas (key, name, description) VALUES ($1, $2, $3)
				ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, active = true`,
				p.Key, p.Name, p.Description)
		}
		for _, a := range arcs {
			b.Queue(`INSERT INTO emotional_arcs (arc_key, name, description, tier) VALUES ($1, $2, $3, $4)
				ON CONFLICT (arc_key) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
					tier = EXCLUDED.tier, active = true`,
				a.Key, a.Name, a.Description, nullIfEmpty(a.Tier))
		}
		for _, t := range topics {
			b.Queue(`INSERT INTO training_topics (key, name, description) VALUES ($1, $2, $3)
				ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, active = true`,
				t.Key, t.Name, t.Description)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("write reference data: %w", err)
	}
	return nil
}

// ensureReferenceKeys adds the persona, arc and topic keys of one
// conversation that are not known yet, inside the caller's transaction (so
// they vanish with it if the conversation does not land), and says which
// were new.
func ensureReferenceKeys(ctx context.Context, tx pgx.Tx, persona, arc, topic string) (NewReferenceKeys, error) {
	// One round trip for all three. Known keys (nearly always) are answered
	// by the NOT EXISTS without a write; only a new key is inserted.
	var p, a, t *string
	err := tx.QueryRow(ctx, `
		WITH p AS (INSERT INTO personas (key) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM personas WHERE key = $1)
				ON CONFLICT (key) DO NOTHING RETURNING key),
			a AS (INSERT INTO emotional_arcs (arc_key) SELECT $2 WHERE NOT EXISTS (SELECT 1 FROM emotional_arcs WHERE arc_key = $2)
				ON CONFLICT (arc_key) DO NOTHING RETURNING arc_key),
			t AS (INSERT INTO training_topics (key) SELECT $3 WHERE NOT EXISTS (SELECT 1 FROM training_topics WHERE key = $3)
				ON CONFLICT (key) DO NOTHING RETURNING key)
		SELECT (SELECT key FROM p), (SELECT arc_key FROM a), (SELECT key FROM t)`,
		persona, arc, topic).Scan(&p, &a, &t)
	if err != nil {
		return NewReferenceKeys{}, fmt.Errorf("add reference keys %q, %q, %q: %w", persona, arc, topic, err)
	}
	var nk NewReferenceKeys
	if p != nil {
		nk.Personas = []string{*p}
	}
	if a != nil {
		nk.EmotionalArcs = []string{*a}
	}
	if t != nil {
		nk.Topics = []string{*t}
	}
	return nk, nil
}

// Personas lists the active personas by key.
func (db *DB) Personas(ctx context.Context) ([]model.Persona, error) {
	rows, err := db.pool.Query(ctx, `SELECT key, name, description FROM personas WHERE active ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("list personas: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.Persona, error) {
		var p model.Persona
		return p, r.Scan(&p.Key, &p.Name, &p.Description)
	})
	if err != nil {
		return nil, fmt.Errorf("list personas: %w", err)
	}
	return list, nil
}

// EmotionalArcs lists the active arcs: template tier first, then edge
// cases, then arcs no one classified yet; by key within a tier.
func (db *DB) EmotionalArcs(ctx context.Context) ([]model.EmotionalArc, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT arc_key, name, description, coalesce(tier, '') FROM emotional_arcs WHERE active
		ORDER BY CASE tier WHEN 'template' THEN 0 WHEN 'edge_case' THEN 1 ELSE 2 END, arc_key`)
	if err != nil {
		return nil, fmt.Errorf("list emotional arcs: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.EmotionalArc, error) {
		var a model.EmotionalArc
		return a, r.Scan(&a.Key, &a.Name, &a.Description, &a.Tier)
	})
	if err != nil {
		return nil, fmt.Errorf("list emotional arcs: %w", err)
	}
	return list, nil
}

// Topics lists the active training topics by key.
func (db *DB) Topics(ctx context.Context) ([]model.Topic, error) {
	rows, err := db.pool.Query(ctx, `SELECT key, name, description FROM training_topics WHERE active ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("list training topics: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.Topic, error) {
		var t model.Topic
		return t, r.Scan(&t.Key, &t.Name, &t.Description)
	})
	if err != nil {
		return nil, fmt.Errorf("list training topics: %w", err)
	}
	return list, nil
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"

	"brightrun/assets"
	"brightrun/model"
)

// DemoResult says what seeding the demo data did.
type DemoResult struct {
	Personas      int          `json:"personas"`
	EmotionalArcs int          `json:"emotional_arcs"`
	Topics        int          `json:"training_topics"`
	Files         int          `json:"files"`
	Import        ImportResult `json:"import"`
}

// Conversations is how many conversations the seeding added.
func (r DemoResult) Conversations() int { return r.Import.Imported }

// demoSeedKey marks in app_settings that this database got its demo data
// (or that its first operator had data already and needed none).
const demoSeedKey = "demo_seeded"

// SeedDemo writes the reference data (personas, emotional arcs, training
// topics) from the embedded assets/reference and imports every embedded
// conversation of assets/demo/conversations for the operator, through the
// same path as `brightrun import`. Seeding again updates the same rows.
func (s *Session) SeedDemo(ctx context.Context) (DemoResult, error) {
	return s.seedDemo(ctx, assets.Reference, "reference", assets.Demo, "demo/conversations")
}

// SeedDemoIfNew seeds the demo data once per database, for the first
// operator session of a zero-config installation, so a new user finds every
// screen populated. It does nothing in shared (production) mode, on a
// database that was seeded (or claimed) before, or when the operator
// already has conversations. seeded says whether it seeded now; the session
// remembers the result for the TUI (DemoSeeded).
func (s *Session) SeedDemoIfNew(ctx context.Context) (seeded bool, res DemoResult, err error) {
	if s.e.cfg.Mode != ModeLocal {
		return false, DemoResult{}, nil
	}
	// Claiming first makes two processes starting at once seed only once.
	claimed, err := s.e.db.ClaimSetting(ctx, demoSeedKey, "seeding for "+s.user.Name)
	if err != nil || !claimed {
		return false, DemoResult{}, err
	}
	page, err := s.ListConversations(ctx, model.ConversationQuery{Limit: 1})
	if err != nil {
		_ = s.e.db.DeleteSetting(context.WithoutCancel(ctx), demoSeedKey)
		return false, DemoResult{}, err
	}
	if page.Total > 0 {
		return false, DemoResult{}, s.e.db.SetSetting(ctx, demoSeedKey, "not needed: "+s.user.Name+" had conversations")
	}
	res, err = s.SeedDemo(ctx)
	if err != nil {
		// Release the claim, so the next start tries again.
		_ = s.e.db.DeleteSetting(context.WithoutCancel(ctx), demoSeedKey)
		return false, res, fmt.Errorf("seed demo data: %w", err)
	}
	if err := s.e.db.SetSetting(ctx, demoSeedKey, fmt.Sprintf("seeded for %s: %d conversations", s.user.Name, res.Conversations())); err != nil {
		return true, res, err
	}
	s.demoSeeded = &res
	return true, res, nil
}

// DemoSeeded is what SeedDemoIfNew seeded in this session, if it did, so
// the TUI can say "Demo data seeded: N conversations".
func (s *Session) DemoSeeded() (DemoResult, bool) {
	if s.demoSeeded == nil {
		return DemoResult{}, false
	}
	return *s.demoSeeded, true
}

func (s *Session) seedDemo(ctx context.Context, refFS fs.FS, refDir string, convFS fs.FS, convDir string) (DemoResult, error) {
	var res DemoResult
	personas, arcs, topics, err := readReferenceData(refFS, refDir)
	if err != nil {
		return res, err
	}
	if err := s.e.db.UpsertReference(ctx, personas, arcs, topics); err != nil {
		return res, err
	}
	res.Personas, res.EmotionalArcs, res.Topics = len(personas), len(arcs), len(topics)
	sources, err := fsSources(convFS, convDir)
	if err != nil {
		return res, fmt.Errorf("demo conversations: %w", err)
	}
	res.Files = len(sources)
	res.Import, err = s.importSources(ctx, sources, nil)
	if err != nil {
		return res, err
	}
	if len(res.Import.Rejected) > 0 {
		return res, fmt.Errorf("demo data: %d files rejected, first: %s", len(res.Import.Rejected), res.Import.Rejected[0])
	}
	return res, nil
}

// readReferenceData reads and checks the reference data in dir: personas,
// emotional arcs (of a known tier) and training topics.
func readReferenceData(fsys fs.FS, dir string) (personas []model.Persona, arcs []model.EmotionalArc, topics []model.Topic, err error) {
	for _, r := range []struct {
		file string
		dst  any
	}{
		{"personas.json", &personas}, {"emotional_arcs.json", &arcs}, {"training_topics.json", &topics},
	} {
		if err := readReference(fsys, dir+"/"+r.file, r.dst); err != nil {
			return nil, nil, nil, err
		}
	}
	for _, a := range arcs {
		if a.Tier != "" && a.Tier != model.TierTemplate && a.Tier != model.TierEdgeCase {
			return nil, nil, nil, fmt.Errorf("reference data: emotional arc %q has unknown tier %q", a.Key, a.Tier)
		}
	}
	return personas, arcs, topics, nil
}

// readReference decodes one reference file strictly: an unknown field is
// a typo in the seed data, better caught than silently dropped.
func readReference(fsys fs.FS, name string, dst any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("reference data: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("reference data %s: %w", name, err)
	}
	var check func() error
	switch list := dst.(type) {
	case *[]model.Persona:
		check = func() error { return keysPresent(len(*list), func(i int) string { return (*list)[i].Key }) }
	case *[]model.EmotionalArc:
		check = func() error { return keysPresent(len(*list), func(i int) string { return (*list)[i].Key }) }
	case *[]model.Topic:
		check = func() error { return keysPresent(len(*list), func(i int) string { return (*list)[i].Key }) }
	}
	if err := check(); err != nil {
		return fmt.Errorf("reference data %s: %w", name, err)
	}
	return nil
}

func keysPresent(n int, key func(int) string) error {
	for i := range n {
		if key(i) == "" {
			return fmt.Errorf("entry %d has no key", i)
		}
	}
	return nil
}

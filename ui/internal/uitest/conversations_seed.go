package uitest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"brightrun/assets"
	"brightrun/engine"
	"brightrun/model"
	"brightrun/model/convfile"
)

// demo is the parsed demo data of each user ID seen, built once per test
// binary: parsing and building take long enough under -race to matter.
var demo sync.Map // uuid.UUID → *ConversationData

// demoData returns a fresh copy of the demo data for a user.
func demoData(userID uuid.UUID) *ConversationData {
	v, ok := demo.Load(userID)
	if !ok {
		v, _ = demo.LoadOrStore(userID, newDemoData(userID))
	}
	return v.(*ConversationData).clone()
}

// clone copies everything a test may change; file bytes and parsed files
// are replaced, never changed in place, so they are shared.
func (d *ConversationData) clone() *ConversationData {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := &ConversationData{
		rows: append([]model.Conversation(nil), d.rows...), files: make(map[uuid.UUID]*storedConversation, len(d.files)),
		byKey: make(map[string]int, len(d.byKey)), personas: d.personas, arcs: d.arcs, topics: d.topics,
		errs: map[string]error{}, Calls: map[string]int{},
	}
	for id, s := range d.files {
		cp := *s
		c.files[id] = &cp
	}
	for k, i := range d.byKey {
		c.byKey[k] = i
	}
	for _, t := range d.training {
		cp := *t
		cp.members = append([]uuid.UUID(nil), t.members...)
		c.training = append(c.training, &cp)
	}
	return c
}

// newDemoData loads the embedded demo conversations and reference data.
func newDemoData(userID uuid.UUID) *ConversationData {
	d := &ConversationData{files: map[uuid.UUID]*storedConversation{}, byKey: map[string]int{}, errs: map[string]error{}, Calls: map[string]int{}}
	for name, dst := range map[string]*[]model.FacetValue{"personas": &d.personas, "emotional_arcs": &d.arcs, "training_topics": &d.topics} {
		data, err := fs.ReadFile(assets.Reference, "reference/"+name+".json")
		if err != nil {
			panic(err)
		}
		if err := json.Unmarshal(data, dst); err != nil {
			panic(fmt.Sprintf("reference/%s.json: %v", name, err))
		}
	}
	// In the store's order: personas and topics by key, arcs templates
	// first, then by key.
	byKey := func(a, b model.FacetValue) int { return strings.Compare(a.Key, b.Key) }
	slices.SortFunc(d.personas, byKey)
	slices.SortFunc(d.topics, byKey)
	slices.SortFunc(d.arcs, func(a, b model.FacetValue) int {
		if a.Tier != b.Tier {
			return cmp.Compare(tierRank(a.Tier), tierRank(b.Tier))
		}
		return byKey(a, b)
	})
	entries, err := fs.ReadDir(assets.Demo, "demo/conversations")
	if err != nil {
		panic(err)
	}
	for i, e := range entries {
		data, err := fs.ReadFile(assets.Demo, path.Join("demo/conversations", e.Name()))
		if err != nil {
			panic(err)
		}
		if _, _, rej := d.store(userID, e.Name(), data, Now.Add(-time.Duration(len(entries)-i)*time.Hour)); rej != nil {
			panic(rej.String())
		}
	}
	d.seedTrainingFiles()
	return d
}

// tierRank orders arc tiers as the store lists them.
func tierRank(tier string) int {
	switch tier {
	case model.TierTemplate:
		return 0
	case model.TierEdgeCase:
		return 1
	}
	return 2
}

// store parses one file and inserts or updates its row, returning the
// row's index; inserted is false for an update. A bad file comes back as a
// rejection.
func (d *ConversationData) store(userID uuid.UUID, name string, data []byte, at time.Time) (row int, inserted bool, rej *engine.Rejection) {
	f, err := convfile.ParseConversationFile(name, data)
	if err != nil {
		var fe *model.FileError
		if errors.As(err, &fe) {
			return 0, false, &engine.Rejection{File: fe.File, Path: fe.Path, Reason: fe.Reason}
		}
		return 0, false, &engine.Rejection{File: name, Reason: err.Error()}
	}
	i, exists := d.byKey[f.ConversationID]
	if !exists {
		id := uuid.NewSHA1(userID, []byte(f.ConversationID))
		d.rows = append(d.rows, model.Conversation{ID: id, ImportedAt: at})
		i = len(d.rows) - 1
		d.byKey[f.ConversationID] = i
		d.files[id] = &storedConversation{}
	}
	r := &d.rows[i]
	s := d.files[r.ID]
	if f.Flavour == model.FlavourEnriched {
		s.enriched = data
	} else {
		s.raw = data
	}
	if f.Flavour == model.FlavourEnriched || s.enriched == nil {
		s.file = f
		sum := f.Summary(approxTokens(f), int64(len(data)))
		sum.ID, sum.ImportedAt, sum.UpdatedAt = r.ID, r.ImportedAt, at
		sum.RawStoragePath, sum.EnrichedStoragePath = r.RawStoragePath, r.EnrichedStoragePath
		*r = sum
	}
	key := model.ConversationObjectKey(userID, f.ConversationID, f.Flavour)
	if f.Flavour == model.FlavourEnriched {
		r.EnrichedStoragePath = key
	} else {
		r.RawStoragePath = key
	}
	d.version++
	return i, !exists, nil
}

// approxTokens stands in for the tokenizer: about four bytes a token.
func approxTokens(f model.ConversationFile) int64 {
	n := 0
	for _, t := range f.Turns {
		n += len(t.Content)
	}
	for _, p := range f.TrainingPairs {
		n += len(p.CurrentUserInput) + len(p.TargetResponse)
	}
	return int64(n / 4)
}

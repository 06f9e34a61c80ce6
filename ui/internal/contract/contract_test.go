package contract_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/engine/enginetest"
	"brightrun/model"
	"brightrun/ui/common"
	"brightrun/ui/internal/uitest"
)

func TestMain(m *testing.M) { enginetest.Main(m) }

// backends are the fake and the real engine holding the same data: the
// demo conversations (the fake's fixture; the engine seeds the same
// files), with the fake's row IDs and import times written into the real
// rows, so that even ties (broken by id) must come out in the same order.
type backends struct {
	fake *uitest.Backend
	real *engine.Session
	fix  enginetest.Fixture
	user model.User
}

func newBackends(t *testing.T) backends {
	t.Helper()
	fix := enginetest.NewDemoFixture(t, "alice")
	fake := uitest.NewBackend(t)
	fake.UserValue = fix.User
	fix.SetConversationIdentities(t, fake.Data().Rows())
	var _ common.Backend = fake
	var _ common.Backend = fix.Session
	return backends{fake: fake, real: fix.Session, fix: fix, user: fix.User}
}

// conversationQueries are the queries the contract asks both backends:
// every sort column both ways, the text filter (case, a business key,
// LIKE's wildcards taken literally), each facet, the minimum quality, the
// trainable ones, and pages in the middle and past the end.
func conversationQueries(rows []model.Conversation) map[string]model.ConversationQuery {
	f := func(v float64) *float64 { return &v }
	word := strings.Fields(rows[3].Title)[0]
	qs := map[string]model.ConversationQuery{
		"default":           {},
		"text":              {Text: strings.ToLower(word)},
		"text upper":        {Text: strings.ToUpper(word)},
		"text key":          {Text: rows[5].ConversationID[:len(rows[5].ConversationID)-1]},
		"text percent":      {Text: "%"},
		"text underscore":   {Text: "_"},
		"text none":         {Text: "no such conversation anywhere"},
		"tier":              {Tiers: []string{model.TierEdgeCase}},
		"persona":           {Personas: []string{rows[0].Persona, rows[1].Persona}},
		"arc":               {EmotionalArcs: []string{rows[2].EmotionalArc}},
		"topic":             {Topics: []string{rows[4].TrainingTopic}},
		"status":            {Statuses: []string{model.EnrichmentStatuses[0]}},
		"min quality":       {MinQuality: f(4.5), Sort: model.SortQualityScore, Desc: true},
		"trainable":         {Trainable: true},
		"combined":          {Tiers: []string{model.TierTemplate}, MinQuality: f(3), Sort: model.SortPairCount, Desc: true},
		"page":              {Offset: 5, Limit: 7, Sort: model.SortPersona},
		"page desc":         {Offset: 5, Limit: 7, Sort: model.SortPersona, Desc: true},
		"page past the end": {Offset: 10_000, Limit: 7},
	}
	for _, col := range model.SortColumns {
		qs["sort "+col] = model.ConversationQuery{Sort: col}
		qs["sort "+col+" desc"] = model.ConversationQuery{Sort: col, Desc: true}
	}
	return qs
}

func keys(cs []model.Conversation) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ConversationID
	}
	return out
}

func TestContractConversations(t *testing.T) {
	b := newBackends(t)
	ctx := context.Background()
	rows := b.fake.Data().Rows()
	qs := conversationQueries(rows)
	names := make([]string, 0, len(qs))
	for n := range qs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		q := qs[name]
		t.Run(name, func(t *testing.T) {
			want, err := b.real.ListConversations(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got, err := b.fake.ListConversations(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != want.Total || got.Offset != want.Offset || got.Limit != want.Limit {
				t.Errorf("fake total/offset/limit %d/%d/%d, engine %d/%d/%d",
					got.Total, got.Offset, got.Limit, want.Total, want.Offset, want.Limit)
			}
			if g, w := keys(got.Conversations), keys(want.Conversations); !slices.Equal(g, w) {
				t.Errorf("fake rows differ from the engine's:\nfake   %v\nengine %v", g, w)
			}
			wantIDs, err := b.real.ConversationIDs(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			gotIDs, err := b.fake.ConversationIDs(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(gotIDs, wantIDs) {
				t.Errorf("fake ConversationIDs differ from the engine's (%d vs %d)", len(gotIDs), len(wantIDs))
			}
		})
	}
	t.Run("facets", func(t *testing.T) {
		want, err := b.real.Facets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.fake.Facets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			name      string
			got, want []model.FacetValue
		}{
			{"tiers", got.Tiers, want.Tiers}, {"personas", got.Personas, want.Personas},
			{"arcs", got.EmotionalArcs, want.EmotionalArcs}, {"topics", got.TrainingTopics, want.TrainingTopics},
			{"statuses", got.EnrichmentStatuses, want.EnrichmentStatuses},
		} {
			if !slices.Equal(f.got, f.want) {
				t.Errorf("facet %s:\nfake   %+v\nengine %+v", f.name, f.got, f.want)
			}
		}
	})
}

// TestContractNotifications writes the fake's inbox into the engine,
// oldest first, and reads both back: newest first, limited, read flags,
// and what marking every one read reports.
func TestContractNotifications(t *testing.T) {
	b := newBackends(t)
	ctx := context.Background()
	items := slices.Clone(b.fake.Items)
	for i := len(items) - 1; i >= 0; i-- {
		n, err := b.real.Notify(ctx, items[i])
		if err != nil {
			t.Fatal(err)
		}
		if items[i].Read {
			if err := b.real.MarkNotificationRead(ctx, n.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	brief := func(ns []model.Notification) []string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = fmt.Sprintf("%s|%s|%s|%s|%v|%+v", n.Type, n.Priority, n.Title, n.Message, n.Read, n.Action)
		}
		return out
	}
	for _, limit := range []int{3, 5, 50} {
		want, err := b.real.Notifications(ctx, limit)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.fake.Notifications(ctx, limit)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := brief(got), brief(want); !slices.Equal(g, w) {
			t.Errorf("limit %d:\nfake   %q\nengine %q", limit, g, w)
		}
	}
	want, err := b.real.MarkAllNotificationsRead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.fake.MarkAllNotificationsRead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("mark all read: fake %d, engine %d", got, want)
	}
}

// TestContractTrainingFiles makes the fake's two training files in the
// engine from the same conversations, oldest first, and then asks both the
// same: the list, each file's conversations, and what creating, adding
// and removing answer, refusals included.
func TestContractTrainingFiles(t *testing.T) {
	b := newBackends(t)
	ctx := context.Background()
	d := b.fake.Data()
	names := d.TrainingFileNames()
	fakeFiles, err := b.fake.TrainingFiles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(fakeFiles) - 1; i >= 0; i-- {
		f := fakeFiles[i]
		if _, err := b.real.CreateTrainingFile(ctx, f.Name, f.Description, d.TrainingFileMembers(f.Name)); err != nil {
			t.Fatalf("create %q in the engine: %v", f.Name, err)
		}
	}
	brief := func(tf model.TrainingFile) string {
		return fmt.Sprintf("%s|%s|%s|%d conversations|%d pairs", tf.Name, tf.Description, tf.Format, tf.ConversationCount, tf.TotalTrainingPairs)
	}
	list := func(be common.Backend) ([]string, map[string]model.TrainingFile) {
		t.Helper()
		files, err := be.TrainingFiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out, byName := []string{}, map[string]model.TrainingFile{}
		for _, f := range files {
			out = append(out, brief(f))
			byName[f.Name] = f
		}
		return out, byName
	}
	compare := func(step string) (fake, real map[string]model.TrainingFile) {
		t.Helper()
		g, fake := list(b.fake)
		w, real := list(b.real)
		if !slices.Equal(g, w) {
			t.Errorf("%s: training files:\nfake   %q\nengine %q", step, g, w)
		}
		for name := range real {
			gd, err := b.fake.TrainingFile(ctx, fake[name].ID)
			if err != nil {
				t.Fatal(err)
			}
			wd, err := b.real.TrainingFile(ctx, real[name].ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(keys(gd.Conversations), keys(wd.Conversations)) {
				t.Errorf("%s: %q holds\nfake   %v\nengine %v", step, name, keys(gd.Conversations), keys(wd.Conversations))
			}
		}
		return fake, real
	}
	fake, real := compare("seeded")
	if len(real) != len(names) {
		t.Fatalf("engine has %d training files, want %d", len(real), len(names))
	}

	rows := d.Rows()
	var trainable, raw []model.Conversation
	for _, r := range rows {
		if r.Trainable() == nil {
			trainable = append(trainable, r)
		} else {
			raw = append(raw, r)
		}
	}
	refusals := []struct {
		name string
		ids  []model.Conversation
	}{
		{names[0], trainable[:1]}, // a name in use
		{"with a raw one", append(trainable[:1:1], raw[0])},
		{"", trainable[:1]},
		{"nothing in it", nil},
	}
	for _, r := range refusals {
		ids := make([]uuid.UUID, len(r.ids))
		for i, c := range r.ids {
			ids[i] = c.ID
		}
		_, gErr := b.fake.CreateTrainingFile(ctx, r.name, "", ids)
		_, wErr := b.real.CreateTrainingFile(ctx, r.name, "", ids)
		if (gErr == nil) != (wErr == nil) {
			t.Errorf("create %q: fake says %v, engine says %v", r.name, gErr, wErr)
		}
	}

	name := names[0]
	some := []uuid.UUID{trainable[0].ID, trainable[1].ID, trainable[0].ID, trainable[len(trainable)-1].ID}
	if _, err := b.fake.AddToTrainingFile(ctx, fake[name].ID, some); err != nil {
		t.Fatal(err)
	}
	if _, err := b.real.AddToTrainingFile(ctx, real[name].ID, some); err != nil {
		t.Fatal(err)
	}
	compare("added")
	if _, err := b.fake.RemoveFromTrainingFile(ctx, fake[name].ID, some[:2]); err != nil {
		t.Fatal(err)
	}
	if _, err := b.real.RemoveFromTrainingFile(ctx, real[name].ID, some[:2]); err != nil {
		t.Fatal(err)
	}
	compare("removed")
}

// TestContractJobs gives the fake the engine's own jobs, one of each
// status, a minute apart, and asks both for every status filter, page and
// page size, and for what each refuses.
func TestContractJobs(t *testing.T) {
	b := newBackends(t)
	ctx := context.Background()
	ds := b.fix.ReadyDataset(t, "ready", 500)
	statuses := model.JobStatuses()
	for i := range 2 * len(statuses) {
		j, err := b.real.CreateJob(ctx, engine.JobRequest{DatasetID: ds.ID, Preset: "fast", GPU: model.GPUConfig{Type: "H100", Count: 1}})
		if err != nil {
			t.Fatal(err)
		}
		b.fix.SetJobStatus(t, j.ID, statuses[i%len(statuses)], time.Duration(i)*time.Minute)
	}
	all, err := b.real.Jobs(ctx, "", 1, engine.MaxJobPageSize)
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != 2*len(statuses) || len(all.Jobs) != all.Total {
		t.Fatalf("the engine lists %d of %d jobs, want %d", len(all.Jobs), all.Total, 2*len(statuses))
	}
	f := b.fake.JobFixture()
	f.Lock()
	f.Items = all.Jobs
	f.Unlock()

	ids := func(p engine.JobPage) string {
		s := fmt.Sprintf("page %d total %d:", p.Page, p.Total)
		for _, j := range p.Jobs {
			s += " " + j.ID.String()[:8] + "/" + string(j.Status)
		}
		return s
	}
	filters := []string{"", "QUEUED", "running", string(statuses[len(statuses)-1]), "no-such-status"}
	for _, status := range filters {
		for _, limit := range []int{0, 1, 3, engine.MaxJobPageSize, engine.MaxJobPageSize + 1} {
			for _, page := range []int{0, 1, 2, 7} {
				g, gErr := b.fake.Jobs(ctx, status, page, limit)
				w, wErr := b.real.Jobs(ctx, status, page, limit)
				if (gErr == nil) != (wErr == nil) {
					t.Errorf("status %q page %d limit %d: fake says %v, engine %v", status, page, limit, gErr, wErr)
					continue
				}
				if gErr == nil && ids(g) != ids(w) {
					t.Errorf("status %q page %d limit %d:\nfake   %s\nengine %s", status, page, limit, ids(g), ids(w))
				}
			}
		}
	}
}

package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"brightrun/model"
	"brightrun/model/convfile"
	"brightrun/store"
	"brightrun/store/storetest"
)

// recordingBuilder remembers the members of the last build and reports
// their count as the stats.
type recordingBuilder struct {
	members []string
	fail    error
}

func (r *recordingBuilder) build(_ context.Context, tf model.TrainingFile, members store.TrainingMembers) (model.TrainingFileBuild, error) {
	if r.fail != nil {
		return model.TrainingFileBuild{}, r.fail
	}
	r.members = nil
	pairs, n := 0, 0
	err := members(func(m store.TrainingMember) error {
		r.members = append(r.members, m.Conversation.ConversationID)
		pairs += m.Conversation.PairCount
		n++
		if m.Fragment != nil {
			return errors.New("rows written by SQL have no fragment")
		}
		return nil
	})
	if err != nil {
		return model.TrainingFileBuild{}, err
	}
	j, l := model.TrainingFileObjectKeys(tf.ID)
	return model.TrainingFileBuild{
		Stats:           model.TrainingFileStats{ConversationCount: n, TotalTrainingPairs: pairs, Tiers: map[string]int{"template": n}},
		JSONStoragePath: j, JSONLStoragePath: l, JSONFileSize: 1, JSONLFileSize: 2,
	}, nil
}

func TestTrainingFileMembershipKeepsOrderAndRebuilds(t *testing.T) {
	db, u := storetest.NewDBWithUser(t, "ada")
	ctx := context.Background()
	storetest.SeedConversations(t, db, u.ID, 12)
	convs, err := db.ConversationsByKey(ctx, u.ID, []string{"conv-000003", "conv-000001", "conv-000002", "conv-000004", "conv-000005"})
	if err != nil {
		t.Fatal(err)
	}
	id := func(i int) uuid.UUID { return convs[i].ID }
	rb := &recordingBuilder{}

	tf, err := db.CreateTrainingFile(ctx, u.ID, "first", "desc", []uuid.UUID{id(0), id(1), id(0)}, rb.build)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rb.members, ",") != "conv-000003,conv-000001" || tf.ConversationCount != 2 || tf.BuiltAt == nil ||
		tf.Stats.Tiers["template"] != 2 || tf.JSONLStoragePath != tf.ID.String()+"/training.jsonl" || tf.Format != convfile.LoRAv4Format {
		t.Fatalf("created %+v from %v", tf, rb.members)
	}
	if tf, err = db.AddToTrainingFile(ctx, u.ID, tf.ID, []uuid.UUID{id(2), id(1), id(3)}, rb.build); err != nil {
		t.Fatal(err)
	}
	if strings.Join(rb.members, ",") != "conv-000003,conv-000001,conv-000002,conv-000004" || tf.ConversationCount != 4 {
		t.Fatalf("after add: %v", rb.members)
	}
	if tf, err = db.RemoveFromTrainingFile(ctx, u.ID, tf.ID, []uuid.UUID{id(1)}, rb.build); err != nil {
		t.Fatal(err)
	}
	if strings.Join(rb.members, ",") != "conv-000003,conv-000002,conv-000004" || tf.ConversationCount != 3 {
		t.Fatalf("after remove: %v", rb.members)
	}

	// A raw conversation is refused by name; a failed build changes nothing.
	if _, err := db.AddToTrainingFile(ctx, u.ID, tf.ID, []uuid.UUID{id(4)}, rb.build); err == nil ||
		!strings.Contains(err.Error(), "conv-000005 is raw") {
		t.Fatalf("adding a raw conversation: %v", err)
	}
	rb.fail = errors.New("storage is down")
	if _, err := db.AddToTrainingFile(ctx, u.ID, tf.ID, []uuid.UUID{id(1)}, rb.build); err == nil {
		t.Fatal("failed build reported success")
	}
	rb.fail = nil
	members, err := db.TrainingFileConversations(ctx, u.ID, tf.ID)
	if err != nil || len(members) != 3 {
		t.Fatalf("members after failed build: %d %v", len(members), err)
	}

	// Names are unique among live files, and free again after a delete.
	if _, err := db.CreateTrainingFile(ctx, u.ID, "first", "", []uuid.UUID{id(0)}, rb.build); !errors.Is(err, store.ErrTrainingFileExists) {
		t.Fatalf("duplicate name: %v", err)
	}
	// Another user sees nothing of it and cannot change it.
	bob, _ := db.AddUser(ctx, "bob")
	if _, err := db.TrainingFile(ctx, bob.ID, tf.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("bob reading ada's file: %v", err)
	}
	if _, err := db.AddToTrainingFile(ctx, bob.ID, tf.ID, nil, rb.build); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("bob changing ada's file: %v", err)
	}
	if err := db.DeleteTrainingFile(ctx, u.ID, tf.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := db.TrainingFiles(ctx, u.ID); len(list) != 0 {
		t.Fatalf("deleted file still listed: %+v", list)
	}
	again, err := db.CreateTrainingFile(ctx, u.ID, "first", "", []uuid.UUID{id(0)}, rb.build)
	if err != nil || again.ID == tf.ID {
		t.Fatalf("reusing a deleted file's name: %v", err)
	}
	if _, err := db.CreateTrainingFile(ctx, u.ID, " ", "", nil, rb.build); err == nil {
		t.Fatal("blank name accepted")
	}
}

func TestObjectHelpers(t *testing.T) {
	o := storetest.NewObjects(t)
	ctx := context.Background()
	if err := o.PutObject(ctx, store.BucketTrainingFiles, "a/b.json", bytes.NewReader([]byte("hello")), 5, "application/json"); err != nil {
		t.Fatal(err)
	}
	size, ok, err := o.HeadObject(ctx, store.BucketTrainingFiles, "a/b.json")
	if err != nil || !ok || size != 5 {
		t.Fatalf("head: %d %v %v", size, ok, err)
	}
	if err := o.CopyObject(ctx, store.BucketTrainingFiles, "a/b.json", "a/c.json"); err != nil {
		t.Fatal(err)
	}
	data, err := o.ReadObject(ctx, store.BucketTrainingFiles, "a/c.json")
	if err != nil || string(data) != "hello" {
		t.Fatalf("read copy: %q %v", data, err)
	}
	if err := o.DeleteObject(ctx, store.BucketTrainingFiles, "a/b.json"); err != nil {
		t.Fatal(err)
	}
	if err := o.DeleteObject(ctx, store.BucketTrainingFiles, "a/b.json"); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	if _, ok, err := o.HeadObject(ctx, store.BucketTrainingFiles, "a/b.json"); ok || err != nil {
		t.Fatalf("head of deleted: %v %v", ok, err)
	}
	if _, _, err := o.GetObject(ctx, store.BucketTrainingFiles, "a/b.json"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("get of deleted: %v", err)
	}
	if err := o.CopyObject(ctx, store.BucketTrainingFiles, "nope", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("copy of missing: %v", err)
	}
}

func TestClaimSettingOnce(t *testing.T) {
	db := storetest.NewDB(t)
	ctx := context.Background()
	first, err := db.ClaimSetting(ctx, "demo", "ada")
	if err != nil || !first {
		t.Fatalf("first claim: %v %v", first, err)
	}
	if again, err := db.ClaimSetting(ctx, "demo", "bob"); err != nil || again {
		t.Fatalf("second claim: %v %v", again, err)
	}
	if err := db.SetSetting(ctx, "demo", "done"); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := db.Setting(ctx, "demo"); v != "done" || !ok || err != nil {
		t.Fatalf("setting: %q %v %v", v, ok, err)
	}
	if err := db.DeleteSetting(ctx, "demo"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.Setting(ctx, "demo"); ok {
		t.Fatal("deleted setting still set")
	}
}

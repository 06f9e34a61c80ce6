package uitest

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/model/convfile"
)

// fixtureTrainingFile is a training file with its members and artifacts.
type fixtureTrainingFile struct {
	row       model.TrainingFile
	members   []uuid.UUID
	doc, line []byte
}

// TrainingFileNames lists the fixture's training files, newest first.
func (d *ConversationData) TrainingFileNames() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	names := make([]string, len(d.training))
	for i, t := range d.training {
		names[i] = t.row.Name
	}
	return names
}

// TrainingFileMembers returns the conversation IDs of the named training
// file, in order.
func (d *ConversationData) TrainingFileMembers(name string) []uuid.UUID {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, t := range d.training {
		if t.row.Name == name {
			return slices.Clone(t.members)
		}
	}
	return nil
}

// seedTrainingFiles adds two built training files: a dozen templates, and
// every edge case.
func (d *ConversationData) seedTrainingFiles() {
	var templates, edges []uuid.UUID
	for _, r := range d.rows {
		switch {
		case r.Trainable() != nil:
		case r.Tier == model.TierTemplate && len(templates) < 12:
			templates = append(templates, r.ID)
		case r.Tier == model.TierEdgeCase:
			edges = append(edges, r.ID)
		}
	}
	for _, s := range []struct {
		name, desc string
		ids        []uuid.UUID
		ago        time.Duration
	}{
		{"Empathy templates v1", "A dozen template conversations across every persona, for a first LoRA run.", templates, 72 * time.Hour},
		{"Crisis and edge cases", "Referrals, scams and grief: the conversations where the assistant must hold a boundary.", edges, 2 * time.Hour},
	} {
		tf := &fixtureTrainingFile{row: model.TrainingFile{
			ID: uuid.NewSHA1(uuid.NameSpaceOID, []byte(s.name)), Name: s.name, Description: s.desc,
			Format: convfile.LoRAv4Format, CreatedAt: Now.Add(-s.ago),
		}, members: s.ids}
		if err := d.build(tf, Now.Add(-s.ago)); err != nil {
			panic(err)
		}
		d.training = append([]*fixtureTrainingFile{tf}, d.training...)
	}
}

// build writes the artifacts and stats of tf from its members' files.
func (d *ConversationData) build(tf *fixtureTrainingFile, at time.Time) error {
	convs := make([]convfile.BuildConversation, 0, len(tf.members))
	for _, id := range tf.members {
		i, ok := d.indexByID(id)
		if !ok {
			return fmt.Errorf("conversation %s not found", id)
		}
		if err := d.rows[i].Trainable(); err != nil {
			return err
		}
		convs = append(convs, convfile.BuildConversation{File: d.files[id].file, Tokens: d.rows[i].TokenCount})
	}
	doc, lines, stats, err := convfile.BuildLoRAv4(tf.row.Meta(), convs)
	if err != nil {
		return err
	}
	jsonKey, jsonlKey := model.TrainingFileObjectKeys(tf.row.ID)
	r := &tf.row
	r.Stats, r.ConversationCount, r.TotalTrainingPairs, r.TotalTokens = stats, stats.ConversationCount, stats.TotalTrainingPairs, stats.TotalTokens
	r.StorageBucket, r.JSONStoragePath, r.JSONLStoragePath = "training-files", jsonKey, jsonlKey
	r.JSONFileSize, r.JSONLFileSize = int64(len(doc)), int64(len(lines))
	r.BuiltAt, r.UpdatedAt = &at, at
	tf.doc, tf.line = doc, lines
	return nil
}

func (d *ConversationData) trainingFile(id uuid.UUID) (*fixtureTrainingFile, error) {
	for _, t := range d.training {
		if t.row.ID == id {
			return t, nil
		}
	}
	return nil, fmt.Errorf("training file %s not found", id)
}

// change runs fn on a copy of the training file's members and rebuilds; a
// failed build leaves the file as it was.
func (b *Backend) change(method string, id uuid.UUID, fn func([]uuid.UUID) []uuid.UUID) (model.TrainingFile, error) {
	d := b.Data()
	defer d.track()()
	if err := d.begin(method); err != nil {
		return model.TrainingFile{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	tf, err := d.trainingFile(id)
	if err != nil {
		return model.TrainingFile{}, err
	}
	next := *tf
	next.members = fn(slices.Clone(tf.members))
	if err := d.build(&next, Now); err != nil {
		return model.TrainingFile{}, err
	}
	*tf = next
	return tf.row, nil
}

// CreateTrainingFile implements common.ConversationsBackend.
func (b *Backend) CreateTrainingFile(_ context.Context, name, description string, ids []uuid.UUID) (model.TrainingFile, error) {
	d := b.Data()
	defer d.track()()
	if err := d.begin("CreateTrainingFile"); err != nil {
		return model.TrainingFile{}, err
	}
	if err := model.ValidateTrainingFileName(name); err != nil {
		return model.TrainingFile{}, err
	}
	if len(ids) == 0 {
		return model.TrainingFile{}, fmt.Errorf("create training file: select at least one conversation")
	}
	if err := model.CheckLength("training file description", description, model.MaxDescriptionLen); err != nil {
		return model.TrainingFile{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	// As the store's unique index on live names refuses a second one.
	for _, t := range d.training {
		if t.row.Name == name {
			return model.TrainingFile{}, fmt.Errorf("create training file: %q: a training file of that name exists", name)
		}
	}
	tf := &fixtureTrainingFile{row: model.TrainingFile{
		ID: uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "%s %d", name, len(d.training))), Name: name, Description: description,
		Format: convfile.LoRAv4Format, CreatedAt: Now,
	}, members: dedupe(ids)}
	if err := d.build(tf, Now); err != nil {
		return model.TrainingFile{}, err
	}
	d.training = append([]*fixtureTrainingFile{tf}, d.training...)
	return tf.row, nil
}

func dedupe(ids []uuid.UUID) []uuid.UUID {
	seen := map[uuid.UUID]bool{}
	var out []uuid.UUID
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// AddToTrainingFile implements common.ConversationsBackend.
func (b *Backend) AddToTrainingFile(_ context.Context, id uuid.UUID, ids []uuid.UUID) (model.TrainingFile, error) {
	return b.change("AddToTrainingFile", id, func(m []uuid.UUID) []uuid.UUID { return dedupe(append(m, ids...)) })
}

// RemoveFromTrainingFile implements common.ConversationsBackend.
func (b *Backend) RemoveFromTrainingFile(_ context.Context, id uuid.UUID, ids []uuid.UUID) (model.TrainingFile, error) {
	return b.change("RemoveFromTrainingFile", id, func(m []uuid.UUID) []uuid.UUID {
		return slices.DeleteFunc(m, func(x uuid.UUID) bool { return slices.Contains(ids, x) })
	})
}

// BuildTrainingFile implements common.ConversationsBackend.
func (b *Backend) BuildTrainingFile(_ context.Context, id uuid.UUID) (model.TrainingFile, error) {
	return b.change("BuildTrainingFile", id, func(m []uuid.UUID) []uuid.UUID { return m })
}

// TrainingFiles implements common.ConversationsBackend.
func (b *Backend) TrainingFiles(context.Context) ([]model.TrainingFile, error) {
	d := b.Data()
	defer d.track()()
	if err := d.begin("TrainingFiles"); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]model.TrainingFile, len(d.training))
	for i, t := range d.training {
		out[i] = t.row
	}
	return out, nil
}

// TrainingFile implements common.ConversationsBackend.
func (b *Backend) TrainingFile(_ context.Context, id uuid.UUID) (engine.TrainingFileDetail, error) {
	d := b.Data()
	defer d.track()()
	if err := d.begin("TrainingFile"); err != nil {
		return engine.TrainingFileDetail{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	tf, err := d.trainingFile(id)
	if err != nil {
		return engine.TrainingFileDetail{}, err
	}
	det := engine.TrainingFileDetail{TrainingFile: tf.row, Conversations: []model.Conversation{}}
	for _, m := range tf.members {
		if i, ok := d.indexByID(m); ok {
			det.Conversations = append(det.Conversations, d.rows[i])
		}
	}
	return det, nil
}

// DeleteTrainingFile implements common.ConversationsBackend.
func (b *Backend) DeleteTrainingFile(_ context.Context, id uuid.UUID) error {
	d := b.Data()
	defer d.track()()
	if err := d.begin("DeleteTrainingFile"); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.trainingFile(id); err != nil {
		return err
	}
	d.training = slices.DeleteFunc(d.training, func(t *fixtureTrainingFile) bool { return t.row.ID == id })
	return nil
}

// ExportTrainingFile implements common.ConversationsBackend.
func (b *Backend) ExportTrainingFile(_ context.Context, id uuid.UUID, format, outPath string) (int64, error) {
	d := b.Data()
	defer d.track()()
	if err := d.begin("ExportTrainingFile"); err != nil {
		return 0, err
	}
	d.mu.Lock()
	tf, err := d.trainingFile(id)
	var data []byte
	if err == nil {
		data, err = model.ByArtifactFormat(format, tf.doc, tf.line)
	}
	d.mu.Unlock()
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(outPath, data, 0o644); err != nil {
		return 0, err
	}
	return int64(len(data)), nil
}

// DatasetFromTrainingFile implements common.ConversationsBackend: the new
// dataset starts validating, as the engine's does.
func (b *Backend) DatasetFromTrainingFile(_ context.Context, id uuid.UUID, name string) (model.Dataset, error) {
	d := b.Data()
	defer d.track()()
	if err := d.begin("DatasetFromTrainingFile"); err != nil {
		return model.Dataset{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	tf, err := d.trainingFile(id)
	if err != nil {
		return model.Dataset{}, err
	}
	if tf.row.BuiltAt == nil {
		return model.Dataset{}, fmt.Errorf("training file %q has not been built yet", tf.row.Name)
	}
	if name == "" {
		name = tf.row.Name
	}
	tfID := tf.row.ID
	ds := model.Dataset{
		ID: uuid.NewSHA1(tfID, fmt.Appendf(nil, "dataset %d", len(d.Datasets))), UserID: b.UserValue.ID, Name: name,
		Description: fmt.Sprintf("From training file %q (%d conversations, %d pairs)", tf.row.Name, tf.row.ConversationCount, tf.row.TotalTrainingPairs),
		Format:      convfile.LoRAv4Format, Status: model.DatasetValidating, StorageBucket: "lora-datasets",
		FileName: "training.jsonl", FileSize: tf.row.JSONLFileSize, TrainingFileID: &tfID, CreatedAt: Now, UpdatedAt: Now,
	}
	d.Datasets = append(d.Datasets, ds)
	return ds, nil
}

package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/google/uuid"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/termtext"
)

// members runs `trainingfile add` or `remove`, which share their flags.
func members(sub string) runFunc {
	return func(ctx context.Context, env Env, args []string) error {
		return runTrainingFileMembers(ctx, env, sub, args)
	}
}

// oneTrainingFile runs a trainingfile subcommand on one training file
// (build, show, delete).
func oneTrainingFile(sub string) runFunc {
	return func(ctx context.Context, env Env, args []string) error {
		return runTrainingFileOne(ctx, env, sub, args)
	}
}

func runTrainingFileCreate(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "trainingfile create", &c, true)
	name := fs.String("name", "", "name of the training file")
	description := fs.String("description", "", "what it is for")
	convs := fs.String("conversations", "", "conversation_ids, comma-separated, in the order they go in")
	all := fs.Bool("all", false, "every enriched conversation with training pairs")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if err := model.ValidateTrainingFileName(*name); err != nil {
		return usagef("trainingfile create: --name: %v", err)
	}
	keys := splitList(*convs)
	if (len(keys) == 0) == !*all {
		return usagef("trainingfile create: give either --conversations ID,ID… or --all")
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		ctx, stop := interruptible(ctx)
		defer stop()
		var ids []uuid.UUID
		var err error
		if *all {
			ids, err = s.ConversationIDs(ctx, model.ConversationQuery{Trainable: true, Sort: model.SortConversationID})
		} else {
			ids, err = conversationIDs(ctx, s, keys)
		}
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return usagef("trainingfile create: there are no enriched conversations with training pairs; import some first")
		}
		tf, err := s.CreateTrainingFile(ctx, *name, *description, ids)
		if err != nil {
			return err
		}
		return printTrainingFile(env.Stdout, c.json, tf)
	})
}

func runTrainingFileMembers(ctx context.Context, env Env, sub string, args []string) error {
	var c common
	fs := newFlagSet(env, "trainingfile "+sub, &c, true)
	convs := fs.String("conversations", "", "conversation_ids, comma-separated")
	id, err := trainingFileID(fs, args)
	if err != nil {
		return err
	}
	keys := splitList(*convs)
	if len(keys) == 0 {
		return usagef("trainingfile %s: give --conversations ID,ID…", sub)
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		ctx, stop := interruptible(ctx)
		defer stop()
		ids, err := conversationIDs(ctx, s, keys)
		if err != nil {
			return err
		}
		var tf model.TrainingFile
		if sub == "add" {
			tf, err = s.AddToTrainingFile(ctx, id, ids)
		} else {
			tf, err = s.RemoveFromTrainingFile(ctx, id, ids)
		}
		if err != nil {
			return err
		}
		return printTrainingFile(env.Stdout, c.json, tf)
	})
}

// trainingFileShown is `trainingfile show --json`: the row and the
// conversation_ids it holds, in order.
type trainingFileShown struct {
	model.TrainingFile
	ConversationIDs []string `json:"conversation_ids"`
}

func runTrainingFileOne(ctx context.Context, env Env, sub string, args []string) error {
	var c common
	fs := newFlagSet(env, "trainingfile "+sub, &c, sub != "delete")
	id, err := trainingFileID(fs, args)
	if err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		switch sub {
		case "delete":
			if err := s.DeleteTrainingFile(ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "deleted training file %s\n", id)
			return nil
		case "build":
			tf, err := s.BuildTrainingFile(ctx, id)
			if err != nil {
				return err
			}
			return printTrainingFile(env.Stdout, c.json, tf)
		}
		d, err := s.TrainingFile(ctx, id)
		if err != nil {
			return err
		}
		shown := trainingFileShown{TrainingFile: d.TrainingFile, ConversationIDs: make([]string, len(d.Conversations))}
		for i, conv := range d.Conversations {
			shown.ConversationIDs[i] = conv.ConversationID
		}
		if c.json {
			return printJSON(env.Stdout, shown)
		}
		if err := printTrainingFile(env.Stdout, false, d.TrainingFile); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "conversations  %s\n", termtext.Line(strings.Join(shown.ConversationIDs, ", ")))
		return nil
	})
}

// trainingFileList is the --json shape of `trainingfile list` (docs/cli.md).
type trainingFileList struct {
	TrainingFiles []model.TrainingFile `json:"training_files"`
	Page          int                  `json:"page"`
	Total         int                  `json:"total"`
}

func runTrainingFileList(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "trainingfile list", &c, true)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		list, err := s.TrainingFiles(ctx)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, trainingFileList{TrainingFiles: list, Page: 1, Total: len(list)})
		}
		tw := newTable(env.Stdout)
		fmt.Fprintln(tw, "ID\tNAME\tCONVERSATIONS\tPAIRS\tTOKENS\tBUILT")
		for _, tf := range list {
			built := "never"
			if tf.BuiltAt != nil {
				built = tf.BuiltAt.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", tf.ID, clip(tf.Name, 40), tf.ConversationCount, tf.TotalTrainingPairs, tf.TotalTokens, built)
		}
		return tw.Flush()
	})
}

func runTrainingFileExport(ctx context.Context, env Env, args []string) error {
	var c common
	fs := newFlagSet(env, "trainingfile export", &c, false)
	format := fs.String("format", model.ArtifactJSONL, "which artifact: jsonl or json")
	out := fs.String("out", "", "local file to write (- for stdout)")
	id, err := trainingFileID(fs, args)
	if err != nil {
		return err
	}
	if *format != model.ArtifactJSON && *format != model.ArtifactJSONL {
		return usagef("trainingfile export: --format %q: want jsonl or json", *format)
	}
	if *out == "" {
		return usagef("trainingfile export: give --out FILE")
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		return writeOut(env, *out,
			func(path string) (int64, error) { return s.ExportTrainingFile(ctx, id, *format, path) },
			func(w io.Writer) (int64, error) { return s.ExportTrainingFileTo(ctx, id, *format, w) })
	})
}

// trainingFileID parses the flags and the one positional argument, a
// training file's id.
func trainingFileID(fs *flagSet, args []string) (uuid.UUID, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return uuid.Nil, err
	}
	if len(pos) != 1 {
		return uuid.Nil, usagef("%s: give one training file id", fs.Name())
	}
	id, err := uuid.Parse(pos[0])
	if err != nil {
		return uuid.Nil, usagef("%s: %q is not a training file id (a UUID, as `trainingfile list` shows)", fs.Name(), pos[0])
	}
	return id, nil
}

// conversationIDs resolves conversation_ids (the business keys operators
// see) to row IDs, keeping their order.
func conversationIDs(ctx context.Context, s *engine.Session, keys []string) ([]uuid.UUID, error) {
	convs, err := s.ConversationsByKey(ctx, keys)
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, len(convs))
	for i, c := range convs {
		ids[i] = c.ID
	}
	return ids, nil
}

func printTrainingFile(w io.Writer, asJSON bool, tf model.TrainingFile) error {
	if asJSON {
		return printJSON(w, tf)
	}
	fmt.Fprintf(w, "id             %s\n", tf.ID)
	fmt.Fprintf(w, "name           %s\n", termtext.Line(tf.Name))
	if tf.Description != "" {
		fmt.Fprintf(w, "description    %s\n", termtext.Line(tf.Description))
	}
	fmt.Fprintf(w, "conversations  %d\npairs          %d\ntokens         %d\n", tf.ConversationCount, tf.TotalTrainingPairs, tf.TotalTokens)
	for _, d := range []struct {
		label string
		m     map[string]int
	}{{"personas", tf.Stats.Personas}, {"arcs", tf.Stats.EmotionalArcs}, {"tiers", tf.Stats.Tiers}} {
		fmt.Fprintf(w, "%-14s %s\n", d.label, termtext.Line(distribution(d.m)))
	}
	fmt.Fprintf(w, "artifacts      %s/%s (%d bytes), %s (%d bytes)\n", tf.StorageBucket, tf.JSONLStoragePath, tf.JSONLFileSize,
		tf.JSONStoragePath, tf.JSONFileSize)
	return nil
}

// distribution renders {"a":3,"b":1} as "a 3, b 1", largest first.
func distribution(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

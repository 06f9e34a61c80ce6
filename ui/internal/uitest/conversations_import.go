package uitest

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"brightrun/engine"
	"brightrun/model"
)

// Import implements common.ConversationsBackend over real files on disk:
// directories are walked for *.json, globs expanded, every file parsed by
// the model's rules and stored in memory, with a progress report before
// the first file and after each, like the engine's.
func (b *Backend) Import(ctx context.Context, paths []string, progress func(engine.ImportProgress)) (engine.ImportResult, error) {
	d := b.Data()
	res := engine.ImportResult{Rejected: []engine.Rejection{}, NewPersonas: []string{}, NewEmotionalArcs: []string{}, NewTopics: []string{}}
	defer d.track()()
	if err := d.begin("Import"); err != nil {
		return res, err
	}
	if progress == nil {
		progress = func(engine.ImportProgress) {}
	}
	files, rejected := expandImportPaths(paths)
	res.Rejected = append(res.Rejected, rejected...)
	progress(engine.ImportProgress{Total: len(files)})
	known := d.knownKeys()
	d.mu.Lock()
	perFile := d.ImportFileDelay
	d.mu.Unlock()
	for n, name := range files {
		if perFile > 0 {
			time.Sleep(perFile)
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
		data, err := os.ReadFile(name)
		if err != nil {
			res.Rejected = append(res.Rejected, engine.Rejection{File: name, Reason: err.Error()})
			progress(engine.ImportProgress{Done: n + 1, Total: len(files), File: name})
			continue
		}
		d.mu.Lock()
		i, inserted, rej := d.store(b.UserValue.ID, name, data, Now)
		var row model.Conversation
		if rej == nil {
			row = d.rows[i]
		}
		d.mu.Unlock()
		switch {
		case rej != nil:
			res.Rejected = append(res.Rejected, *rej)
		case inserted:
			res.Imported++
		default:
			res.Updated++
		}
		if rej == nil {
			for _, k := range []struct {
				key  string
				set  map[string]bool
				list *[]string
			}{{row.Persona, known[0], &res.NewPersonas}, {row.EmotionalArc, known[1], &res.NewEmotionalArcs}, {row.TrainingTopic, known[2], &res.NewTopics}} {
				if !k.set[k.key] {
					k.set[k.key] = true
					*k.list = append(*k.list, k.key)
				}
			}
		}
		progress(engine.ImportProgress{Done: n + 1, Total: len(files), File: name})
	}
	return res, nil
}

// knownKeys are the persona, arc and topic keys before an import, so the
// result can list the new ones.
func (d *ConversationData) knownKeys() [3]map[string]bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	var sets [3]map[string]bool
	for i := range sets {
		sets[i] = map[string]bool{}
	}
	for _, p := range d.personas {
		sets[0][p.Key] = true
	}
	for _, a := range d.arcs {
		sets[1][a.Key] = true
	}
	for _, t := range d.topics {
		sets[2][t.Key] = true
	}
	for _, r := range d.rows {
		sets[0][r.Persona], sets[1][r.EmotionalArc], sets[2][r.TrainingTopic] = true, true, true
	}
	return sets
}

// expandImportPaths turns arguments into files the way the engine does:
// globs, directories walked for *.json (sorted), plain files as given;
// anything that names nothing is a rejection.
func expandImportPaths(args []string) ([]string, []engine.Rejection) {
	var files []string
	var rejected []engine.Rejection
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, arg := range args {
		matches := []string{arg}
		if strings.ContainsAny(arg, "*?[") {
			m, err := filepath.Glob(arg)
			if err != nil || len(m) == 0 {
				rejected = append(rejected, engine.Rejection{File: arg, Reason: "matches no files"})
				continue
			}
			matches = m
		}
		for _, p := range matches {
			info, err := os.Stat(p)
			if err != nil {
				rejected = append(rejected, engine.Rejection{File: p, Reason: "no such file or directory"})
				continue
			}
			if !info.IsDir() {
				add(p)
				continue
			}
			var found []string
			_ = filepath.WalkDir(p, func(q string, e fs.DirEntry, err error) error {
				if err == nil && !e.IsDir() && strings.HasSuffix(strings.ToLower(e.Name()), ".json") {
					found = append(found, q)
				}
				return nil
			})
			slices.Sort(found)
			for _, q := range found {
				add(q)
			}
		}
	}
	return files, rejected
}

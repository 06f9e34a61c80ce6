package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"brightrun/model"
	"brightrun/model/convfile"
	"brightrun/store"
)

// ImportProgress is reported once before the first file and after every
// file, so a screen can show "1234 / 5000" on a big directory.
type ImportProgress struct {
	Done  int    `json:"done"`
	Total int    `json:"total"`
	File  string `json:"file"` // the file just finished; empty in the first report
}

// Rejection is a file that did not go in: its name, the JSON path of the
// fault (empty when the file as a whole is at fault) and why.
type Rejection struct {
	File   string `json:"file"`
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// String is the one-line form: `file.json: $.turns[2].role: reason`.
func (r Rejection) String() string {
	return (&model.FileError{File: r.File, Path: r.Path, Reason: r.Reason}).Error()
}

// ImportResult says what one import did. New* list the reference keys the
// import added (a typo in a persona shows up here rather than failing).
type ImportResult struct {
	Imported         int         `json:"imported"`
	Updated          int         `json:"updated"`
	Rejected         []Rejection `json:"rejected"`
	NewPersonas      []string    `json:"new_personas"`
	NewEmotionalArcs []string    `json:"new_emotional_arcs"`
	NewTopics        []string    `json:"new_training_topics"`
}

// importSource is one file to import: a display name and how to read it.
// read gives a *model.FileError for a file that cannot be read or is too big.
type importSource struct {
	name string
	size int64 // as listed, to bound the bytes in flight; 0 if unknown
	read func() ([]byte, error)
}

// importWorkers bounds how many files are parsed, tokenized and stored at
// once: enough to overlap the round trips to the database and S3. Each
// holds a pooled connection while its object is put (the row and the
// object land together), and the pool has at least four.
const importWorkers = 4

// Import reads conversation files and directories (walked recursively for
// *.json) and glob patterns, and stores every valid file. A bad file is
// rejected with its reason and the others still go in; the error is only
// for failures of the servers, which stop the import (files stored before
// stay stored, each complete). progress may be nil.
func (s *Session) Import(ctx context.Context, paths []string, progress func(ImportProgress)) (ImportResult, error) {
	sources, rejected := expandPaths(paths)
	res, err := s.importSources(ctx, sources, progress)
	res.Rejected = append(append([]Rejection{}, rejected...), res.Rejected...)
	return res, err
}

// expandPaths turns command-line arguments into files, in a stable order,
// each once. Arguments that name nothing readable become rejections.
func expandPaths(args []string) ([]importSource, []Rejection) {
	var sources []importSource
	var rejected []Rejection
	seen := map[string]bool{}
	add := func(p string, size int64) {
		key := p
		if abs, err := filepath.Abs(p); err == nil {
			key = abs
		}
		if !seen[key] {
			seen[key] = true
			sources = append(sources, diskSource(p, size))
		}
	}
	reject := func(file, reason string) { rejected = append(rejected, Rejection{File: file, Reason: reason}) }
	for _, arg := range args {
		matches := []string{arg}
		if strings.ContainsAny(arg, "*?[") {
			m, err := filepath.Glob(arg)
			if err != nil {
				reject(arg, "bad pattern: "+err.Error())
				continue
			}
			if len(m) == 0 {
				reject(arg, "no file matches the pattern")
				continue
			}
			matches = m
		}
		for _, p := range matches {
			info, err := os.Stat(p)
			switch {
			case err != nil:
				reject(p, describeFSError(err))
			case info.IsDir():
				walkDir(p, add, reject)
			case !info.Mode().IsRegular():
				reject(p, "not a regular file")
			default:
				add(p, info.Size())
			}
		}
	}
	return sources, rejected
}

// walkDir adds every *.json file under dir, skipping hidden directories
// (.git and the like). Unreadable directories are rejected, not fatal.
func walkDir(dir string, add func(string, int64), reject func(string, string)) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			reject(p, describeFSError(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.EqualFold(filepath.Ext(p), ".json") {
			return nil
		}
		info, err := os.Stat(p) // follows a symlink to the file it names
		switch {
		case err != nil:
			reject(p, describeFSError(err))
		case info.Mode().IsRegular():
			add(p, info.Size())
		}
		return nil
	})
}

// diskSource reads a file, refusing one over the size limit from its size
// alone, before reading a byte (and again while reading, should it grow).
func diskSource(p string, size int64) importSource {
	return importSource{name: p, size: size, read: func() ([]byte, error) {
		if size > model.MaxConversationFileSize {
			return nil, model.FileTooBig(p, size)
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, &model.FileError{File: p, Reason: describeFSError(err)}
		}
		defer f.Close()
		// Sized from the file, as os.ReadFile does: io.ReadAll would grow
		// its buffer by doubling, copying a 40 MB file several times over.
		var buf bytes.Buffer
		buf.Grow(int(min(size, model.MaxConversationFileSize)) + bytes.MinRead)
		if _, err := buf.ReadFrom(io.LimitReader(f, model.MaxConversationFileSize+1)); err != nil {
			return nil, &model.FileError{File: p, Reason: describeFSError(err)}
		}
		if buf.Len() > model.MaxConversationFileSize {
			return nil, model.FileTooBig(p, int64(buf.Len()))
		}
		return buf.Bytes(), nil
	}}
}

// fsSources lists the *.json files directly in dir of an fs.FS (the
// embedded demo data), sorted by name.
func fsSources(fsys fs.FS, dir string) ([]importSource, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []importSource
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".json") {
			continue
		}
		p := path.Join(dir, e.Name())
		out = append(out, importSource{name: p, read: func() ([]byte, error) { return fs.ReadFile(fsys, p) }})
	}
	return out, nil
}

// describeFSError is the reason part of a file-system error, without the
// path (the rejection carries it already): "permission denied".
func describeFSError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// importOutcome is what happened to one source.
type importOutcome struct {
	index     int
	name      string
	rejection *Rejection
	saved     store.SavedConversation
	err       error // a server failure: stops the import
}

// importSources runs the files through a few workers, within a budget of
// bytes in flight (importBytesInFlight), and gathers the outcomes in the
// caller's goroutine, which is also where progress is reported, so callers
// need no locking.
func (s *Session) importSources(ctx context.Context, sources []importSource, progress func(ImportProgress)) (ImportResult, error) {
	res := ImportResult{Rejected: []Rejection{}, NewPersonas: []string{}, NewEmotionalArcs: []string{}, NewTopics: []string{}}
	if progress == nil {
		progress = func(ImportProgress) {}
	}
	progress(ImportProgress{Total: len(sources)})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	outcomes := make(chan importOutcome)
	budget := newByteBudget(importBytesInFlight)
	var wg sync.WaitGroup
	for range min(importWorkers, max(len(sources), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				weight := min(max(sources[i].size, 0), importBytesInFlight)
				budget.acquire(weight)
				out := s.importOne(ctx, sources[i])
				budget.release(weight)
				out.index = i
				select {
				case outcomes <- out:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range sources {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(outcomes) }()

	var rejected []importOutcome
	var firstErr error
	done := 0
	for out := range outcomes {
		done++
		switch {
		case out.err != nil:
			if firstErr == nil {
				firstErr = fmt.Errorf("import %s: %w", out.name, out.err)
				cancel()
			}
		case out.rejection != nil:
			rejected = append(rejected, out)
		case out.saved.Inserted:
			res.Imported++
		default:
			res.Updated++
		}
		if out.err == nil && out.rejection == nil {
			res.NewPersonas = append(res.NewPersonas, out.saved.NewKeys.Personas...)
			res.NewEmotionalArcs = append(res.NewEmotionalArcs, out.saved.NewKeys.EmotionalArcs...)
			res.NewTopics = append(res.NewTopics, out.saved.NewKeys.Topics...)
		}
		if firstErr == nil {
			progress(ImportProgress{Done: done, Total: len(sources), File: out.name})
		}
	}
	slices.SortFunc(rejected, func(a, b importOutcome) int { return a.index - b.index })
	for _, r := range rejected {
		res.Rejected = append(res.Rejected, *r.rejection)
	}
	for _, list := range []*[]string{&res.NewPersonas, &res.NewEmotionalArcs, &res.NewTopics} {
		slices.Sort(*list)
		*list = slices.Compact(*list)
	}
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	return res, firstErr
}

// importOne reads, checks and stores one file.
func (s *Session) importOne(ctx context.Context, src importSource) importOutcome {
	out := importOutcome{name: src.name}
	if err := ctx.Err(); err != nil {
		out.err = err
		return out
	}
	data, err := src.read()
	if err == nil {
		// In place: data is only read from here on (parsed, then put as
		// it is), so the turns need not be a second copy of the file.
		var f model.ConversationFile
		if f, err = convfile.ParseConversationFileInPlace(src.name, data); err == nil {
			w := store.ConversationFileWrite{
				Summary: f.Summary(convfile.TrainingTokens(f, Tokens()), int64(len(data))),
				Flavour: f.Flavour,
				Data:    data,
			}
			if len(f.TrainingPairs) > 0 {
				frag, ferr := convfile.EncodeTrainingFragment(f)
				if ferr != nil {
					out.err = ferr
					return out
				}
				w.Fragment = &frag
			}
			out.saved, out.err = store.SaveConversationFile(ctx, s.e.db, s.e.objects, s.user.ID, w)
			return out
		}
	}
	var fe *model.FileError
	if !errors.As(err, &fe) {
		fe = &model.FileError{File: src.name, Reason: err.Error()}
	}
	out.rejection = &Rejection{File: fe.File, Path: fe.Path, Reason: fe.Reason}
	return out
}

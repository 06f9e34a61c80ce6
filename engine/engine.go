// Package engine holds Brightrun's use cases on top of the store. It is the
// only API the TUI, the CLI and the SSH server call.
package engine

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os/user"
	"sync"
	"sync/atomic"

	"brightrun/engine/worker"
	"brightrun/model"
	"brightrun/store"
	"brightrun/store/local"
)

// Options are the parts of opening that differ between processes and tests.
type Options struct {
	// Spawn starts the local services process when none runs (zero-config
	// mode). main re-executes its own binary as `brightrun services`.
	Spawn local.Spawner
	// Log receives the engine's log; nil discards it.
	Log *slog.Logger
	// Services, when set, are local services this process runs itself
	// (`brightrun services`): use them without attaching, so the services'
	// own worker does not count as a process keeping them alive.
	Services *local.Info
}

// Engine is one open installation: database, object store and GPU catalog.
type Engine struct {
	cfg           Config
	db            *store.DB
	objects       *store.Objects
	catalog       model.Catalog
	catalogSource string
	// models is the base model catalog (built-in or <data dir>/models.json).
	models     model.ModelCatalog
	attachment *local.Attachment
	// s3PortChangedFrom is the local gateway's previous port when its last
	// start could not reuse it (0: unchanged, or shared mode).
	s3PortChangedFrom int
	migration         store.MigrationResult
	log               *slog.Logger

	hubOnce sync.Once
	hub     *hub
	// events counts the change events the hub received, for liveReads.
	events    atomic.Uint64
	liveReads liveReads

	// rt is the job runtime: the queue, and the workers this process starts.
	rt *worker.Runtime
}

// Open reaches the configured servers (starting the local ones in
// zero-config mode), migrates the schema and creates the buckets.
func Open(ctx context.Context, cfg Config, opts Options) (e *Engine, err error) {
	e = &Engine{cfg: cfg, log: opts.Log}
	if e.log == nil {
		e.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	e.catalog, e.catalogSource, err = LoadCatalog(cfg.DataDir)
	if err != nil {
		return e, err
	}
	if e.models, _, err = LoadModelCatalog(cfg.DataDir); err != nil {
		return e, err
	}
	ownerDSN := cfg.DatabaseURL
	s3cfg := cfg.S3
	if cfg.Mode == ModeLocal {
		layout, err := local.NewLayout(cfg.DataDir)
		if err != nil {
			return e, err
		}
		var info local.Info
		switch {
		case opts.Services != nil:
			info = *opts.Services
		case opts.Spawn == nil:
			return e, fmt.Errorf("zero-config mode needs a way to start the local services")
		default:
			if e.attachment, err = local.Attach(ctx, layout, opts.Spawn); err != nil {
				return e, err
			}
			info = e.attachment.Info
		}
		ownerDSN = info.PostgresDSN()
		e.s3PortChangedFrom = info.S3PortChangedFrom
		s3cfg.Endpoint, s3cfg.Region = info.S3Endpoint, info.S3Region
		s3cfg.AccessKey, s3cfg.SecretKey = info.AccessKey, info.SecretKey
		s3cfg.PathStyle = true
	}
	e.migration, err = store.Migrate(ctx, ownerDSN, e.log)
	if err != nil {
		return e, err
	}
	if _, err = store.MigrateRiver(ctx, ownerDSN); err != nil {
		return e, err
	}
	if e.db, err = store.OpenDB(ctx, ownerDSN); err != nil {
		return e, err
	}
	if e.objects, err = store.OpenObjects(ctx, s3cfg); err != nil {
		return e, err
	}
	if err := e.objects.EnsureBuckets(ctx); err != nil {
		return e, err
	}
	e.rt = e.newRuntime()
	e.log.Info("engine open", "mode", cfg.Mode, "s3", e.objects.Endpoint(), "catalog", e.catalogSource)
	return e, nil
}

// New assembles an engine from parts that are already open (tests, and
// processes that share one pool).
func New(cfg Config, db *store.DB, objects *store.Objects, catalog model.Catalog, log *slog.Logger) *Engine {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	// Assembled engines (tests) get the built-in model catalog, which
	// TestModelCatalogParses keeps valid.
	models, _, _ := LoadModelCatalog("")
	e := &Engine{cfg: cfg, db: db, objects: objects, catalog: catalog, catalogSource: "given", models: models, log: log}
	e.rt = e.newRuntime()
	return e
}

// Close releases the pool and detaches from the local services.
func (e *Engine) Close() {
	e.hub.close()
	if e.db != nil {
		e.db.Close()
	}
	if e.attachment != nil {
		e.attachment.Close()
	}
}

// Config is the configuration the engine was opened with.
func (e *Engine) Config() Config { return e.cfg }

// Migration says what the schema migration at open did.
func (e *Engine) Migration() store.MigrationResult { return e.migration }

// Catalog is the GPU catalog in force.
func (e *Engine) Catalog() model.Catalog { return e.catalog }

// Models is the base model catalog in force.
func (e *Engine) Models() model.ModelCatalog { return e.models }

// CatalogSource says where the catalog came from (a path or "built-in").
func (e *Engine) CatalogSource() string { return e.catalogSource }

// Log is the engine's logger.
func (e *Engine) Log() *slog.Logger { return e.log }

// OSUserName is the name the local operator gets: the OS account's.
func OSUserName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "operator"
}

// EnsureUser returns the user called name, creating it on first use.
func (e *Engine) EnsureUser(ctx context.Context, name string) (model.User, error) {
	return e.db.EnsureUser(ctx, name)
}

// AddUser creates a new operator; the name must be free.
func (e *Engine) AddUser(ctx context.Context, name string) (model.User, error) {
	if err := model.CheckLength("user name", name, model.MaxNameLen); err != nil {
		return model.User{}, err
	}
	return e.db.AddUser(ctx, name)
}

// Users lists every operator.
func (e *Engine) Users(ctx context.Context) ([]model.User, error) {
	return e.db.ListUsers(ctx)
}

// Session binds the engine to one operator. Everything a screen does goes
// through a session, so one process can serve many operators (SSH).
func (e *Engine) Session(u model.User) *Session {
	return &Session{e: e, user: u}
}

// Estimate prices a training run with the catalog in force.
func (e *Engine) Estimate(in model.EstimateInput) (model.Estimate, error) {
	return e.catalog.Estimate(in)
}

// Compare prices every preset on every GPU type at gpuCount GPUs.
func (e *Engine) Compare(pairs int, tokens int64, gpuCount int, o model.HyperOverrides) ([]model.Estimate, error) {
	return e.catalog.Compare(pairs, tokens, gpuCount, o)
}

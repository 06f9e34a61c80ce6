// Package cli is Brightrun's command line: one file per command group, each
// printing human text or, with --json, one JSON document from the same
// engine types the TUI renders.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"brightrun/engine"
	"brightrun/ui/termtext"
)

// Exit codes (docs/cli.md).
const (
	ExitOK       = 0
	ExitNegative = 1 // ran, and the answer is no
	ExitUsage    = 2 // bad flags or a broken environment
)

// Env is what a command may touch of the process, so tests can run commands
// in-process with their own streams and environment.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Spawn starts the local services process (main re-executes itself).
	Spawn engine.Spawner
	// RunTUI opens the full-screen app on an open engine.
	RunTUI func(ctx context.Context, env Env, e *engine.Engine, s *engine.Session) error
	// SessionTUI builds the app of one `brightrun serve` session.
	SessionTUI SessionTUI
}

// usageError is a mistake in how the command was called: exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// negative is a command that ran and answered no: exit 1, message already printed.
var errNegative = errors.New("negative answer")

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"status", "show the database, object storage, user and data dir", runStatus},
		{"migrate", "apply schema migrations", runMigrate},
		{"services", "run the local services; `services stop` stops them, `services purge` deletes their data", runServices},
		{"estimate", "price a training run (--dataset ID or --pairs/--tokens; --compare)", runEstimate},
		{"models", "list the base models jobs can train (the model catalog)", runModels},
		{"user", "manage operators and their SSH keys: `user add NAME [--key FILE]`, `user add-key`, `user remove-key`, `user list`", runUser},
		{"serve", "serve the TUI over SSH to every operator with a key (--listen :23234)", runServe},
		{"import", "import conversation files, directories or globs", runImport},
		{"conversations", "browse conversations: `list`, `show ID`, `export ID`", runConversations},
		{"trainingfile", "build training files: `create`, `add`, `remove`, `build`, `list`, `show`, `export`", runTrainingFile},
		{"demo", "`demo seed`: load the demo personas, arcs, topics and conversations", runDemo},
		{"worker", "execute queued jobs (dataset validation, training)", runWorker},
		{"trainer", "`trainer check --exec-trainer CMD`: run a trainer as a worker would, no database needed", runTrainer},
		{"dataset", "datasets: validate (no database needed), upload, upload-url, confirm, from-trainingfile, list, show, delete", runDataset},
		{"job", "training jobs: create (--from JOB to clone), list, show, watch, logs, compare, cancel, download", runJob},
	}
}

// Run executes one command line and returns the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	// Libraries that log through the standard logger (the S3 transfer
	// manager does) must not write to the terminal: a failure is reported
	// once, as one line, below. openLog sends them to the data dir's log.
	log.SetOutput(io.Discard)
	err := dispatch(ctx, args, env)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errNegative):
		return ExitNegative
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.Is(err, engine.ErrNotFound):
		// The command ran and the thing asked for is not there (or not
		// the operator's): a negative answer, not a usage error.
		fmt.Fprintf(env.Stderr, "brightrun: %s\n", oneLine(err.Error()))
		return ExitNegative
	default:
		fmt.Fprintf(env.Stderr, "brightrun: %s\n", oneLine(err.Error()))
		return ExitUsage
	}
}

func dispatch(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return runTUI(ctx, env, args)
	}
	name := args[0]
	if name == "help" || name == "--help" || name == "-h" {
		printUsage(env.Stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, env, args[1:])
		}
	}
	return usagef("unknown command %q (run `brightrun help`)", name)
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: brightrun [--data-dir DIR]            open the TUI")
	fmt.Fprintln(w, "       brightrun COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --data-dir DIR (zero-config) or uses DATABASE_URL and the AWS variables;")
	fmt.Fprintln(w, "--json prints one JSON document on stdout. Exit codes: 0 ok, 1 negative answer, 2 usage or environment error.")
}

// common are the flags every command takes.
type common struct {
	dataDir string
	json    bool
}

// flagSet is a command's flags and where its -h usage goes.
type flagSet struct {
	*flag.FlagSet
	help io.Writer
	// pathArgsFrom is the index of the first positional argument that is a
	// local file path (exempt from the UTF-8 check); -1 when none is.
	pathArgsFrom int
}

func newFlagSet(env Env, name string, c *common, withJSON bool) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet("brightrun "+name, flag.ContinueOnError), help: env.Stderr, pathArgsFrom: -1}
	// Errors are reported once, by Run, as one line; usage only on -h.
	fs.SetOutput(io.Discard)
	fs.Var(dataDirFlag{&c.dataDir}, "data-dir", "data dir for the zero-config mode (default $XDG_DATA_HOME/brightrun)")
	if withJSON {
		fs.BoolVar(&c.json, "json", false, "print one JSON document on stdout")
	}
	return fs
}

// parse parses flags, allowing them before and after positional arguments
// (`user add NAME --json`), and turns flag errors into usage errors (exit 2).
// The positional arguments are returned in order.
func parse(fs *flagSet, args []string) ([]string, error) {
	fs.Usage = func() {}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(fs.help, "Usage of %s:\n", fs.Name())
				fs.SetOutput(fs.help)
				fs.PrintDefaults()
				return nil, err
			}
			return nil, usageError{strings.TrimSpace(fs.Name()) + ": " + err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, checkValues(fs, positional)
		}
		if rest[0] == "--" {
			positional = append(positional, rest[1:]...)
			return positional, checkValues(fs, positional)
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// openEngine reads the configuration and opens the engine, with the
// application log going to the data dir.
func openEngine(ctx context.Context, env Env, c common) (*engine.Engine, error) {
	cfg, err := engine.LoadConfig(c.dataDir, env.Getenv)
	if err != nil {
		return nil, err
	}
	log, err := openLog(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	return engine.Open(ctx, cfg, engine.Options{Spawn: env.Spawn, Log: log})
}

// openSession opens the engine and the local operator's session.
func openSession(ctx context.Context, env Env, c common) (*engine.Engine, *engine.Session, error) {
	e, err := openEngine(ctx, env, c)
	if err != nil {
		return nil, nil, err
	}
	u, err := e.EnsureUser(ctx, operatorName(env))
	if err != nil {
		e.Close()
		return nil, nil, err
	}
	s := e.Session(u)
	seedDemoIfNew(ctx, env.Stderr, s)
	return e, s, nil
}

// operatorName is the local operator: $BRIGHTRUN_USER, else the OS account.
func operatorName(env Env) string {
	if n := env.Getenv("BRIGHTRUN_USER"); n != "" {
		return n
	}
	return engine.OSUserName()
}

// openLog sends slog output to the data dir, never to the terminal.
func openLog(dataDir string) (*slog.Logger, error) {
	dir := filepath.Join(dataDir, "logs")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir %s is not writable: %w", dataDir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "brightrun.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open log in %s: %w", dir, err)
	}
	logger := slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})).With("pid", os.Getpid())
	// The default loggers (slog's and the standard log package's, which
	// libraries use) go to the same file, never to the terminal.
	slog.SetDefault(logger)
	return logger, nil
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// oneLine is an error as the one line the README promises, made inert:
// an error may quote a stored name or a trainer's words.
func oneLine(s string) string {
	return termtext.Line(strings.Join(strings.Fields(s), " "))
}

func noArgs(fs *flagSet, positional []string) error {
	if len(positional) > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), positional[0])
	}
	return nil
}

// interruptible ends ctx on ctrl+c or SIGTERM, so a long command (an upload)
// stops cleanly and undoes what it started instead of dying half-way.
func interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

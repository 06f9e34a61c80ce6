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
	"text/tabwriter"
	"time"

	"charm.land/fang/v2"

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

	// help prints the running command's usage (cobra's) on -h/--help.
	help func()
	// describe, when set, receives a command's flag set in place of
	// running the command (see describeFlags).
	describe func(*flagSet)
}

// usageError is a mistake in how the command was called: exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// negative is a command that ran and answered no: exit 1, message already printed.
var errNegative = errors.New("negative answer")

// Run executes one command line and returns the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	// Libraries that log through the standard logger (the S3 transfer
	// manager does) must not write to the terminal: a failure is reported
	// once, as one line, below. openLog sends them to the data dir's log.
	log.SetOutput(io.Discard)
	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	root := newRoot(env)
	root.SetArgs(args)
	err := fang.Execute(ctx, root, fang.WithVersion(version()),
		// Errors are printed below, as the one line the README promises.
		fang.WithErrorHandler(func(io.Writer, fang.Styles, error) {}))
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

// common are the flags every command takes.
type common struct {
	dataDir string
	json    bool
}

// flagSet is a command's flags and where its -h usage goes.
type flagSet struct {
	*flag.FlagSet
	help io.Writer
	// usage prints the command's usage; describe is Env.describe.
	usage    func()
	describe func(*flagSet)
	// pathArgsFrom is the index of the first positional argument that is a
	// local file path (exempt from the UTF-8 check); -1 when none is.
	pathArgsFrom int
}

func newFlagSet(env Env, name string, c *common, withJSON bool) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet("brightrun "+name, flag.ContinueOnError), help: env.Stderr, usage: env.help, describe: env.describe, pathArgsFrom: -1}
	// Errors are reported once, by Run, as one line; usage only on -h.
	fs.SetOutput(io.Discard)
	fs.Var(dataDirFlag{&c.dataDir}, "data-dir", "data dir for the zero-config mode (default $XDG_DATA_HOME/brightrun)")
	if withJSON {
		fs.BoolVar(&c.json, "json", false, "print one JSON document on stdout")
	}
	return fs
}

// given reports which flags were set on the command line.
func (fs *flagSet) given() map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// parse parses flags, allowing them before and after positional arguments
// (`user add NAME --json`), and turns flag errors into usage errors (exit 2).
// The positional arguments are returned in order.
func parse(fs *flagSet, args []string) ([]string, error) {
	fs.Usage = func() {}
	if fs.describe != nil {
		fs.describe(fs)
		return nil, errDescribe
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) && fs.usage != nil {
				fs.usage()
				return nil, err
			}
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
	s := e.AdminSession(u)
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

// newTable is the layout of every list a command prints: columns two
// spaces apart, flushed by the caller.
func newTable(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

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

// parseNoArgs parses a command that takes flags only: a positional
// argument is a usage error.
func parseNoArgs(fs *flagSet, args []string) error {
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	return noArgs(fs, pos)
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

// withSession runs fn on the engine and the local operator's session,
// closing the engine after: the opening every session command shares.
func withSession(ctx context.Context, env Env, c common, fn func(e *engine.Engine, s *engine.Session) error) error {
	e, s, err := openSession(ctx, env, c)
	if err != nil {
		return err
	}
	defer e.Close()
	return fn(e, s)
}

// withEngine runs fn on the engine, for the commands that act for no
// operator (users, workers, migrations), closing it after.
func withEngine(ctx context.Context, env Env, c common, fn func(e *engine.Engine) error) error {
	e, err := openEngine(ctx, env, c)
	if err != nil {
		return err
	}
	defer e.Close()
	return fn(e)
}

package cli

import (
	"context"
	"errors"
	"flag"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// errDescribe ends a command run in describe mode: its flag set is built
// and handed over, and nothing runs.
var errDescribe = errors.New("describe only")

// runFunc runs a command with its arguments unparsed: it parses its own
// flags, so values, errors and exit codes are the same wherever a flag
// stands.
type runFunc func(ctx context.Context, env Env, args []string) error

// group is a command with subcommands. A group whose subcommands have
// their own run answers a missing or unknown subcommand itself; otherwise
// its run (a dispatcher that parses flags shared by its subcommands, as
// `user` and `budget` do) gets the subcommand's name in front of its
// arguments.
type group struct {
	name, summary string
	run           runFunc
	subs          []sub
	// leaf: the group runs by itself too (`worker` runs a worker,
	// `services` the services), parsing its own flags.
	leaf bool
}

// sub is one subcommand: its name, the arguments it takes (for the
// usage line), its summary and, when it has one, its own run.
type sub struct {
	name, args, summary string
	run                 runFunc
}

func groups() []group {
	return []group{
		{name: "status", summary: "show the database, object storage, user and data dir", run: runStatus, leaf: true},
		{name: "migrate", summary: "apply schema migrations", run: runMigrate, leaf: true},
		{name: "services", summary: "run the local services; `services stop` stops them, `services purge` deletes their data", run: runServices, leaf: true,
			subs: []sub{{"stop", "", "stop the local services", nil}, {"status", "", "show whether the local services run", nil}, {"purge", "", "stop the local services and delete their data", nil}}},
		{name: "estimate", summary: "price a training run (--dataset ID or --pairs/--tokens; --compare)", run: runEstimate, leaf: true},
		{name: "models", summary: "list the base models jobs can train (the model catalog)", run: runModels, leaf: true},
		{name: "user", summary: "manage operators and the SSH keys they log in with", run: runUser,
			subs: []sub{{"add", "NAME", "add an operator (--key FILE, repeatable)", nil}, {"add-key", "NAME FILE...", "add SSH keys to an operator", nil},
				{"remove-key", "NAME FINGERPRINT", "remove an SSH key", nil}, {"list", "", "list operators and their keys", nil}}},
		{name: "serve", summary: "serve the TUI over SSH to every operator with a key (--listen :23234)", run: runServe, leaf: true},
		{name: "import", summary: "import conversation files, directories or globs", run: runImport, leaf: true},
		{name: "conversations", summary: "browse conversations",
			subs: []sub{{"list", "", "list conversations (filters, pages)", runConversationsList}, {"show", "ID", "show one conversation", runConversationsShow}, {"export", "ID", "export one conversation file", runConversationsExport}}},
		{name: "trainingfile", summary: "build training files",
			subs: []sub{{"create", "", "create a training file", runTrainingFileCreate}, {"add", "ID", "add conversations", members("add")}, {"remove", "ID", "remove conversations", members("remove")},
				{"build", "ID", "build its JSONL", oneTrainingFile("build")}, {"list", "", "list training files", runTrainingFileList}, {"show", "ID", "show one training file", oneTrainingFile("show")},
				{"export", "ID", "export its JSONL", runTrainingFileExport}, {"delete", "ID", "delete a training file", oneTrainingFile("delete")}}},
		{name: "demo", summary: "load the demo personas, arcs, topics and conversations",
			subs: []sub{{"seed", "", "load the demo data", runDemoSeed}}},
		{name: "worker", summary: "execute queued jobs (dataset validation, training); `worker list` lists the live workers", run: runWorker, leaf: true,
			subs: []sub{{"list", "", "list the live workers, their GPUs and jobs", nil}}},
		{name: "trainer", summary: "run a trainer as a worker would, no database needed",
			subs: []sub{{"check", "", "run an exec trainer on a dataset (--exec-trainer CMD)", runTrainerCheck}}},
		{name: "dataset", summary: "datasets: validate (no database needed), upload, register and manage",
			subs: []sub{{"validate", "FILE", "validate a local JSONL file", runDatasetValidate}, {"upload", "FILE", "upload and validate a dataset", runDatasetUpload},
				{"upload-url", "", "a presigned URL to upload from elsewhere", runDatasetUploadURL}, {"confirm", "ID", "validate an upload made through a URL", datasetByID("confirm")},
				{"from-trainingfile", "ID", "a dataset from a built training file", runDatasetFromTrainingFile},
				{"clean", "ID", "a new dataset of a dataset's valid lines", runDatasetClean}, {"list", "", "list datasets", runDatasetList},
				{"show", "ID", "show one dataset", datasetByID("show")}, {"revalidate", "ID", "validate a dataset again", datasetByID("revalidate")}, {"delete", "ID", "delete a dataset", datasetByID("delete")}}},
		{name: "budget", summary: "an operator's monthly budget: set it, or see where the month stands", run: runBudget,
			subs: []sub{{"set", "", "set the monthly limit (--monthly USD [--user NAME])", nil}, {"show", "", "show the budget and this month's spend", nil}}},
		{name: "costs", summary: "a month's costs by day, user, GPU or model (--month YYYY-MM --by …; --csv)", run: runCosts, leaf: true},
		{name: "job", summary: "training jobs",
			subs: []sub{{"create", "", "create a job (--dataset ID, or --from JOB to clone)", runJobCreate}, {"list", "", "list jobs", runJobList},
				{"show", "ID", "show one job", runJobShow}, {"watch", "ID", "follow a job until it ends", runJobWatch}, {"logs", "ID", "a job's events and output", runJobLogs},
				{"compare", "ID ID...", "compare jobs' metrics", runJobCompare}, {"cancel", "ID", "cancel a job", runJobCancel},
				{"resume", "ID", "continue a failed or cancelled job after its last checkpoint", runJobResume}, {"download", "ID", "download a job's adapter (or --checkpoint STEP)", runJobDownload},
				{"checkpoints", "ID", "list a job's checkpoints, the best marked", runJobCheckpoints},
				{"metrics", "ID", "every metrics point, as CSV or JSON lines", runJobMetrics}}},
		{name: "sweep", summary: "sweeps: a grid of training runs launched in one step",
			subs: []sub{{"create", "", "create a sweep (--dataset ID and comma lists of estimate's flags)", runSweepCreate}, {"list", "", "list sweeps", runSweepList},
				{"show", "ID", "show a sweep's runs and its best job", runSweepShow}, {"cancel", "ID", "cancel the runs still going", runSweepCancel}}},
	}
}

// newRoot is the command tree. The root opens the TUI; every command
// parses its own flags (DisableFlagParsing) with the checks in parse, so
// flag values, errors and exit codes are the same wherever a flag stands.
// Cobra routes, places --data-dir and --json before or after the command
// (its persistent flags tell it which take a value), and prints help and
// completions; the flags it shows are read from each command in describe
// mode.
func newRoot(env Env) *cobra.Command {
	var rc common
	root := &cobra.Command{
		Use:   "brightrun",
		Short: "Turn expert conversations into LoRA fine-tunes, from the terminal",
		Long: "Brightrun turns expert conversations into LoRA fine-tunes. With no command it opens the TUI.\n\n" +
			"Every command takes --data-dir DIR (zero-config) or uses DATABASE_URL and the AWS variables; " +
			"--json prints one JSON document on stdout. Exit codes: 0 ok, 1 negative answer, 2 usage or environment error.",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q (run `brightrun help`)", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("json") {
				return usagef("--json belongs to a command; with no command brightrun opens the TUI")
			}
			return runTUI(cmd.Context(), env, rc)
		},
	}
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetFlagErrorFunc(flagError)
	pf := root.PersistentFlags()
	pf.Var(dataDirFlag{&rc.dataDir}, "data-dir", "data dir for the zero-config mode (default $XDG_DATA_HOME/brightrun)")
	// --json is declared here only so that it may stand before the
	// command; each command that prints JSON declares and shows its own.
	pf.BoolVar(&rc.json, "json", false, "print one JSON document on stdout")
	_ = pf.MarkHidden("json")

	for _, g := range groups() {
		root.AddCommand(g.command(env))
	}
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		RunE: func(c *cobra.Command, args []string) error {
			// cobra's own answers an unknown topic with exit 0.
			cmd, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usagef("help: unknown command %q (run `brightrun help`)", strings.Join(args, " "))
			}
			return cmd.Help()
		},
	})
	return root
}

func (g group) command(env Env) *cobra.Command {
	run := g.run
	if run == nil {
		run = g.unknownSub
	}
	cmd := &cobra.Command{Use: g.name, Short: g.summary}
	if g.leaf {
		leafCommand(cmd, env, run)
	} else {
		// Without a known subcommand the group answers: "give a
		// subcommand" or "unknown subcommand", exit 2.
		cmd.SetFlagErrorFunc(flagError)
		cmd.RunE = func(c *cobra.Command, args []string) error { return run(c.Context(), env, args) }
	}
	for _, s := range g.subs {
		subRun := s.run
		if subRun == nil {
			name := s.name
			subRun = func(ctx context.Context, env Env, args []string) error {
				return run(ctx, env, append([]string{name}, args...))
			}
		}
		sc := &cobra.Command{Use: strings.TrimSpace(s.name + " " + s.args), Short: s.summary}
		leafCommand(sc, env, subRun)
		cmd.AddCommand(sc)
	}
	return cmd
}

// unknownSub is what a group whose subcommands route themselves answers
// when it is given none, or one it does not have: a usage error naming
// them.
func (g group) unknownSub(_ context.Context, _ Env, args []string) error {
	names := make([]string, len(g.subs))
	for i, s := range g.subs {
		names[i] = s.name
	}
	if len(args) == 0 {
		return usagef("%s: give a subcommand: %s", g.name, strings.Join(names, ", "))
	}
	return usagef("%s: unknown subcommand %q (%s)", g.name, args[0], strings.Join(names, ", "))
}

// leafCommand makes cmd run fn with its arguments unparsed, prints cobra's
// help on -h/--help, and shows fn's flags in that help.
func leafCommand(cmd *cobra.Command, env Env, fn runFunc) {
	cmd.DisableFlagParsing = true
	cmd.RunE = func(c *cobra.Command, args []string) error {
		env := env
		env.help = func() { _ = c.Help() }
		return fn(c.Context(), env, args)
	}
	for _, f := range describeFlags(fn) {
		if f.Name == "data-dir" {
			continue // the root's, shown among the global flags
		}
		cmd.Flags().AddFlag(pflag.PFlagFromGoFlag(f))
	}
}

// describeFlags runs fn in describe mode and returns the flags it declares
// before parsing; nil when fn answers before building them (a group
// without its subcommand).
func describeFlags(fn runFunc) []*flag.Flag {
	var flags []*flag.Flag
	env := Env{
		Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
		Getenv: func(string) string { return "" },
		describe: func(fs *flagSet) {
			fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
		},
	}
	if err := fn(context.Background(), env, nil); !errors.Is(err, errDescribe) {
		return nil
	}
	return flags
}

// flagError is a flag cobra parsed (the root's, a group's) given wrong: a
// usage error, one line.
func flagError(c *cobra.Command, err error) error {
	return usagef("%s: %s", c.CommandPath(), err.Error())
}

// buildCommit is the commit `make build` stamps (-ldflags -X), for builds
// where the toolchain records no VCS information (-buildvcs=false, a
// worktree).
var buildCommit string

// version is the module version and the VCS commit the binary was built
// from, as the Go toolchain (or `make build`) stamped them.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		rev = buildCommit
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " (commit " + rev
		if modified == "true" {
			v += ", modified"
		}
		v += ")"
	}
	return v
}

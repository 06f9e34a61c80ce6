package cli

import (
	"context"
	"flag"
	"fmt"

	"brightrun/engine"
	"brightrun/model"
	"brightrun/ui/format"
	"brightrun/ui/termtext"
)

const budgetUsage = "budget: want `budget set --monthly USD [--user NAME]` or `budget show [--user NAME]`"

// runBudget sets and shows an operator's monthly budget. The local account
// is the admin and may name another operator with --user.
func runBudget(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		return usagef(budgetUsage)
	}
	sub, args := args[0], args[1:]
	var c common
	fs := newFlagSet(env, "budget "+sub, &c, true)
	user := fs.String("user", "", "the operator (default: you; another's only for the admin, the local account)")
	var monthly *float64
	if sub == "set" {
		monthly = fs.Float64("monthly", 0, "the monthly limit in USD, 0-1000000 (required)")
	}
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	switch sub {
	case "set":
		given := false
		fs.Visit(func(f *flag.Flag) { given = given || f.Name == "monthly" })
		if !given {
			return usagef("budget set: --monthly USD is required")
		}
		if err := model.CheckMonthlyLimit(*monthly); err != nil {
			return usagef("budget set: --monthly: %v", err)
		}
	case "show":
	default:
		return usagef("budget: unknown subcommand %q (want set or show)", sub)
	}
	return withSession(ctx, env, c, func(e *engine.Engine, s *engine.Session) error {
		var b model.Budget
		var err error
		ok := true
		if sub == "set" {
			b, err = s.SetBudget(ctx, *user, *monthly)
		} else {
			b, ok, err = s.Budget(ctx, *user)
		}
		if err != nil {
			return err
		}
		if !ok {
			name := *user
			if name == "" {
				name = s.User().Name
			}
			fmt.Fprintf(env.Stderr, "brightrun: %s has no monthly budget (set one with `brightrun budget set --monthly USD`)\n", termtext.Line(name))
			return errNegative
		}
		if c.json {
			return printJSON(env.Stdout, b)
		}
		fmt.Fprintf(env.Stdout, "budget     %s · %s\n", termtext.Line(b.User), b.Month)
		fmt.Fprintf(env.Stdout, "limit      %s a month\n", format.Money(b.MonthlyLimit))
		fmt.Fprintf(env.Stdout, "spent      %s\n", format.Money(b.Spent))
		fmt.Fprintf(env.Stdout, "committed  %s (queued and running jobs, at most their caps)\n", format.Money(b.Committed))
		fmt.Fprintf(env.Stdout, "remaining  %s\n", format.Money(b.Remaining))
		return nil
	})
}

package cli

import (
	"context"
	"fmt"
)

func runUser(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		return usagef("user: want `user add NAME` or `user list`")
	}
	sub, args := args[0], args[1:]
	var c common
	fs := newFlagSet(env, "user "+sub, &c, true)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		if len(pos) != 1 {
			return usagef("user add: want exactly one NAME")
		}
		e, err := openEngine(ctx, env, c)
		if err != nil {
			return err
		}
		defer e.Close()
		u, err := e.AddUser(ctx, pos[0])
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, u)
		}
		fmt.Fprintf(env.Stdout, "added user %s (%s)\n", u.Name, u.ID)
		return nil
	case "list":
		if err := noArgs(fs, pos); err != nil {
			return err
		}
		e, err := openEngine(ctx, env, c)
		if err != nil {
			return err
		}
		defer e.Close()
		users, err := e.Users(ctx)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, map[string]any{"users": users, "page": 1, "total": len(users)})
		}
		for _, u := range users {
			fmt.Fprintf(env.Stdout, "%-24s %s  %s\n", u.Name, u.ID, u.CreatedAt.Local().Format("2006-01-02 15:04"))
		}
		return nil
	default:
		return usagef("user: unknown subcommand %q (want add or list)", sub)
	}
}

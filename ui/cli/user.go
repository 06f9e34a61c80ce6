package cli

import (
	"context"
	"fmt"
	"strings"

	"brightrun/engine"
	"brightrun/ui/termtext"
)

const userUsage = "user: want `user add NAME [--key FILE]...`, `user add-key NAME FILE...`, `user remove-key NAME FINGERPRINT` or `user list`"

// keyFiles is a repeatable --key flag.
type keyFiles []string

func (k *keyFiles) String() string { return strings.Join(*k, ",") }

func (k *keyFiles) Set(v string) error {
	*k = append(*k, v)
	return nil
}

// runUser manages operators and the SSH keys they log in to `brightrun
// serve` with.
func runUser(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		return usagef(userUsage)
	}
	sub, args := args[0], args[1:]
	var c common
	fs := newFlagSet(env, "user "+sub, &c, true)
	var files keyFiles
	if sub == "add" {
		fs.Var(&files, "key", "an SSH public key file (authorized_keys form; repeatable, a file may hold several keys)")
	}
	if sub == "add-key" {
		fs.pathArgsFrom = 1 // NAME FILE...
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		if len(pos) != 1 {
			return usagef("user add: want exactly one NAME")
		}
		return userAdd(ctx, env, c, pos[0], files)
	case "add-key":
		if len(pos) < 2 {
			return usagef("user add-key: want NAME and at least one key FILE")
		}
		return userAddKey(ctx, env, c, pos[0], pos[1:])
	case "remove-key":
		if len(pos) != 2 {
			return usagef("user remove-key: want NAME and one FINGERPRINT (as `brightrun user list` shows it)")
		}
		return userRemoveKey(ctx, env, c, pos[0], pos[1])
	case "list":
		if err := noArgs(fs, pos); err != nil {
			return err
		}
		return userList(ctx, env, c)
	default:
		return usagef("user: unknown subcommand %q (want add, add-key, remove-key or list)", sub)
	}
}

// readKeyFiles parses every file before anything is written, so a typo in
// the last file leaves nothing half done.
func readKeyFiles(files []string) ([]engine.NewUserKey, error) {
	var keys []engine.NewUserKey
	seen := map[string]bool{}
	for _, f := range files {
		ks, err := engine.ReadAuthorizedKeys(f)
		if err != nil {
			return nil, err
		}
		for _, k := range ks {
			if !seen[k.Fingerprint] {
				seen[k.Fingerprint] = true
				keys = append(keys, k)
			}
		}
	}
	return keys, nil
}

func userAdd(ctx context.Context, env Env, c common, name string, files []string) error {
	keys, err := readKeyFiles(files)
	if err != nil {
		return err
	}
	return withEngine(ctx, env, c, func(e *engine.Engine) error {
		u, added, err := e.AddUserWithKeys(ctx, name, keys)
		if err != nil {
			return err
		}
		if added == nil {
			added = []engine.UserKey{}
		}
		if c.json {
			return printJSON(env.Stdout, engine.UserWithKeys{User: u, Keys: added})
		}
		fmt.Fprintf(env.Stdout, "added user %s (%s)\n", termtext.Line(u.Name), u.ID)
		for _, k := range added {
			fmt.Fprintf(env.Stdout, "  key %s\n", describeKey(k))
		}
		if len(added) == 0 {
			fmt.Fprintf(env.Stdout, "%s has no SSH key yet, so cannot use `brightrun serve`; add one with `brightrun user add-key %s ~/.ssh/id_ed25519.pub`\n", termtext.Line(u.Name), termtext.Line(u.Name))
		}
		return nil
	})
}

func userAddKey(ctx context.Context, env Env, c common, name string, files []string) error {
	keys, err := readKeyFiles(files)
	if err != nil {
		return err
	}
	return withEngine(ctx, env, c, func(e *engine.Engine) error {
		u, added, existing, err := e.AddUserKeys(ctx, name, keys)
		if err != nil {
			return err
		}
		if c.json {
			if added == nil {
				added = []engine.UserKey{}
			}
			if existing == nil {
				existing = []engine.UserKey{}
			}
			return printJSON(env.Stdout, map[string]any{"user": u, "added": added, "existing": existing})
		}
		for _, k := range added {
			fmt.Fprintf(env.Stdout, "added key %s to %s\n", describeKey(k), termtext.Line(u.Name))
		}
		for _, k := range existing {
			fmt.Fprintf(env.Stdout, "%s already has key %s\n", termtext.Line(u.Name), describeKey(k))
		}
		return nil
	})
}

func userRemoveKey(ctx context.Context, env Env, c common, name, fp string) error {
	if _, err := engine.NormalizeFingerprint(fp); err != nil {
		return usagef("user remove-key: %v", err)
	}
	return withEngine(ctx, env, c, func(e *engine.Engine) error {
		k, err := e.RemoveUserKey(ctx, name, fp)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, map[string]any{"user": name, "removed": k})
		}
		fmt.Fprintf(env.Stdout, "removed key %s from %s\n", describeKey(k), termtext.Line(name))
		return nil
	})
}

func userList(ctx context.Context, env Env, c common) error {
	return withEngine(ctx, env, c, func(e *engine.Engine) error {
		users, err := e.UsersWithKeys(ctx)
		if err != nil {
			return err
		}
		if c.json {
			return printJSON(env.Stdout, map[string]any{"users": users, "page": 1, "total": len(users)})
		}
		for _, u := range users {
			keys := fmt.Sprintf("%d keys", len(u.Keys))
			switch len(u.Keys) {
			case 0:
				keys = "no key"
			case 1:
				keys = "1 key"
			}
			fmt.Fprintf(env.Stdout, "%-24s %s  %s  %s\n", termtext.Line(u.Name), u.ID, u.CreatedAt.Local().Format("2006-01-02 15:04"), keys)
			for _, k := range u.Keys {
				used := "never used"
				if k.LastUsedAt != nil {
					used = "last used " + k.LastUsedAt.Local().Format("2006-01-02 15:04")
				}
				fmt.Fprintf(env.Stdout, "    %s  %s\n", describeKey(k), used)
			}
		}
		return nil
	})
}

// describeKey is how a key reads in messages: its fingerprint, type and
// comment, as ssh-keygen -l shows them.
func describeKey(k engine.UserKey) string {
	s := k.Fingerprint + " " + strings.TrimPrefix(k.Type, "ssh-")
	if k.Comment != "" {
		s += " " + k.Comment
	}
	return termtext.Line(s)
}

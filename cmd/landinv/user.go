package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/landinv/landinv/inventory"
)

func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: landinv user add NAME --role viewer|planner|admin | user list | user role NAME ROLE | user disable NAME")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "add":
		fs := flag.NewFlagSet("user add", flag.ContinueOnError)
		role := fs.String("role", "viewer", "`ROLE`: viewer, planner or admin")
		name, rest := "", args
		if len(rest) > 0 && rest[0] != "" && rest[0][0] != '-' {
			name, rest = rest[0], rest[1:]
		}
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if name == "" && fs.NArg() == 1 {
			name = fs.Arg(0)
		} else if fs.NArg() != 0 || name == "" {
			return errors.New("usage: landinv user add NAME --role viewer|planner|admin")
		}
		db, err := e.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		u, err := db.AddUser(ctx, name, inventory.Role(*role))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %s added as %s; make a token with: landinv token create %s\n", u.Name, u.Role, u.Name)
		return nil
	case "list":
		db, err := e.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		us, err := db.ListUsers(ctx)
		if err != nil {
			return err
		}
		for _, u := range us {
			state := ""
			if u.Disabled {
				state = " (disabled)"
			}
			fmt.Fprintf(e.stdout, "%-24s %-8s %s%s\n", u.Name, u.Role, u.CreatedAt.Format("2006-01-02"), state)
		}
		return nil
	case "role":
		if len(args) != 2 {
			return errors.New("usage: landinv user role NAME viewer|planner|admin")
		}
		db, err := e.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.SetRole(ctx, args[0], inventory.Role(args[1])); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %s is now %s\n", args[0], args[1])
		return nil
	case "disable":
		if len(args) != 1 {
			return errors.New("usage: landinv user disable NAME")
		}
		db, err := e.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.DisableUser(ctx, args[0]); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %s disabled; their tokens no longer work\n", args[0])
		return nil
	}
	return fmt.Errorf("unknown user command %q (add, list, role, disable)", sub)
}

func runToken(ctx context.Context, e *env, args []string) error {
	if len(args) != 2 || (args[0] != "create" && args[0] != "revoke") {
		return errors.New("usage: landinv token create NAME | landinv token revoke NAME")
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "revoke" {
		n, err := db.RevokeTokens(ctx, args[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked %d token(s) of %s\n", n, args[1])
		return nil
	}
	tok, err := db.CreateToken(ctx, args[1])
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "token for %s (shown only now; send it as \"Authorization: Bearer TOKEN\"):\n", args[1])
	fmt.Fprintln(e.stdout, tok)
	return nil
}

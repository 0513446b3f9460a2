package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/password"
)

func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "add":
		fs := flag.NewFlagSet("user add", flag.ContinueOnError)
		fs.SetOutput(e.stderr)
		role := fs.String("role", "viewer", "`ROLE`: viewer, leader, planner or admin")
		withPassword := fs.Bool("password", false, "set a password for signing in at /signin: prompted on a terminal, else the first line of standard input")
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
			return errors.New("usage: landinv user add NAME --role viewer|leader|planner|admin [--password]")
		}
		pw := ""
		if *withPassword {
			var err error
			if pw, err = readPassword(e, name); err != nil {
				return err
			}
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
		if *withPassword {
			if err := db.SetPassword(ctx, name, pw); err != nil {
				return fmt.Errorf("user %s added as %s, but without a password: %w", name, u.Role, err)
			}
			fmt.Fprintf(e.stdout, "user %s added as %s; they sign in at /signin with their password\n", u.Name, u.Role)
			return nil
		}
		fmt.Fprintf(e.stdout, "user %s added as %s; give them a password with `landinv user passwd %s`, or a program a token with `landinv token create %s`\n", u.Name, u.Role, u.Name, u.Name)
		return nil
	case "passwd":
		if len(args) != 1 || args[0] == "" || args[0][0] == '-' {
			return errors.New("usage: landinv user passwd NAME   (the password: prompted on a terminal, else the first line of standard input)")
		}
		pw, err := readPassword(e, args[0])
		if err != nil {
			return err
		}
		db, err := e.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.SetPassword(ctx, args[0], pw); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "password of %s set; their other sessions have ended\n", args[0])
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
			return errors.New("usage: landinv user role NAME viewer|leader|planner|admin")
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
		fmt.Fprintf(e.stdout, "user %s disabled; their tokens and sessions no longer work\n", args[0])
		return nil
	}
	return fmt.Errorf("unknown user command %q (add, passwd, list, role, disable)", sub)
}

const userUsage = "usage: landinv user add NAME --role viewer|leader|planner|admin [--password] | user passwd NAME | user list | user role NAME ROLE | user disable NAME"

// readPassword reads a new password for name: on a terminal, typed twice without echo; else
// the first line of standard input (for scripts: `printf '%s\n' "$PW" | landinv user passwd NAME`).
// The rules (length) are the store's: password.Check.
func readPassword(e *env, name string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(e.stderr, "new password for %s: ", name)
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprintf(e.stderr, "again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ; nothing changed")
		}
		return string(a), nil
	}
	if e.stdin == nil {
		return "", errors.New("no password: give it on standard input")
	}
	line, err := bufio.NewReader(io.LimitReader(e.stdin, password.MaxLength+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if why := password.Check(line); why != "" {
		return "", fmt.Errorf("password %s; nothing changed", why)
	}
	return line, nil
}

const tokenUsage = "usage: landinv token create NAME [--expires 90d|12h|2026-12-31T00:00:00+08:00|never] | token list [NAME] | token revoke NAME [--id ID]"

func runToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errors.New(tokenUsage)
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var expires *string
	var id *int64
	switch sub {
	case "create":
		expires = fs.String("expires", "90d", "when the token stops working: `Nd`, Nh, an RFC 3339 time, or never (service accounts)")
	case "revoke":
		id = fs.Int64("id", 0, "revoke only the token with this `ID` (see token list), not all of the user's")
	case "list":
	default:
		return fmt.Errorf("unknown token command %q (create, list, revoke)\n%s", sub, tokenUsage)
	}
	name, rest := "", args
	if len(rest) > 0 && rest[0] != "" && rest[0][0] != '-' {
		name, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if name == "" && fs.NArg() == 1 {
		name = fs.Arg(0)
	} else if fs.NArg() != 0 || (name == "" && sub != "list") {
		return errors.New(tokenUsage)
	}
	var until time.Time
	if expires != nil {
		var err error
		if until, err = parseExpiry(*expires, time.Now()); err != nil {
			return err
		}
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "list":
		toks, err := db.ListTokens(ctx, name)
		if err != nil {
			return err
		}
		writeTokens(e.stdout, toks, time.Now())
		return nil
	case "revoke":
		if *id != 0 {
			if err := db.RevokeToken(ctx, name, *id); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "revoked token %d of %s\n", *id, name)
			return nil
		}
		n, err := db.RevokeTokens(ctx, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked %d token(s) of %s\n", n, name)
		return nil
	}
	tok, err := db.CreateTokenUntil(ctx, name, until)
	if err != nil {
		return err
	}
	when := "never expires"
	if !until.IsZero() {
		when = "expires " + until.UTC().Format(time.RFC3339)
	}
	fmt.Fprintf(e.stderr, "token for %s, %s (shown only now; send it as \"Authorization: Bearer TOKEN\"):\n", name, when)
	fmt.Fprintln(e.stdout, tok)
	return nil
}

// parseExpiry reads --expires: Nd (days) or Nh (hours) from now, an RFC 3339 time, or
// "never" (the zero time). At most ten years ahead; a time in the past is refused by the store.
func parseExpiry(s string, now time.Time) (time.Time, error) {
	bad := func(why string) (time.Time, error) {
		return time.Time{}, fmt.Errorf("--expires %q: %s; give Nd (days), Nh (hours), an RFC 3339 time such as 2026-12-31T00:00:00+08:00, or never", s, why)
	}
	const max = 10 * 365 * 24 * time.Hour
	switch {
	case s == "never":
		return time.Time{}, nil
	case len(s) > 1 && (s[len(s)-1] == 'd' || s[len(s)-1] == 'h'):
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil || n <= 0 || s[0] == '+' {
			return bad("the count must be a positive whole number")
		}
		unit := time.Hour
		if s[len(s)-1] == 'd' {
			unit = 24 * time.Hour
		}
		if time.Duration(n) > max/unit {
			return bad("at most ten years")
		}
		return now.Add(time.Duration(n) * unit), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return bad("not understood")
	}
	if t.Sub(now) > max {
		return bad("at most ten years")
	}
	return t, nil
}

// writeTokens lists tokens as a table: never the token, only its id and first characters, and
// the label its owner gave it on the sign-in page.
func writeTokens(w io.Writer, toks []inventory.Token, now time.Time) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tPREFIX\tCREATED\tEXPIRES\tLAST USED\tLABEL\tSTATE")
	day := func(t *time.Time, none string) string {
		if t == nil {
			return none
		}
		return t.UTC().Format("2006-01-02 15:04Z")
	}
	for _, t := range toks {
		prefix := t.Prefix
		if prefix == "" {
			prefix = "-"
		}
		label := t.Label // a person's own words for a token made on the sign-in page
		if label == "" {
			label = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.User, prefix, day(&t.CreatedAt, ""),
			day(t.ExpiresAt, "never"), day(t.LastUsedAt, "never"), label, t.State(now))
	}
	tw.Flush()
}

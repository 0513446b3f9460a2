// Command landinv keeps a development zone's land inventory. It only wires the packages
// together; each subcommand reads DATABASE_URL.
//
// Every subcommand is listed once, in the commands table below; `landinv help` prints them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/landinv/landinv/data"
	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
)

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what every command gets: where to read and write, the logger and the database URL.
type env struct {
	stdin          io.Reader // a password is read from it (user add --password, user passwd)
	stdout, stderr io.Writer
	log            *slog.Logger
	databaseURL    string
	// migrateURL, when set, is a direct connection to the same database for what needs a
	// session of its own: the migrations (a session-level advisory lock), backup and restore
	// (DATABASE_MIGRATE_URL; see directURL).
	migrateURL string
}

// directURL is the URL of a direct connection to the database (not through a transaction
// pooler such as PgBouncer): DATABASE_MIGRATE_URL, defaulting to DATABASE_URL.
func (e *env) directURL() string {
	if e.migrateURL != "" {
		return e.migrateURL
	}
	return e.databaseURL
}

// commands lists every subcommand: this table is the only place one is added.
var commands = map[string]command{
	"migrate": {"apply the schema migrations", runMigrate},
	"demo":    {"load the illustrative Linfen demo dataset (loading it again is harmless)", runDemo},
	"serve":   {"migrate, then serve the API and the map (--addr HOST:PORT, default :8080; --debug-addr HOST:PORT for pprof and /metrics, default 127.0.0.1:6060; --log-format json|text; --secure-cookie behind a TLS proxy; --client-ip-header NAME)", runServe},
	"user":    {"manage users: user add NAME --role viewer|leader|planner|admin [--password] | user passwd NAME | user list | user role NAME ROLE | user disable NAME", runUser},
	"token":   {"API tokens: token create NAME [--expires 90d|12h|RFC3339|never] (prints the token as its last line) | token list [NAME] | token revoke NAME [--id ID]", runToken},
	"import":  {"import survey data: import --layer plots|plants|idle-sites|roads [--crs EPSG:N] [--map src=dst,...] [--dry-run] [--as NAME] FILE", runImport},
	"report":  {"write a report: intensity|compliance|idle|supply|roads (--format json|csv|xlsx, -o FILE)", runReport},
	"backup":  {"backup FILE: dump the whole inventory, history included, with pg_dump (LANDINV_PG_BIN: its directory)", runBackup},
	"restore": {"restore FILE: load a backup into an EMPTY database with pg_restore (LANDINV_PG_BIN: its directory)", runRestore},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log, _ := newLogger(os.Stderr, "text")
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, log: log, databaseURL: os.Getenv("DATABASE_URL"),
		migrateURL: os.Getenv("DATABASE_MIGRATE_URL")}
	if err := run(ctx, e, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "landinv:", err)
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stderr)
		if len(args) == 0 {
			return flag.ErrHelp
		}
		return nil
	}
	c, ok := commands[args[0]]
	if !ok {
		usage(e.stderr)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return c.run(inventory.WithQueryKind(ctx, cliKind(args[0])), e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: landinv COMMAND [options]\n\nEvery command reads DATABASE_URL (a PostGIS database); the migrations, backup and restore\nconnect to DATABASE_MIGRATE_URL instead when it is set (directly, not through PgBouncer).\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}

// open connects to the database and applies the migrations. The migrations take a
// session-level lock, so they run on a direct connection (directURL) when DATABASE_URL goes
// through a transaction pooler.
func (e *env) open(ctx context.Context) (*postgis.DB, error) {
	if e.databaseURL == "" {
		return nil, errors.New("DATABASE_URL is not set; `make run` sets up a local PostGIS and sets it for you")
	}
	opts, err := dbOptions(os.Getenv)
	if err != nil {
		return nil, err
	}
	db, err := postgis.OpenWith(ctx, e.databaseURL, e.log, opts)
	if err != nil {
		return nil, err
	}
	mdb := db
	if e.directURL() != e.databaseURL {
		if mdb, err = postgis.OpenWith(ctx, e.directURL(), e.log, postgis.Options{MaxConns: 2, Timeouts: opts.Timeouts}); err != nil {
			db.Close()
			return nil, fmt.Errorf("DATABASE_MIGRATE_URL: %w", err)
		}
		defer mdb.Close()
	}
	if _, err := mdb.Migrate(ctx, data.Migrations, "migrations"); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(e.stdout, "migrations applied")
	return nil
}

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	stats, err := db.LoadDataset(ctx, data.Demo, "demo")
	if err != nil {
		return err
	}
	for _, s := range stats {
		fmt.Fprintf(e.stdout, "%-11s %4d loaded, %4d already there\n", s.Layer, s.Inserted, s.Skipped)
	}
	fmt.Fprintln(e.stdout, "demo data is illustrative: see data/demo/README.md")
	return nil
}

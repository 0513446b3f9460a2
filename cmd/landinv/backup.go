package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/landinv/landinv/inventory/postgis"
)

// runBackup: landinv backup FILE. It neither migrates nor writes the database it reads.
func runBackup(ctx context.Context, e *env, args []string) error {
	file, err := fileArg("backup", args)
	if err != nil {
		return err
	}
	db, err := e.openPlain(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := db.Backup(ctx, file, os.Getenv("LANDINV_PG_BIN"))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up to %s (%d bytes): %s\n", file, sum.Bytes, sum)
	return nil
}

// runRestore: landinv restore FILE, into the empty database DATABASE_URL names. It does not
// migrate: `landinv migrate` or `landinv serve` brings an older backup's schema up to date.
func runRestore(ctx context.Context, e *env, args []string) error {
	file, err := fileArg("restore", args)
	if err != nil {
		return err
	}
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	db, err := e.openPlain(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := db.RestoreBackup(ctx, file, os.Getenv("LANDINV_PG_BIN"))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s: %s\n", file, sum)
	return nil
}

func fileArg(cmd string, args []string) (string, error) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() != 1 || fs.Arg(0) == "" {
		return "", fmt.Errorf("usage: landinv %s FILE", cmd)
	}
	return fs.Arg(0), nil
}

// openPlain connects to the database without migrating it, directly (DATABASE_MIGRATE_URL
// when set): pg_dump and pg_restore need a session of their own, which a transaction pooler
// does not give.
func (e *env) openPlain(ctx context.Context) (*postgis.DB, error) {
	if e.databaseURL == "" {
		return nil, errors.New("DATABASE_URL is not set")
	}
	return postgis.Open(ctx, e.directURL(), e.log)
}

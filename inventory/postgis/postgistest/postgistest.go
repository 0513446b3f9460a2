// Package postgistest gives tests a real, throwaway PostGIS database with the schema applied,
// and optionally the demo dataset loaded.
//
// It reads LANDINV_TEST_DATABASE_URL (falling back to DATABASE_URL): a server where the test
// may CREATE DATABASE. `make test` sets it to the project-local cluster. Without it, tests that
// need a database fail with a message saying how to run them; they never fall back to a mock.
//
// A template database per schema version (and one per demo dataset) is built once, under an
// advisory lock, and every test database is a fast copy of it (CREATE DATABASE ... TEMPLATE),
// dropped when the test ends.
package postgistest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/data"
	"github.com/landinv/landinv/inventory/postgis"
)

// ServerURL returns the URL of the test server, or "" when none is configured.
func ServerURL() string {
	if u := os.Getenv("LANDINV_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return os.Getenv("DATABASE_URL")
}

// New returns a store on a fresh database with the schema applied.
func New(t testing.TB) *postgis.DB { return newDB(t, false) }

// NewWithDemo returns a store on a fresh database with the schema and the demo data.
func NewWithDemo(t testing.TB) *postgis.DB { return newDB(t, true) }

// URL returns the connection URL of a fresh database (schema applied; demo data when demo is
// true) for tests that start the binary themselves.
func URL(t testing.TB, demo bool) string {
	t.Helper()
	name := fresh(t, demo)
	return withDB(t, ServerURL(), name)
}

func newDB(t testing.TB, demo bool) *postgis.DB {
	t.Helper()
	u := URL(t, demo)
	ctx := context.Background()
	db, err := postgis.Open(ctx, u, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

func withDB(t testing.TB, server, name string) string {
	t.Helper()
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("parse test database URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// fresh creates a database copied from the right template and drops it when the test ends.
func fresh(t testing.TB, demo bool) string {
	t.Helper()
	server := ServerURL()
	if server == "" {
		t.Fatal("no test database: set LANDINV_TEST_DATABASE_URL (or DATABASE_URL) to a PostGIS server where tests may create databases; `make test` does this for you")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to test server: %v", err)
	}
	defer admin.Close(ctx)
	tmpl, err := template(ctx, admin, server, demo)
	if err != nil {
		t.Fatalf("prepare template database: %v", err)
	}
	name := copyOf(ctx, t, admin, tmpl)
	return name
}

// template returns the name of a template database holding the current migrations (and the
// demo data), building it once.
func template(ctx context.Context, admin *pgx.Conn, server string, demo bool) (string, error) {
	h := sha256.New()
	if err := hashFS(h, data.Migrations); err != nil {
		return "", err
	}
	kind := "schema"
	if demo {
		kind = "demo"
		if err := hashFS(h, data.Demo); err != nil {
			return "", err
		}
		// The demo template also depends on the code that loads it (the one write path).
		if err := hashStoreSource(h); err != nil {
			return "", err
		}
	}
	name := fmt.Sprintf("landinv_tmpl_%s_%s", kind, hex.EncodeToString(h.Sum(nil))[:12])
	if _, err := admin.Exec(ctx, "select pg_advisory_lock(hashtext('landinv.testtemplate'))"); err != nil {
		return "", err
	}
	defer admin.Exec(context.WithoutCancel(ctx), "select pg_advisory_unlock(hashtext('landinv.testtemplate'))") //nolint:errcheck
	var exists bool
	if err := admin.QueryRow(ctx, "select exists (select 1 from pg_database where datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_build"
	if _, err := admin.Exec(ctx, "drop database if exists "+building+" with (force)"); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "create database "+building); err != nil {
		return "", err
	}
	u, _ := url.Parse(server)
	u.Path = "/" + building
	db, err := postgis.Open(ctx, u.String(), slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		return "", err
	}
	if _, err := db.Pool.Exec(ctx, "create extension if not exists postgis"); err != nil {
		db.Close()
		return "", err
	}
	if _, err := db.Migrate(ctx, data.Migrations, "migrations"); err != nil {
		db.Close()
		return "", err
	}
	if demo {
		if _, err := db.LoadDataset(ctx, data.Demo, "demo"); err != nil {
			db.Close()
			return "", err
		}
	}
	db.Close()
	if _, err := admin.Exec(ctx, fmt.Sprintf("alter database %s rename to %s", building, name)); err != nil {
		return "", err
	}
	return name, nil
}

// hashStoreSource hashes the store's Go source files (not its tests), found beside this file.
func hashStoreSource(h interface{ Write([]byte) (int, error) }) error {
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		return errors.New("postgistest: cannot locate the store's source")
	}
	files, err := filepath.Glob(filepath.Join(filepath.Dir(filepath.Dir(self)), "*.go"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("postgistest: hash store source: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.Base(f), len(b))
		h.Write(b)
	}
	return nil
}

func hashFS(h interface{ Write([]byte) (int, error) }, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
}

// copyOf creates a database from the template tmpl with a random name, dropped when the test
// ends (Drop), and returns its name.
func copyOf(ctx context.Context, t testing.TB, admin *pgx.Conn, tmpl string) string {
	t.Helper()
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	name := "landinv_t_" + hex.EncodeToString(rnd[:])
	if _, err := admin.Exec(ctx, fmt.Sprintf("create database %s template %s", name, tmpl)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	Drop(t, name)
	return name
}

package postgis_test

// data/schema.sql is the schema the migrations make, in one file for a reader: pg_dump
// --schema-only of a freshly migrated database, normalised so that it is the same on every run
// and machine. `make schema` writes it (this file's TestSchemaSnapshot with
// LANDINV_UPDATE_SCHEMA=1); the tests here fail when the migrations change and it was not
// regenerated, or when it differs from what the migrations make.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	execpkg "os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/data"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

const snapshotPath = "../../data/schema.sql"

// migrationsDigest names the migrations and hashes their contents, in file-name order.
func migrationsDigest() (names []string, sum string, err error) {
	entries, err := fs.ReadDir(data.Migrations, "migrations")
	if err != nil {
		return nil, "", err
	}
	h := sha256.New()
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := fs.ReadFile(data.Migrations, "migrations/"+e.Name())
		if err != nil {
			return nil, "", err
		}
		names = append(names, e.Name())
		fmt.Fprintf(h, "%s\x00%d\x00", e.Name(), len(b))
		h.Write(b)
	}
	sort.Strings(names)
	return names, hex.EncodeToString(h.Sum(nil)), nil
}

var digestLine = regexp.MustCompile(`(?m)^-- Migrations sha256: ([0-9a-f]{64})$`)

// TestSchemaSnapshotUpToDate: data/schema.sql was made from today's migrations. It needs no
// database, so it runs everywhere.
func TestSchemaSnapshotUpToDate(t *testing.T) {
	b, err := os.ReadFile(snapshotPath)
	if err != nil {
		t.Fatalf("read data/schema.sql: %v; run `make schema` to write it", err)
	}
	_, sum, err := migrationsDigest()
	if err != nil {
		t.Fatal(err)
	}
	m := digestLine.FindSubmatch(b)
	if m == nil {
		t.Fatal("data/schema.sql has no `-- Migrations sha256:` line; do not edit it by hand: run `make schema`")
	}
	if string(m[1]) != sum {
		t.Fatalf("data/migrations changed since data/schema.sql was generated (sha256 %s, now %s): run `make schema` and commit data/schema.sql", m[1], sum)
	}
}

// TestSchemaSnapshot: data/schema.sql is exactly what pg_dump says the migrations make. With
// LANDINV_UPDATE_SCHEMA=1 (`make schema`) it writes the file instead.
func TestSchemaSnapshot(t *testing.T) {
	update := os.Getenv("LANDINV_UPDATE_SCHEMA") == "1"
	u := postgistest.URL(t, false)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	var num int
	err = conn.QueryRow(ctx, "select current_setting('server_version_num')::int").Scan(&num)
	conn.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	major := num / 10000
	old, readErr := os.ReadFile(snapshotPath)
	if !update {
		if readErr != nil {
			t.Fatalf("read data/schema.sql: %v; run `make schema` to write it", readErr)
		}
		if m := regexp.MustCompile(`(?m)^-- Dumped by pg_dump (\d+)`).FindSubmatch(old); m != nil && string(m[1]) != strconv.Itoa(major) {
			t.Skipf("data/schema.sql was dumped by pg_dump %s; this server is PostgreSQL %d, whose dump reads differently", m[1], major)
		}
	}
	pgDump, err := findPgDump(major)
	if err != nil {
		t.Fatal(err)
	}
	var out, stderr bytes.Buffer
	cmd := execpkg.CommandContext(ctx, pgDump, "--schema-only", "--no-owner", "--no-privileges", "--dbname", u)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", pgDump, err, stderr.String())
	}
	names, sum, err := migrationsDigest()
	if err != nil {
		t.Fatal(err)
	}
	got := renderSnapshot(normaliseDump(out.String()), major, names, sum)
	if update {
		if err := os.WriteFile(snapshotPath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote data/schema.sql (%d lines)", strings.Count(got, "\n"))
		return
	}
	if got != string(old) {
		t.Fatalf("data/schema.sql is not the schema the migrations make (%s); do not edit it by hand: run `make schema` and commit it", firstDifference(string(old), got))
	}
}

// findPgDump returns a pg_dump of the server's major version: PostgreSQL's own (Debian's
// /usr/lib/postgresql/N/bin), else the one on PATH when its version matches.
func findPgDump(major int) (string, error) {
	candidates := []string{fmt.Sprintf("/usr/lib/postgresql/%d/bin/pg_dump", major)}
	if p, err := execpkg.LookPath("pg_dump"); err == nil {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		v, err := execpkg.Command(p, "--version").Output()
		if err != nil {
			continue
		}
		// "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
		f := strings.Fields(string(v))
		if len(f) >= 3 && strings.HasPrefix(f[2], strconv.Itoa(major)+".") {
			return p, nil
		}
	}
	return "", fmt.Errorf("no pg_dump of PostgreSQL %d (tried %s); install postgresql-client-%d", major, strings.Join(candidates, ", "), major)
}

// dumpEntry is one object of a pg_dump script: its "-- Name: ...; Type: ...; ..." line and its
// statements.
type dumpEntry struct {
	Head string
	Body string
}

var (
	entryHead = regexp.MustCompile(`(?m)^--\n(-- (?:Name|Data for Name): .*; Type: .*; Schema: .*; Owner: .*)\n--\n`)
	// Lines that vary with the pg_dump build or run, or only set up the restoring session.
	volatileLine = regexp.MustCompile(`(?m)^(\\restrict .*|\\unrestrict .*|-- Dumped from database version .*|-- Dumped by pg_dump version .*|SET [a-z_]+ = .*;|SELECT pg_catalog\.set_config\(.*\);)\n`)
	dumpTrailer  = regexp.MustCompile(`(?s)--\n-- PostgreSQL database dump complete\n--\n.*$`)
)

// normaliseDump splits a pg_dump script into its objects and drops what varies between runs
// and machines: the \restrict key, version comments, SET lines, and the extensions' comments
// (PostGIS's own objects are never in a dump: the extension is its CREATE EXTENSION line).
func normaliseDump(s string) []dumpEntry {
	s = volatileLine.ReplaceAllString(s, "")
	s = dumpTrailer.ReplaceAllString(s, "")
	locs := entryHead.FindAllStringSubmatchIndex(s, -1)
	var out []dumpEntry
	for i, loc := range locs {
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		e := dumpEntry{Head: s[loc[2]:loc[3]], Body: strings.Trim(s[loc[1]:end], "\n")}
		if strings.Contains(e.Head, "Name: EXTENSION ") && strings.Contains(e.Head, "Type: COMMENT;") {
			continue
		}
		out = append(out, e)
	}
	return out
}

// renderSnapshot writes data/schema.sql: a header, then the objects as pg_dump orders them.
func renderSnapshot(entries []dumpEntry, major int, migrations []string, sum string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `-- data/schema.sql: the inventory's PostgreSQL schema as the migrations leave it, in one file.
--
-- GENERATED by `+"`make schema`"+`: do not edit. The migrations in data/migrations are the source of
-- truth; change the schema with a new migration, then run `+"`make schema`"+` and commit this file.
-- A test (inventory/postgis/schema_test.go) fails while this file and the migrations disagree.
--
-- What it is: pg_dump --schema-only --no-owner --no-privileges of a freshly migrated database,
-- normalised to read the same on every run and machine (no version comments, SET lines or
-- \restrict keys; no comments on extensions). PostGIS and btree_gist appear as one CREATE
-- EXTENSION line each, never their own objects. Functions that later migrations replace appear
-- in their final version. Rows are not included: the code lists (land_use_codes) are filled by
-- 0001, and schema_migrations (the migrations' ledger) is shown empty.
--
-- Dumped by pg_dump %d (PostgreSQL %d).
-- Migrations: %s
-- Migrations sha256: %s
`, major, major, strings.Join(migrations, ", "), sum)
	for _, e := range entries {
		fmt.Fprintf(&b, "\n\n--\n%s\n--\n\n%s\n", e.Head, e.Body)
	}
	return b.String()
}

// firstDifference describes where two texts first differ, by line.
func firstDifference(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y || i >= len(a) || i >= len(b) {
			return fmt.Sprintf("first difference at line %d: the file has %q, the migrations make %q", i+1, x, y)
		}
	}
	return "they differ"
}

// TestSchemaSnapshotNormalise: the normalisation drops exactly what varies.
func TestSchemaSnapshotNormalise(t *testing.T) {
	dump := func(version, key string) string {
		return `--
-- PostgreSQL database dump
--

\restrict ` + key + `

-- Dumped from database version ` + version + `
-- Dumped by pg_dump version ` + version + `

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
SET client_min_messages = warning;

--
-- Name: postgis; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;


--
-- Name: EXTENSION postgis; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION postgis IS 'PostGIS ` + version + `';


--
-- Name: f(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.f() RETURNS void
    LANGUAGE plpgsql
    AS $$
begin
  perform set_config('x', 'y', true);

end $$;


SET default_tablespace = '';

--
-- Name: t; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.t (
    a text
);


--
-- PostgreSQL database dump complete
--

\unrestrict ` + key + `

`
	}
	a := renderSnapshot(normaliseDump(dump("15.4", "abc")), 15, []string{"0001_x.sql"}, "00")
	b := renderSnapshot(normaliseDump(dump("15.20 (Debian)", "xyz")), 15, []string{"0001_x.sql"}, "00")
	if a != b {
		t.Fatalf("the snapshot depends on the pg_dump version or run:\n%s", firstDifference(a, b))
	}
	_, objects, _ := strings.Cut(a, "-- Migrations sha256: 00\n")
	for _, gone := range []string{"restrict", "Dumped from", "SET ", "set_config('search_path'", "COMMENT ON EXTENSION", "dump complete"} {
		if strings.Contains(objects, gone) {
			t.Errorf("the snapshot still has %q:\n%s", gone, a)
		}
	}
	for _, kept := range []string{
		"CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;",
		"  perform set_config('x', 'y', true);\n\nend $$;", // a function body is left as it is
		"-- Name: t; Type: TABLE; Schema: public; Owner: -\n--\n\nCREATE TABLE public.t (\n    a text\n);\n",
	} {
		if !strings.Contains(a, kept) {
			t.Errorf("the snapshot lost %q:\n%s", kept, a)
		}
	}
}

package postgistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Empty returns the connection URL of a fresh, empty database (no schema; with the postgis
// extension when postgis is true), dropped when the test ends: a target for restores.
func Empty(t testing.TB, postgis bool) string {
	t.Helper()
	server := ServerURL()
	if server == "" {
		t.Fatal("no test database: set LANDINV_TEST_DATABASE_URL (or DATABASE_URL) to a PostGIS server where tests may create databases; `make test` does this for you")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to test server: %v", err)
	}
	defer admin.Close(ctx)
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	name := "landinv_e_" + hex.EncodeToString(rnd[:])
	// template0: nothing a site may have added to template1 comes along.
	if _, err := admin.Exec(ctx, fmt.Sprintf("create database %s template template0", name)); err != nil {
		t.Fatalf("create empty test database: %v", err)
	}
	Drop(t, name)
	u := withDB(t, server, name)
	if postgis {
		c, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatalf("connect to empty test database: %v", err)
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "create extension postgis"); err != nil {
			t.Fatalf("create extension postgis: %v", err)
		}
	}
	return u
}

// Drop drops the database name (if it exists) when the test ends.
func Drop(t testing.TB, name string) {
	t.Helper()
	server := ServerURL()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Logf("drop test database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, fmt.Sprintf("drop database if exists %s with (force)", pgx.Identifier{name}.Sanitize())); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
}

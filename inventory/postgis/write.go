package postgis

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

var _ inventory.Editor = (*DB)(nil)

func zoneIDOf(ctx context.Context, tx pgx.Tx, zone string) (int, error) {
	var id int
	err := tx.QueryRow(ctx, "select id from zones where code = $1", zone).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, inventory.Errorf(inventory.ENotFound, "zone", "no zone %q", zone)
	}
	if err != nil {
		return 0, fmt.Errorf("zone %s: %w", zone, err)
	}
	return id, nil
}

// writeTx is the entry of every edit: it checks once that the viewer may edit
// (inventory.CanWrite), then runs fn in one transaction, turning database rule violations into
// *inventory.Error (deferred checks included, before the commit).
func (db *DB) writeTx(ctx context.Context, zone string, fn func(tx pgx.Tx, w writer) error) error {
	v := inventory.ViewerFrom(ctx)
	if err := inventory.CanWrite(v); err != nil {
		return err
	}
	zone, err := db.zoneCode(ctx, zone)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		zoneID, err := zoneIDOf(ctx, tx, zone)
		if err != nil {
			return err
		}
		if err := fn(tx, writer{zoneID: zoneID, actor: v.Name}); err != nil {
			return err
		}
		// Run the deferred checks (plants left outside plots) now, so that they answer as
		// rule violations rather than as a failed commit.
		_, err = tx.Exec(ctx, "set constraints all immediate")
		return asError(err)
	})
	return asError(err)
}

// edit writes one version of one feature through the write path (version.go) and returns it.
func (db *DB) edit(ctx context.Context, l *inventory.Layer, zone string, req writeRequest) (*inventory.Version, string, error) {
	var out *inventory.Version
	code := req.code
	err := db.writeTx(ctx, zone, func(tx pgx.Tx, w writer) error {
		var err error
		out, code, err = db.writeVersion(ctx, tx, l, w, req)
		return err
	})
	return out, code, err
}

// Create adds a new feature as version 1.
func (db *DB) Create(ctx context.Context, l *inventory.Layer, zone string, c inventory.Change) (*inventory.Feature, error) {
	_, code, err := db.edit(ctx, l, zone, writeRequest{op: inventory.OpCreate, change: c})
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", l.Name, err)
	}
	return db.Get(ctx, l, zone, code)
}

// Update writes the next version of a live feature.
func (db *DB) Update(ctx context.Context, l *inventory.Layer, zone, code, ifMatch string, c inventory.Change) (*inventory.Feature, error) {
	v, _, err := db.edit(ctx, l, zone, writeRequest{op: inventory.OpUpdate, code: code, ifMatch: ifMatch, change: c})
	if err != nil {
		return nil, fmt.Errorf("update %s %s: %w", l.Name, code, err)
	}
	return db.written(ctx, l, zone, code, v)
}

// Archive writes an archived version of a live feature.
func (db *DB) Archive(ctx context.Context, l *inventory.Layer, zone, code, ifMatch, note string) (*inventory.Version, error) {
	v, _, err := db.edit(ctx, l, zone, writeRequest{op: inventory.OpArchive, code: code, ifMatch: ifMatch,
		change: inventory.Change{Note: note}})
	if err != nil {
		return nil, fmt.Errorf("archive %s %s: %w", l.Name, code, err)
	}
	return v, nil
}

// Restore writes a new version that copies version n. The lifecycle rules are bypassed for
// this one insert (set local landinv.restore); every other rule holds.
func (db *DB) Restore(ctx context.Context, l *inventory.Layer, zone, code string, n int, ifMatch string) (*inventory.Feature, error) {
	v, _, err := db.edit(ctx, l, zone, writeRequest{op: inventory.OpRestore, code: code, ifMatch: ifMatch, restore: n})
	if err != nil {
		return nil, fmt.Errorf("restore %s %s version %d: %w", l.Name, code, n, err)
	}
	return db.written(ctx, l, zone, code, v)
}

// written reads the feature a write left live, marked Unchanged when the write wrote nothing.
func (db *DB) written(ctx context.Context, l *inventory.Layer, zone, code string, v *inventory.Version) (*inventory.Feature, error) {
	f, err := db.Get(ctx, l, zone, code)
	if err == nil && v != nil {
		f.Unchanged = v.Unchanged
	}
	return f, err
}

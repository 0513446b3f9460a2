package importer

import (
	"context"

	"github.com/landinv/landinv/inventory"
)

// Loader loads a read file into the inventory (inventory/postgis implements it).
type Loader interface {
	Import(ctx context.Context, src *Source, opt Options) (*Report, error)
}

// Options says how to import a file.
type Options struct {
	Layer *inventory.Layer
	// Zone is the zone's code; empty means the default zone.
	Zone string
	// SRID overrides the CRS the file declares (0: use the file's).
	SRID int
	// DryRun checks everything and changes nothing.
	DryRun bool
	Note   string
	// Progress, when set, is told how many of total features have been written so far, per
	// stage ("load", "check", "find rejected").
	Progress func(stage string, done, total int)
}

// Rejection is one refused feature of an import: its index in the file (from 0), its code
// when it has one, and why.
type Rejection struct {
	Index  int            `json:"index"`
	Code   string         `json:"code,omitempty"`
	Kind   string         `json:"kind"`
	Field  string         `json:"field,omitempty"`
	Reason string         `json:"reason"`
	Detail map[string]any `json:"detail,omitempty"`
}

// Report says what an import did, or would do.
type Report struct {
	Layer    string `json:"layer"`
	Format   string `json:"format"`
	SRID     int    `json:"srid"`
	CRSFrom  string `json:"crs_from"`
	Encoding string `json:"encoding,omitempty"`
	Total    int    `json:"total"`
	// Created and Updated count the features written: both are 0 unless Committed (a dry run
	// or a refused import writes nothing).
	Created int `json:"created"`
	Updated int `json:"updated"`
	// WouldCreate and WouldUpdate count the features that pass every check and create or
	// update their code: what a dry run would write, or a refused import once its rejected
	// features are fixed (equal to Created and Updated when committed).
	WouldCreate int         `json:"would_create"`
	WouldUpdate int         `json:"would_update"`
	Rejected    []Rejection `json:"rejected"`
	DryRun      bool        `json:"dry_run"`
	Committed   bool        `json:"committed"`
	Seconds     float64     `json:"seconds"`
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/export"
	"github.com/landinv/landinv/web"
)

// runReport: landinv report KIND [--format json|csv|xlsx] [-o FILE] [--district D] [--cluster C]
// [--as-of T] [--group G] [--include plots] [--tolerance-m M] [--frontage-m M] [--table T]
// [--public]. The operator sees confidential figures unless --public is given.
func runReport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		return fmt.Errorf("report: name the report: intensity, compliance, idle, supply, roads or province")
	}
	kind := args[0]
	fs := flag.NewFlagSet("report "+kind, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "json", "json, csv or xlsx")
	out := fs.String("o", "", "write to `FILE` (default: standard output)")
	vals := url.Values{}
	str := func(name, param, usage string) {
		fs.Func(name, usage, func(s string) error { vals.Set(param, s); return nil })
	}
	str("zone", "zone", "zone `CODE` (default: the first zone)")
	str("district", "district", "district `CODES`, comma-separated")
	str("cluster", "cluster", "industry `CLUSTER`")
	str("as-of", "as_of", "as of `TIME` (RFC 3339), or a DATE meaning the end of that day, China time (UTC+8)")
	str("group", "group", "intensity: zone, district or cluster")
	str("include", "include", "intensity: plots (list the plots behind every total)")
	str("table", "table", "csv: the `TABLE` to write")
	str("province", "province", "province: the `PROVINCE` (default: the zone's)")
	num := func(name, param, usage string) {
		fs.Func(name, usage, func(s string) error {
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				return fmt.Errorf("must be a number")
			}
			vals.Set(param, s)
			return nil
		})
	}
	num("tolerance-m", "tolerance_m", "roads: dead-end tolerance in `METRES` (default 5)")
	num("frontage-m", "frontage_m", "roads: frontage distance in `METRES` (default 50)")
	num("loop-cover-pct", "loop_cover_pct", "roads: share of a district a ring must enclose, `PCT` (default 95)")
	public := fs.Bool("public", false, "leave out confidential figures, as the public sees the report")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("report: unexpected argument %q", fs.Arg(0))
	}
	vals.Set("format", *format)
	p, err := web.ParseReportParams(kind, vals)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	viewer := inventory.Viewer{Name: "cli", Role: inventory.RoleAdmin}
	if *public {
		viewer = inventory.Anonymous
	}
	rep, err := inventory.RunReport(inventory.WithViewer(ctx, viewer), db, p)
	if err != nil {
		return fmt.Errorf("report %s: %w", kind, err)
	}
	var buf bytes.Buffer
	switch p.Format {
	case "csv":
		t, err := export.PickTable(rep.Tables(), p.Table)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		err = export.WriteCSV(&buf, t)
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
	case "xlsx":
		if *out == "" {
			return fmt.Errorf("report: --format xlsx needs -o FILE")
		}
		if err := export.WriteXLSX(&buf, *rep.(inventory.Headed).Header(), rep.Tables()); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	default:
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	var w io.Writer = e.stdout
	if *out != "" {
		if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		fmt.Fprintf(e.stderr, "wrote %s (%d bytes)\n", *out, buf.Len())
		return nil
	}
	_, err = w.Write(buf.Bytes())
	return err
}

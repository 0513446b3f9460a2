package postgis_test

import (
	"context"
	"testing"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/inventory/postgis/postgistest"
)

// TestDriftEnquiries: the enquiry statuses and their follow-up rule, in Go
// (inventory.EnquiryStatuses, EnquiryStepOK) and in SQL (the CHECK list, landinv_enquiry_step_ok).
func TestDriftEnquiries(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	tbl, err := readTable(ctx, db.Pool.Pool, "enquiries")
	if err != nil {
		t.Fatal(err)
	}
	checks, err := tbl.allowedValues()
	if err != nil {
		t.Fatal(err)
	}
	if msg := enumMismatch("enquiries.status vs inventory.EnquiryStatuses", inventory.EnquiryStatuses, checks["status"]); msg != "" {
		t.Error(msg)
	}
	if msg := enumMismatch("enquiries.site_layer vs inventory.EnquiryLayers", inventory.EnquiryLayers, checks["site_layer"]); msg != "" {
		t.Error(msg)
	}
	for _, s := range inventory.EnquiryStatuses {
		if _, ok := inventory.EnquiryStatusLabels[s]; !ok {
			t.Errorf("status %s has no label", s)
		}
	}
	for _, a := range inventory.EnquiryStatuses {
		for _, b := range inventory.EnquiryStatuses {
			var ok bool
			if err := db.Pool.QueryRow(ctx, "select landinv_enquiry_step_ok($1, $2)", a, b).Scan(&ok); err != nil {
				t.Fatal(err)
			}
			if ok != inventory.EnquiryStepOK(a, b) {
				t.Errorf("enquiry %s → %s: database says %v, inventory.EnquiryStepOK says %v", a, b, ok, !ok)
			}
		}
	}
	// Hand-made cases of the rule itself.
	for _, c := range []struct {
		a, b string
		ok   bool
	}{{"new", "contacted", true}, {"new", "visiting", false}, {"visiting", "signed", true}, {"signed", "dropped", false},
		{"dropped", "new", false}, {"contacted", "dropped", true}, {"contacted", "new", false}} {
		if inventory.EnquiryStepOK(c.a, c.b) != c.ok {
			t.Errorf("EnquiryStepOK(%s, %s) = %v", c.a, c.b, !c.ok)
		}
	}
}

// TestEnquiryRulesInTheDatabase: whoever writes, the database keeps the follow-up rule, the
// version sequence, the history, what the investor sent, and never deletes.
func TestEnquiryRulesInTheDatabase(t *testing.T) {
	ctx := context.Background()
	db := postgistest.New(t)
	for _, s := range []string{
		`insert into zones (code, name, geom) values ('hand', 'Hand', ST_Multi(ST_MakeEnvelope(111.50, 36.00, 111.60, 36.10, 4326)))`,
		`insert into plots (zone_id, code, land_use, status, geom) values (1, 'P1', '100101', 'ready', ST_Multi(ST_MakeEnvelope(111.51, 36.01, 111.52, 36.02, 4326)))`,
	} {
		if _, err := db.Pool.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	store := db
	id, err := store.CreateEnquiry(ctx, "hand", inventory.NewEnquiry{SiteLayer: "plots", SiteCode: "P1", Name: "A", Phone: "123"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, sql, field string }{
		{"skip a step", "update enquiries set status = 'signed', version = version + 1 where id = $1", "status"},
		{"same version", "update enquiries set status = 'contacted' where id = $1", "version"},
		{"change what was sent", "update enquiries set phone = '999', version = version + 1 where id = $1", "enquiry"},
		{"delete", "delete from enquiries where id = $1", "enquiry"},
	} {
		_, err := db.Pool.Exec(ctx, tc.sql, id)
		e := postgis.AsError(err)
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
		} else if ie, ok := e.(*inventory.Error); !ok || ie.Field != tc.field {
			t.Errorf("%s: %v, want an error naming %s", tc.name, e, tc.field)
		}
	}
	if _, err := db.Pool.Exec(ctx, "update enquiries set status = 'contacted', version = version + 1, updated_by = 'x' where id = $1", id); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, "select count(*) from enquiry_history where enquiry_id = $1", id).Scan(&n); err != nil || n != 2 {
		t.Errorf("history has %d versions (%v), want 2", n, err)
	}
	// The store checks roles: the public cannot list.
	if _, err := store.Enquiries(ctx, "hand"); inventory.ErrorKind(err) != inventory.EUnauthorized {
		t.Errorf("anonymous list: %v", err)
	}
}

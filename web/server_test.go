package web_test

import (
	"testing"

	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/web"
)

// storeDeps are the server's dependencies over one store, as cmd/landinv builds them (bearer
// tokens, no basemap).
func storeDeps(db *postgis.DB) web.Deps {
	sessions, err := web.NewSessions(web.SessionConfig{Accounts: db, Store: db.Sessions()})
	if err != nil {
		panic(err)
	}
	return web.Deps{
		Zones: db, Features: db, Health: db, Editor: db, History: db, Importer: db, Reports: db, Map: db, Tiles: db, TileChanges: db,
		Extents: db,
		Sites:   db, Enquiries: db, Projects: db, Matcher: db, Rankings: db,
		Evaluations:  db,
		Users:        db,
		Authenticate: web.TokenAuthenticator(db.Authenticate),
		Release:      "test", // the lists' ETags name it (TestListETagNamesTheRelease)
		Sessions:     sessions,
	}
}

// newServer builds the server with web.NewServer, the constructor cmd/landinv serves.
func newServer(t testing.TB, d web.Deps) *web.Server {
	t.Helper()
	s, err := web.NewServer(d)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewServerRefusesMissingServices(t *testing.T) {
	for _, drop := range []struct {
		name string
		f    func(*web.Deps)
	}{
		{"Zones", func(d *web.Deps) { d.Zones = nil }},
		{"Features", func(d *web.Deps) { d.Features = nil }},
		{"Editor", func(d *web.Deps) { d.Editor = nil }},
		{"Reports", func(d *web.Deps) { d.Reports = nil }},
	} {
		d := storeDeps(&postgis.DB{})
		drop.f(&d)
		if _, err := web.NewServer(d); err == nil {
			t.Errorf("NewServer without %s: no error", drop.name)
		}
	}
	if _, err := web.NewServer(storeDeps(&postgis.DB{})); err != nil {
		t.Errorf("NewServer with every service: %v", err)
	}
}

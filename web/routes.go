package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/landinv/landinv/inventory"
)

// routes builds the router: every route landinv serves, top to bottom, in this one function.
//
// Each route is registered with the query parameters it takes (s.params, see params.go): any
// other parameter, or one given twice, is a 400 naming it; on the routes that take zone, an
// unknown zone is a 404 naming zone. The page routes take the page's own state instead
// (pageState). Write routes are for planners and admins only: signedIn answers 401 to the public before
// anything else; the store checks the role (403 for a viewer).
//
// Errors are RFC 9457 problem documents; a path that is not here is a 404, a method a path
// does not take a 405.
func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.logRequests, middleware.Recoverer, middleware.GetHead, s.viewer)
	none := s.params() // a route without parameters (lang aside)

	// Health.
	r.With(none).Get("/healthz", healthz) // the process is up
	r.With(none).Get("/readyz", s.readyz) // the database answers (503 otherwise)

	// The land map page (土地一张图) and what it loads.
	r.With(pageState).Get("/", s.mapPage)
	r.With(pageState).Get("/index.html", s.mapPage)
	r.With(none).Get("/assets/*", s.asset)
	r.With(none).Get("/favicon.ico", s.favicon)
	r.With(none).Get("/map-config.json", s.mapConfig)                      // basemap and tile settings
	r.With(s.params("zone")).Get("/tiles/{layer}/{z}/{x}/{y}.mvt", s.tile) // Mapbox Vector Tiles of the plots

	// The report page (charts; prints to A4).
	r.With(pageState).Get("/reports", reportPage)

	r.Route("/api/v1", func(r chi.Router) {
		// About the API, the zones and the viewer.
		r.With(none).Get("/", s.apiIndex)
		r.With(none).Get("/meta", s.meta) // layers, fields, units, filters
		r.With(none).Get("/me", me)       // who the credentials belong to
		r.With(none).Get("/zones", s.zones)
		r.With(s.params("zone")).Get("/zone", s.zone)
		r.With(none).Get("/land-uses", s.landUses) // land-use codes, Chinese and English names

		// The read API, for every layer (layout, plots, plants, idle-sites, roads).
		for _, l := range inventory.Layers() {
			base := "/" + l.Name
			r.With(s.params(listParamNames(l)...)).Get(base, s.list(l))                      // a page of features, filtered
			r.With(s.params("zone", "as_of")).Get(base+"/{code}", s.get(l))                  // one feature, now or as of a time
			r.With(s.params("zone")).Get(base+"/{code}/history", history(s.deps.History, l)) // every version
		}
		r.With(s.params("zone")).Get("/plots/{code}/nearest-road", s.nearestRoad)

		// The write API: planners and admins only (signedIn: 401 for the public; the store's
		// inventory.CanWrite answers 403 for a viewer).
		edit := r.With(signedIn)
		for _, l := range inventory.Layers() {
			base := "/" + l.Name
			edit.With(s.params("zone")).Post(base, create(s.deps.Editor, l))                               // create (201)
			edit.With(s.params("zone")).Patch(base+"/{code}", update(s.deps.Editor, l))                    // change (If-Match)
			edit.With(s.params("zone", "note")).Delete(base+"/{code}", archive(s.deps.Editor, l))          // archive (If-Match)
			edit.With(s.params("zone", "version")).Post(base+"/{code}/restore", restore(s.deps.Editor, l)) // copy version N
		}
		edit.With(s.params("zone", "layer", "crs", "map", "dry_run", "note")).Post("/import", importFile(s.deps.Importer, s.importSlots))

		// The reports: JSON, CSV or XLSX.
		r.With(none).Get("/reports", reportIndex)
		for _, kind := range inventory.ReportKinds {
			r.With(s.params(reportParamNames(kind)...)).Get("/reports/"+kind, report(s.deps.Reports, kind))
		}
		r.With(none).Get("/reports/{kind}", unknownReport) // 404 naming report
	})

	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "", "no such path: %s", r.URL.Path))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusMethodNotAllowed, "method not allowed", r.Method+" is not allowed on "+r.URL.Path, "", nil)
	})
	return r
}

package web

import (
	"net/http"
	"net/http/pprof"

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
// Each route that reaches the database is tagged with the kind of query it asks for
// (s.kind; s.listKind decides by the list's parameters, see cost.go): the kind sets the
// request's deadline, its statement timeout and admission in the store, and the public's rate
// limit. A new route must be tagged too.
//
// Responses are gzipped when the client accepts it (compress, compress.go).
//
// Read replicas (replica.go): the read routes take min_revision (and honour the revision an
// If-None-Match or If-Match ETag names), so that a read reflects at least that revision; the
// write routes answer with the revision their commit reached (s.writeRevision).
//
// Errors are RFC 9457 problem documents; a path that is not here is a 404, a method a path
// does not take a 405.
func (s *Server) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.observe, compress(), middleware.Recoverer, middleware.GetHead, s.viewer, noteViewer)
	none := s.params() // a route without parameters (lang aside)
	read, tile, write, reports := s.kind(inventory.KindRead), s.kind(inventory.KindTile), s.kind(inventory.KindWrite), s.kind(inventory.KindReport)

	// Health.
	r.With(none).Get("/healthz", healthz)                               // the process is up
	r.With(s.kind(inventory.KindHealth), none).Get("/readyz", s.readyz) // the database answers (503 otherwise)
	if s.deps.PublicMetrics {
		r.With(none).Get("/metrics", s.metrics.Handler().ServeHTTP) // Prometheus metrics (else on DebugHandler only)
	}

	// The land map page (土地一张图) and what it loads.
	r.With(read, pageState).Get("/", s.mapPage)
	r.With(read, pageState).Get("/index.html", s.mapPage)
	r.With(none).Get("/assets/*", s.asset)
	r.With(none).Get("/favicon.ico", s.favicon)
	r.With(read, none).Get("/map-config.json", s.mapConfig)                                               // basemap and tile settings
	r.With(tile, s.featureParams("zone", MinRevisionParam)).Get("/tiles/{layer}/{z}/{x}/{y}.mvt", s.tile) // Mapbox Vector Tiles of the plots
	r.With(none).Get("/basemap/{file}", s.basemapFile)                                                    // a local PMTiles basemap (range requests) and its style
	r.With(none).Get("/glyphs/{fontstack}/{range}", s.glyphs)                                             // the labels' SDF glyphs (built from a CJK font)

	// The report page (charts; prints to A4).
	r.With(pageState).Get("/reports", s.reportPage)

	// Site sheets (招商推介单): one printable page per plot and building, public figures only
	// (site.go); ?lang=en for English.
	r.With(s.params("zone")).Get("/sites/plots/{code}", s.siteSheet(inventory.PlotLayer))
	r.With(s.params("zone")).Get("/sites/plants/{code}", s.siteSheet(inventory.PlantLayer))
	r.With(none).Get("/sites/sheet.js", sheetScript) // copy link, print, enquiry form

	// The sign-in page (name and password; back to next afterwards).
	r.With(pageState).Get("/signin", s.signInPage)

	r.Route("/api/v1", func(r chi.Router) {
		// About the API, the zones and the viewer.
		r.With(none).Get("/", s.apiIndex)
		r.With(none).Get("/meta", s.meta) // layers, fields, units, filters
		r.With(none).Get("/me", s.me)     // who the credentials belong to (and a session's csrf_token)
		if s.deps.Users != nil {          // one's own API tokens, for a GIS client (tokens.go)
			r.With(signedInPerson, read, none).Get("/me/tokens", s.myTokens)
			r.With(signedInPerson, write, none).Post("/me/tokens", s.createMyToken)
			r.With(signedInPerson, write, none).Delete("/me/tokens/{id}", s.revokeMyToken)
		}

		// Sessions for people: sign in with a name and password (204 and a cookie; 401; 429),
		// sign out. Writes by cookie need X-CSRF-Token (auth.go, session.go).
		r.With(none).Post("/session", s.signIn)
		r.With(none).Delete("/session", s.signOut)
		r.With(read, s.params(append(zonesParams, MinRevisionParam)...)).Get("/zones", s.zones) // a page of the zones (limit, offset, after, province)
		r.With(read, s.params("zone", MinRevisionParam)).Get("/zone", s.zone)
		r.With(read, none).Get("/land-uses", s.landUses) // land-use codes, Chinese and English names

		// The read API, for every layer (layout, plots, plants, idle-sites, roads).
		for _, l := range inventory.Layers() {
			base := "/" + l.Name
			r.With(s.listKind, s.featureParams(listParamNames(l)...)).Get(base, s.list(l))                           // a page of features, filtered
			r.With(read, s.featureParams("zone", "as_of", MinRevisionParam)).Get(base+"/{code}", s.get(l))           // one feature, now or as of a time
			r.With(read, s.params("zone", MinRevisionParam)).Get(base+"/{code}/history", history(s.deps.History, l)) // every version
		}
		r.With(read, s.params("zone", MinRevisionParam)).Get("/plots/{code}/nearest-road", s.nearestRoad)

		// The write API: planners and admins only (signedIn: 401 for the public; the store's
		// inventory.CanWrite answers 403 for a viewer).
		edit := r.With(signedIn, write, s.writeRevision)
		for _, l := range inventory.Layers() {
			base := "/" + l.Name
			edit.With(s.params("zone")).Post(base, create(s.deps.Editor, l, "/api/v1"+base+"/"))           // create (201)
			edit.With(s.params("zone")).Patch(base+"/{code}", update(s.deps.Editor, l))                    // change (If-Match)
			edit.With(s.params("zone", "note")).Delete(base+"/{code}", archive(s.deps.Editor, l))          // archive (If-Match)
			edit.With(s.params("zone", "version")).Post(base+"/{code}/restore", restore(s.deps.Editor, l)) // copy version N
		}
		r.With(signedIn, s.kind(inventory.KindImport), s.writeRevision, s.params("zone", "layer", "crs", "map", "dry_run", "note", "year")).Post("/import", importFile(s.deps.Importer, s.importSlots, s.metrics))

		// Enquiries (招商线索, enquiry.go): anyone posts (rate-limited per client, honeypot,
		// length limits); planners and admins list them and record the follow-up (If-Match).
		r.With(s.enquiryLimit(), s.params("zone")).Post("/enquiries", postEnquiry(s.deps.Enquiries))
		edit.With(s.params("zone")).Get("/enquiries", listEnquiries(s.deps.Enquiries))
		edit.With(s.params("zone")).Patch("/enquiries/{id}", patchEnquiry(s.deps.Enquiries))

		// Enterprises (企业), their annual figures and the per-mu benefit evaluation (亩均效益评价,
		// enterprise.go, evaluation.go): confidential, for viewers who may see confidential figures
		// only (confidentialOnly: 401 for the public, 403 for others); writes for planners.
		r.Group(func(r chi.Router) {
			r.Use(confidentialOnly)
			el := inventory.EnterpriseLayer
			r.With(s.listKind, s.featureParams(listParamNames(el)...)).Get("/enterprises", s.list(el))
			r.With(read, s.featureParams("zone", "as_of")).Get("/enterprises/{code}", s.get(el))
			r.With(read, s.params("zone")).Get("/enterprises/{code}/history", history(s.deps.History, el))
			r.With(read, s.params("zone", "as_of")).Get("/enterprises/{code}/figures/{year}", s.getFigures)
			r.With(read, s.params("zone")).Get("/enterprises/{code}/figures/{year}/history", s.figuresHistory)
			r.With(read, s.params("zone", "as_of")).Get("/evaluations/{year}/scheme", s.getScheme)
			r.With(read, s.params("zone", "grade", "cluster", "district", "credit_code")).Get("/evaluations/{year}", s.getEvaluation)
			r.With(read, s.params("zone")).Get("/evaluations/{year}/history", s.evaluationHistory)
			r.With(read, s.params("zone")).Get("/evaluations/{year}/plots", s.plotGrades) // the map's colouring by grade
			edit := r.With(signedIn, write)
			edit.With(s.params("zone")).Post("/enterprises", create(s.deps.Editor, el, "/api/v1/enterprises/"))
			edit.With(s.params("zone")).Patch("/enterprises/{code}", update(s.deps.Editor, el))
			edit.With(s.params("zone", "note")).Delete("/enterprises/{code}", archive(s.deps.Editor, el))
			edit.With(s.params("zone", "version")).Post("/enterprises/{code}/restore", restore(s.deps.Editor, el))
			edit.With(s.params("zone")).Put("/enterprises/{code}/figures/{year}", s.putFigures)
			edit.With(s.params("zone", "plot", "kind")).Post("/enterprises/{code}/idle-case", s.openIdleCase) // reclamation: open an idle-land case
			edit.With(s.params("zone")).Put("/evaluations/{year}/scheme", s.putScheme)
			edit.With(reports, s.params("zone")).Post("/evaluations/{year}", s.evaluate)
			edit.With(s.params("zone", "until")).Post("/evaluations/{year}/publish", s.publish)
			edit.With(s.params("zone")).Post("/evaluations/{year}/finalize", s.finalize)
			edit.With(s.params("zone")).Post("/evaluations/{year}/objections", s.object)
		})

		// Investment projects (招商项目, project.go): confidential (confidentialOnly: 401 for the
		// public, 403 for a viewer); the generic layer handlers with history and as_of, the stage
		// action, an enquiry turned into a project and the sites that can take a project. Writes
		// for planners and admins (If-Match, the store checks the role).
		r.Group(func(r chi.Router) {
			r.Use(confidentialOnly)
			pl := inventory.ProjectLayer
			r.With(s.listKind, s.featureParams(listParamNames(pl)...)).Get("/projects", s.list(pl))
			r.With(read, s.featureParams("zone", "as_of", MinRevisionParam)).Get("/projects/{code}", s.get(pl))
			r.With(read, s.params("zone", MinRevisionParam)).Get("/projects/{code}/history", history(s.deps.History, pl))
			if s.deps.Matcher != nil { // site matching (选址匹配), when a matcher is given
				r.With(read, s.params("zone", "layer", "limit", "weights")).Get("/projects/{code}/matches", s.projectMatches)
			}
			if s.deps.Rankings != nil { // the zone's ranking rule of site matching (ranking.go)
				r.With(read, s.params("zone", "as_of")).Get("/projects/ranking", s.getRanking)
				r.With(signedIn, write, s.params("zone")).Put("/projects/ranking", s.putRanking)
			}
			edit := r.With(signedIn, write, s.writeRevision)
			edit.With(s.params("zone")).Post("/projects", create(s.deps.Editor, pl, "/api/v1/projects/"))
			edit.With(s.notRankingPath, s.params("zone")).Patch("/projects/{code}", update(s.deps.Editor, pl))
			edit.With(s.notRankingPath, s.params("zone", "note")).Delete("/projects/{code}", archive(s.deps.Editor, pl))
			edit.With(s.params("zone", "version")).Post("/projects/{code}/restore", restore(s.deps.Editor, pl))
			edit.With(s.params("zone")).Post("/projects/{code}/stage", s.projectStage)
			edit.With(s.params("zone")).Post("/enquiries/{id}/project", s.enquiryProject)
		})

		// The reports: JSON, CSV or XLSX.
		r.With(none).Get("/reports", reportIndex)
		for _, kind := range inventory.ReportKinds {
			rr := r.With(reports)
			if kind == inventory.ReportPipeline { // investment projects: confidential (401 public, 403 viewer)
				rr = r.With(confidentialOnly, reports)
			}
			rr.With(s.params(reportParamNames(kind)...)).Get("/reports/"+kind, report(s.deps.Reports, kind))
		}
		r.With(none).Get("/reports/{kind}", unknownReport) // 404 naming report
	})

	// OGC API – Features Parts 1–5 and OGC API – Tiles (ogc_*.go): the same reads (StreamList)
	// and writes (Editor) as /api/v1, for QGIS, ArcGIS and GDAL. One route per collection.
	r.Route("/ogc", func(r chi.Router) {
		r.With(none).Get("/", s.ogcLanding)
		r.With(none).Get("/conformance", ogcConformanceDoc)
		r.With(none).Get("/tileMatrixSets", ogcTileMatrixSets)
		r.With(none).Get("/tileMatrixSets/WebMercatorQuad", ogcTileMatrixSet)
		r.With(none).Get("/api", s.ogcAPI)               // OpenAPI 3.0 (service-desc)
		r.With(none).Get("/api.html", s.ogcAPIHTML)      // service-doc
		r.With(none).Get("/styles/land-map", s.ogcStyle) // MapLibre style of the land map's tiles
		r.With(read, s.params("zone")).Get("/collections", s.ogcCollections)
		r.With(read, s.params("zone")).Get("/collections/zones", s.ogcCollection("zones"))
		r.With(read, s.params("limit", "offset", "f")).Get("/collections/zones/items", s.ogcZoneItems)
		r.With(read, s.params("f")).Get("/collections/zones/items/{code}", s.ogcZoneItem)
		for _, l := range inventory.Layers() {
			base := "/collections/" + l.Name
			r.With(read, s.params("zone")).Get(base, s.ogcCollection(l.Name))
			r.With(s.listKind, s.ogcItemsParamsCheck(l)).Get(base+"/items", s.ogcItems(l))
			r.With(read, s.params(ogcItemParams...)).Get(base+"/items/{code}", s.ogcItem(l))
			for _, kind := range []string{"queryables", "sortables", "schema"} {
				r.With(none).Get(base+"/"+kind, ogcSchema(l, kind))
			}
			r.With(none).Get(base+"/feature-schema", ogcFeatureSchema(l))
			if tl, ok := inventory.TileLayers[l.Name]; ok && s.deps.Tiles != nil {
				r.With(read, s.params("zone")).Get(base+"/tiles", s.ogcTilesets(tl))
				r.With(read, s.params("zone")).Get(base+"/tiles/WebMercatorQuad", s.ogcTileset(tl))
				r.With(read, s.params("zone")).Get(base+"/tiles/WebMercatorQuad/tilejson", s.ogcTileJSON(tl))
				r.With(tile, s.featureParams("zone", MinRevisionParam)).Get(base+"/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}", s.ogcTile(tl))
			}
			// Part 4: planners and admins only, If-Match as on /api/v1.
			edit := r.With(signedIn, write, s.writeRevision, s.params("zone"), s.ogcContentCRS)
			edit.Post(base+"/items", create(s.deps.Editor, l, "/ogc"+base+"/items/"))
			edit.Put(base+"/items/{code}", replace(s.deps.Editor, l))
			edit.Patch(base+"/items/{code}", update(s.deps.Editor, l))
			edit.Delete(base+"/items/{code}", archive(s.deps.Editor, l))
		}
	})

	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		Problem(w, r, inventory.Errorf(inventory.ENotFound, "", "no such path: %s", r.URL.Path))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusMethodNotAllowed, "method not allowed", r.Method+" is not allowed on "+r.URL.Path, "", nil)
	})
	return r
}

// DebugHandler is the ops listener's handler (landinv serve --debug-addr, localhost by
// default): the Go profiler under /debug/pprof/ and the Prometheus metrics at /metrics (when m
// is set), on a mux of its own. Neither is on the main listener (the metrics only with
// Deps.PublicMetrics); http.DefaultServeMux, where net/http/pprof also registers itself, is
// never served.
func DebugHandler(m *Metrics) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index) // the index and every named profile (heap, goroutine, …)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile) // CPU profile, ?seconds=N
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace) // execution trace, ?seconds=N
	if m != nil {
		mux.Handle("/metrics", m.Handler())
	}
	return mux
}

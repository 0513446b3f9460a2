package main

import (
	"github.com/go-chi/chi/v5"

	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/web"
)

// Editing: bearer-token sign-in, the write API, history and restore.
func init() {
	configure = append(configure, func(db *postgis.DB, s *web.Server) {
		s.Authenticate = web.TokenAuthenticator(db.Authenticate)
	})
	mounts = append(mounts, func(db *postgis.DB, s *web.Server) func(r chi.Router) {
		return web.EditRoutes(db)
	})
	mounts = append(mounts, func(db *postgis.DB, s *web.Server) func(r chi.Router) {
		return web.ImportRoutes(db)
	})
}

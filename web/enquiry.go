package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"

	"github.com/landinv/landinv/inventory"
)

// Enquiries (招商线索): anyone may leave one (POST /api/v1/enquiries); planners and admins list
// them and record their follow-up (GET, PATCH). Anti-spam, without outside services:
//
//   - a per-client rate limit: at most Deps.EnquiryLimit posts (default DefaultEnquiryLimit)
//     per client IP address (the connection's, not a forwarded header) per EnquiryWindow, refused
//     or not; more are answered 429 with Retry-After;
//   - a honeypot: the form carries a field "website" hidden from people; a body with it filled is
//     answered exactly like a stored enquiry (201) but with id 0, and nothing is stored, so that
//     a bot learns nothing;
//   - length limits (inventory.EnquiryLimits) and a body of at most MaxEnquiryBytes: a 422 (413
//     for the body) problem naming the field.

// Enquiry limits.
const (
	DefaultEnquiryLimit = 10
	EnquiryWindow       = time.Hour
	MaxEnquiryBytes     = 16 << 10
)

// HoneypotField is the enquiry form's hidden field; people leave it empty.
const HoneypotField = "website"

// enquiryLimit is the per-client rate limit of POST /api/v1/enquiries.
func (s *Server) enquiryLimit() func(http.Handler) http.Handler {
	n := s.deps.EnquiryLimit
	if n <= 0 {
		n = DefaultEnquiryLimit
	}
	return httprate.LimitBy(n, EnquiryWindow, func(r *http.Request) (string, error) {
		return s.clientAddr(r), nil
	}, httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
		s.tooManyRequests(w, EnquiryWindow, "", "too many enquiries from this address; try again later or use the contact on the site sheet")
	}))
}

// postEnquiry answers POST /api/v1/enquiries: 201 with the new enquiry's id, and nothing of what
// was stored.
func postEnquiry(es inventory.EnquiryService) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			inventory.NewEnquiry
			Website string `json:"website"`
		}
		if err := readJSONBody(w, r, MaxEnquiryBytes, &in); err != nil {
			ProblemBody(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if strings.TrimSpace(in.Website) != "" {
			// The honeypot is filled: a bot. Answer as if stored; store nothing.
			writeJSON(w, http.StatusCreated, map[string]any{"id": 0})
			return
		}
		id, err := es.CreateEnquiry(r.Context(), zoneOf(r), in.NewEnquiry)
		if err != nil {
			ProblemBody(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"id": id})
	}
}

// listedEnquiry is an enquiry as the list shows it, with the ETag a PATCH sends as If-Match.
type listedEnquiry struct {
	inventory.Enquiry
	ETag string `json:"etag"`
}

// listEnquiries answers GET /api/v1/enquiries (planners and admins): the zone's enquiries,
// newest first.
func listEnquiries(es inventory.EnquiryService) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		list, err := es.Enquiries(r.Context(), zoneOf(r))
		if err != nil {
			Problem(w, r, err)
			return
		}
		out := make([]listedEnquiry, len(list))
		for i := range list {
			out[i] = listedEnquiry{list[i], list[i].ETag()}
		}
		w.Header().Set("Cache-Control", "private, no-store")
		writeJSON(w, http.StatusOK, map[string]any{"enquiries": out, "number_matched": len(out), "statuses": inventory.EnquiryStatuses})
	}
}

// patchEnquiry answers PATCH /api/v1/enquiries/{id} (planners and admins): {status, reply}
// under If-Match (428 without, 412 when stale); 200 with the enquiry and its new ETag.
func patchEnquiry(es inventory.EnquiryService) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
		if err != nil || id < 1 {
			Problem(w, r, inventory.Errorf(inventory.ENotFound, "id", "no enquiry %q", chi.URLParam(r, "id")))
			return
		}
		var c inventory.EnquiryChange
		if err := readJSONBody(w, r, MaxEnquiryBytes, &c); err != nil {
			ProblemBody(w, r, err)
			return
		}
		e, err := es.UpdateEnquiry(r.Context(), zoneOf(r), id, r.Header.Get("If-Match"), c)
		if err != nil {
			ProblemBody(w, r, err)
			return
		}
		w.Header().Set("ETag", e.ETag())
		w.Header().Set("Cache-Control", "private, no-store")
		writeJSON(w, http.StatusOK, listedEnquiry{*e, e.ETag()})
	}
}

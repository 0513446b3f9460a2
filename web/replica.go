package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/landinv/landinv/inventory"
)

// Read-your-writes with read replicas (读己之写). The store may answer reads from hot standbys
// (inventory/replica.go, inventory/postgis/replica.go); this is how a client that has just
// written makes sure it reads what it wrote:
//
//   - every write answers with the inventory revision its commit reached, in the header
//     Landinv-Revision (writeRevision); lists and tiles carry the revision they show in their
//     ETag as well (W/"plots-REV-…", "REV");
//   - a read route that takes min_revision=REV, or gets such an ETag in If-None-Match or
//     If-Match, is answered only from a database that has replayed at least REV: a replica that
//     has, else the primary (readRevision, called by s.params). Never silently older;
//   - a single feature's ETag ("plots-CODE-vN") names a version, not a revision: a read naming
//     one that a replica answers with an older version (or not at all) is read again from the
//     primary (freshFeature);
//   - a browser that wrote gets the cookie landinv_rev=REV for a minute (EditorWindow), which
//     the read routes take as min_revision: the editor's own map and lists show the edit at
//     once, whichever process or replica serves them.
//
// Without replicas all of this costs nothing: everything reads the primary.

// MinRevisionParam is the read routes' parameter naming the revision a read must reflect.
const MinRevisionParam = "min_revision"

// RevisionHeader is the response header of writes naming the revision their commit reached.
const RevisionHeader = "Landinv-Revision"

// revisionCookie holds the revision of the browser's last write for EditorWindow.
const revisionCookie = "landinv_rev"

// EditorWindow is how long a browser's reads wait for its own last write (revisionCookie).
const EditorWindow = 60 // seconds

// parseMinRevision reads min_revision: a whole number ≥ 0 (0: any).
func parseMinRevision(raw string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || n < 0 {
		return 0, inventory.Errorf(inventory.EInvalid, MinRevisionParam, "must be a whole number ≥ 0: a revision from a write's %s header or an ETag", RevisionHeader)
	}
	return n, nil
}

// readRevision returns the revision r's reads must reflect: the highest of min_revision (when
// takesParam), the revisions named by the ETags in If-None-Match and If-Match, and the
// editor's cookie. A malformed min_revision is EInvalid; ETags and the cookie that carry no
// revision are ignored.
func readRevision(r *http.Request, takesParam bool) (int64, error) {
	var rev int64
	if takesParam {
		if v, ok := r.URL.Query()[MinRevisionParam]; ok {
			n, err := parseMinRevision(v[0])
			if err != nil {
				return 0, err
			}
			rev = n
		}
	}
	for _, h := range []string{"If-None-Match", "If-Match"} {
		for _, line := range r.Header.Values(h) {
			for _, tag := range strings.Split(line, ",") {
				if n, ok := etagRevision(tag); ok {
					rev = max(rev, n)
				}
			}
		}
	}
	if c, err := r.Cookie(revisionCookie); err == nil {
		if n, err := strconv.ParseInt(c.Value, 10, 64); err == nil && n > 0 {
			rev = max(rev, n)
		}
	}
	return rev, nil
}

// etagRevision reads the revision an ETag of a list (W/"LAYER-REV-HEX16") or a tile ("REV")
// carries.
func etagRevision(tag string) (int64, bool) {
	tag = strings.TrimSpace(tag)
	tag = strings.TrimPrefix(tag, "W/")
	if len(tag) < 3 || tag[0] != '"' || tag[len(tag)-1] != '"' {
		return 0, false
	}
	tag = tag[1 : len(tag)-1]
	if n, err := strconv.ParseInt(tag, 10, 64); err == nil && n >= 0 {
		return n, true
	}
	i := strings.LastIndexByte(tag, '-')
	if i < 0 || len(tag)-i-1 != 16 || !isHex(tag[i+1:]) {
		return 0, false
	}
	j := strings.LastIndexByte(tag[:i], '-')
	if j < 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(tag[j+1:i], 10, 64)
	return n, err == nil && n >= 0
}

func isHex(s string) bool {
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// featureTagVersion reads the version a single feature's ETag in If-None-Match or If-Match
// names ("LAYER-CODE-vN", "-public" for the public's tag); 0 when none does.
func featureTagVersion(r *http.Request) int {
	v := 0
	for _, h := range []string{"If-None-Match", "If-Match"} {
		for _, line := range r.Header.Values(h) {
			for _, tag := range strings.Split(line, ",") {
				tag = strings.Trim(strings.TrimPrefix(strings.TrimSpace(tag), "W/"), `"`)
				tag = strings.TrimSuffix(tag, "-public")
				i := strings.LastIndex(tag, "-v")
				if i < 0 {
					continue
				}
				if n, err := strconv.Atoi(tag[i+2:]); err == nil && n > v {
					v = n
				}
			}
		}
	}
	return v
}

// freshFeature reads a feature with read, again from the primary when the request names a
// version of it (featureTagVersion) that the first answer (from a replica) does not reach.
func freshFeature(r *http.Request, read func(context.Context) (*inventory.Feature, error)) (*inventory.Feature, error) {
	ctx := r.Context()
	f, err := read(ctx)
	want := featureTagVersion(r)
	if want == 0 || !inventory.ReadsFromReplica(ctx) {
		return f, err
	}
	if err == nil && f.Version >= want || err != nil && inventory.ErrorKind(err) != inventory.ENotFound {
		return f, err
	}
	return read(inventory.WithPrimary(ctx))
}

// writeRevision is the middleware of the write routes: a successful write's response carries
// the revision the inventory has reached after it (RevisionHeader; read from the primary after
// the commit, so it is at least the write's own), and a browser gets it as the cookie of its
// EditorWindow.
func (s *Server) writeRevision(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&revisionWriter{ResponseWriter: w, r: r, s: s}, r)
	})
}

type revisionWriter struct {
	http.ResponseWriter
	r    *http.Request
	s    *Server
	done bool
}

func (w *revisionWriter) WriteHeader(status int) {
	if !w.done {
		w.done = true
		if status >= 200 && status < 300 && w.r.Method != http.MethodGet && w.r.Method != http.MethodHead && w.s.deps.Features != nil {
			if rev, err := w.s.deps.Features.Revision(inventory.WithPrimary(w.r.Context())); err == nil {
				w.Header().Set(RevisionHeader, strconv.FormatInt(rev, 10))
				http.SetCookie(w.ResponseWriter, &http.Cookie{Name: revisionCookie, Value: strconv.FormatInt(rev, 10),
					Path: "/", MaxAge: EditorWindow, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: w.r.TLS != nil})
			}
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *revisionWriter) Write(b []byte) (int, error) {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *revisionWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// replicaCollector reports the read replicas when scraped (MetricsSources.Replicas): it checks
// them then, so a scrape also brings a replica that answers again back into use.
type replicaCollector struct {
	src interface {
		ReplicaStatus(ctx context.Context) []inventory.ReplicaStatus
	}
}

var (
	replicaUpDesc = prometheus.NewDesc("landinv_db_replica_up",
		"1 when the read replica answered its last check and takes reads, else 0 (reads go to the primary).", []string{"replica"}, nil)
	replicaLagDesc = prometheus.NewDesc("landinv_db_replica_lag_seconds",
		"How far the read replica's replay is behind: 0 when it has replayed everything the primary wrote, else the age of the last transaction it replayed (pg_last_xact_replay_timestamp).", []string{"replica"}, nil)
	replicaLagBytesDesc = prometheus.NewDesc("landinv_db_replica_lag_bytes",
		"WAL the primary wrote that the read replica has not replayed yet.", []string{"replica"}, nil)
	replicaRevisionDesc = prometheus.NewDesc("landinv_db_replica_revision",
		"The inventory revision the read replica has replayed.", []string{"replica"}, nil)
	replicaStatementsDesc = prometheus.NewDesc("landinv_db_replica_statements_total",
		"Statements the read replica answered.", []string{"replica"}, nil)
	replicaFallbacksDesc = prometheus.NewDesc("landinv_db_replica_fallbacks_total",
		"Statements that went to the primary because the read replica failed or refused them.", []string{"replica"}, nil)
)

func (c replicaCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{replicaUpDesc, replicaLagDesc, replicaLagBytesDesc, replicaRevisionDesc, replicaStatementsDesc, replicaFallbacksDesc} {
		ch <- d
	}
}

func (c replicaCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	for _, r := range c.src.ReplicaStatus(ctx) {
		up := 0.0
		if r.OK {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(replicaUpDesc, prometheus.GaugeValue, up, r.Host)
		if r.LagSeconds >= 0 {
			ch <- prometheus.MustNewConstMetric(replicaLagDesc, prometheus.GaugeValue, r.LagSeconds, r.Host)
		}
		if r.LagBytes >= 0 {
			ch <- prometheus.MustNewConstMetric(replicaLagBytesDesc, prometheus.GaugeValue, float64(r.LagBytes), r.Host)
		}
		if r.Revision >= 0 {
			ch <- prometheus.MustNewConstMetric(replicaRevisionDesc, prometheus.GaugeValue, float64(r.Revision), r.Host)
		}
		ch <- prometheus.MustNewConstMetric(replicaStatementsDesc, prometheus.CounterValue, float64(r.Statements), r.Host)
		ch <- prometheus.MustNewConstMetric(replicaFallbacksDesc, prometheus.CounterValue, float64(r.Fallbacks), r.Host)
	}
}

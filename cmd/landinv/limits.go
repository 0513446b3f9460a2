package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/landinv/landinv/inventory"
	"github.com/landinv/landinv/inventory/postgis"
	"github.com/landinv/landinv/web"
)

// dbOptions reads the pool's size and the statement timeouts from the environment (README,
// "Limits and operations"):
//
//	LANDINV_DB_MAX_CONNS=16      the pool's size (capped to the server's max_connections)
//	LANDINV_DB_COSTLY_CONNS=4    how many of them costly reads, reports and imports may hold
//	LANDINV_TIMEOUT_READ=5s      statement timeout of a kind: HEALTH, READ, COSTLY, TILE,
//	                             WRITE, REPORT, IMPORT (Go durations)
//	LANDINV_DB_EXEC_MODE=exec    pgx's query exec mode (postgis.ExecModes; default
//	                             cache_statement; behind PgBouncer in transaction mode
//	                             cache_describe or exec); default_query_exec_mode in
//	                             DATABASE_URL wins
//
// An unset variable takes the default; a malformed one is an error naming it.
func dbOptions(getenv func(string) string) (postgis.Options, error) {
	var o postgis.Options
	for _, v := range []struct {
		name string
		dst  *int
	}{{"LANDINV_DB_MAX_CONNS", &o.MaxConns}, {"LANDINV_DB_COSTLY_CONNS", &o.CostlyConns}} {
		if s := getenv(v.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				return o, fmt.Errorf("%s=%q: must be a whole number ≥ 1", v.name, s)
			}
			*v.dst = n
		}
	}
	if s := getenv("LANDINV_DB_EXEC_MODE"); s != "" {
		if err := postgis.CheckExecMode(s); err != nil {
			return o, fmt.Errorf("LANDINV_DB_EXEC_MODE=%q: %w", s, err)
		}
		o.ExecMode = s
	}
	// LANDINV_FEATURE_CACHE_MB: the feature cache's bound in MiB (0: no cache).
	if s := getenv("LANDINV_FEATURE_CACHE_MB"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 1<<20 {
			return o, fmt.Errorf("LANDINV_FEATURE_CACHE_MB=%q: must be a whole number of MiB ≥ 0 (0: no cache)", s)
		}
		o.FeatureCacheBytes = int64(n) << 20
		if n == 0 {
			o.FeatureCacheBytes = -1
		}
	}
	// DATABASE_READ_URL: read replicas (hot standbys), comma-separated.
	for _, u := range strings.Split(getenv("DATABASE_READ_URL"), ",") {
		if u = strings.TrimSpace(u); u != "" {
			o.ReadURLs = append(o.ReadURLs, u)
		}
	}
	o.Timeouts = inventory.DefaultTimeouts()
	for _, k := range inventory.QueryKinds {
		name := "LANDINV_TIMEOUT_" + strings.ToUpper(string(k))
		if s := getenv(name); s != "" {
			d, err := time.ParseDuration(s)
			if err != nil || d <= 0 {
				return o, fmt.Errorf("%s=%q: must be a positive duration, e.g. 5s", name, s)
			}
			o.Timeouts[k] = d
		}
	}
	return o, nil
}

// deadlines are the requests' deadlines by kind: twice their statement timeout (a request runs
// a few statements), at least 5 s.
func deadlines(t inventory.Timeouts) map[inventory.QueryKind]time.Duration {
	out := map[inventory.QueryKind]time.Duration{}
	for _, k := range inventory.QueryKinds {
		out[k] = max(5*time.Second, 2*t.Of(k))
	}
	return out
}

// webLimits are the HTTP server's limits from the statement timeouts and the serve flags; a
// flag's 0 is no limit.
func webLimits(t inventory.Timeouts, perMinute, costlyPerMinute, failedAuthPerMinute int) web.Limits {
	l := web.Limits{Deadlines: deadlines(t), AnonymousPerMinute: perMinute, AnonymousCostlyPerMinute: costlyPerMinute,
		FailedAuthPerMinute: failedAuthPerMinute}
	if failedAuthPerMinute <= 0 {
		l.FailedAuthPerMinute = -1 // web.Limits: negative is no limit, 0 its default
	}
	return l
}

// envInt reads a whole number ≥ 0 from the environment variable name, def when it is unset; a
// malformed one is an error naming it.
func envInt(getenv func(string) string, name string, def int) (int, error) {
	s := getenv(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s=%q: must be a whole number ≥ 0", name, s)
	}
	return n, nil
}

// cliKind is the kind of query a command's statements are bounded as: the long kinds, since a
// command is run by an operator, not by the public.
func cliKind(command string) inventory.QueryKind {
	switch command {
	case "report":
		return inventory.KindReport
	case "user", "token":
		return inventory.KindWrite
	}
	return inventory.KindImport
}

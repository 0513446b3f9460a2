package postgis

import (
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Connection poolers (连接池, PgBouncer). The store keeps no state in a database session that
// outlives a transaction, so that it works through PgBouncer in transaction pooling mode, where
// each transaction may run on a different server connection:
//
//   - every statement runs in a transaction of its own (pool.go), and what it sets it sets with
//     SET LOCAL: the statement timeout and serial plans (sessionSettings below), never a
//     startup parameter, which PgBouncer would refuse; the one exception is the shared read of
//     the revision without replicas (revisiongate.go), and the text of one version by id for the
//     index of codes (codeindex.go), each a single statement in its own implicit transaction
//     that sets nothing, bounded by its context's deadline (Pool.single); the plan cache mode
//     of the reads by key (withGenericPlan) is set with SET LOCAL as well;
//   - locks are transaction-level (pg_advisory_xact_lock in the write path and the import);
//     only the migrations take a session lock (Migrate), and they connect directly to the
//     database (DATABASE_MIGRATE_URL in cmd/landinv);
//   - named prepared statements, which pgx's default exec mode (cache_statement) makes and
//     which PgBouncer 1.18 does not carry from one server connection to another, are avoided by
//     choosing another exec mode (Options.ExecMode, or default_query_exec_mode in the URL):
//     cache_describe (one round trip once a statement's types are known; the unnamed statement
//     is parsed again with each execution) or exec (one round trip, text format). describe_exec
//     needs two round trips on one server connection and simple_protocol interpolates values
//     into the SQL on the client; neither is recommended.

// ExecModes are the names Options.ExecMode takes, pgx's names for its query exec modes.
var ExecModes = []string{"cache_statement", "cache_describe", "describe_exec", "exec", "simple_protocol"}

// execMode returns the pgx exec mode named name.
func execMode(name string) (pgx.QueryExecMode, error) {
	switch name {
	case "cache_statement":
		return pgx.QueryExecModeCacheStatement, nil
	case "cache_describe":
		return pgx.QueryExecModeCacheDescribe, nil
	case "describe_exec":
		return pgx.QueryExecModeDescribeExec, nil
	case "exec":
		return pgx.QueryExecModeExec, nil
	case "simple_protocol":
		return pgx.QueryExecModeSimpleProtocol, nil
	}
	return 0, fmt.Errorf("unknown query exec mode %q: one of %s", name, strings.Join(ExecModes, ", "))
}

// CheckExecMode reports whether name is an exec mode Options.ExecMode takes ("" is: pgx's
// default, or the URL's).
func CheckExecMode(name string) error {
	if name == "" {
		return nil
	}
	_, err := execMode(name)
	return err
}

// applyExecMode sets the pool's exec mode from opts unless the URL names one
// (default_query_exec_mode), which wins, as pool_max_conns does.
func applyExecMode(cfg *pgxpool.Config, url, name string) error {
	if name == "" || strings.Contains(url, "default_query_exec_mode") {
		return nil
	}
	m, err := execMode(name)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	cfg.ConnConfig.DefaultQueryExecMode = m
	return nil
}

// sessionSettings returns the SET LOCAL statements every transaction of the pool starts with
// beside its statement timeout. They are not startup parameters, which PgBouncer refuses (and
// which would hold for a server connection rather than for landinv's transactions).
//
// Serial plans: on a small machine a parallel plan costs more to start than it saves on the
// short queries a request makes (a 1,000-feature page took 42–46 ms with parallel workers,
// 28–29 ms serial; its count 17–21 ms against 2.5–3.8 ms). They are set in the statement that
// opens the transaction, so they cost no round trip. A URL that sets
// max_parallel_workers_per_gather itself wins: it stays a startup parameter, as asked (behind
// PgBouncer it then needs ignore_startup_parameters).
//
// No JIT either: PostGIS functions carry high planner costs, so a report's query passes
// jit_above_cost and spends 0.7–1 s compiling expressions before it runs (the roads report's
// loop query: 750 ms with JIT, 37 ms without, on 100 000 plots).
func sessionSettings(cfg *pgxpool.Config) string {
	var s string
	for _, kv := range sessionLocals(cfg) {
		s += "; set local " + kv[0] + " = " + kv[1]
	}
	return s
}

// sessionLocals are sessionSettings as names and values (Pool.settingsSQL).
func sessionLocals(cfg *pgxpool.Config) [][2]string {
	var l [][2]string
	if _, set := cfg.ConnConfig.RuntimeParams["max_parallel_workers_per_gather"]; !set {
		l = append(l, [2]string{"max_parallel_workers_per_gather", "0"})
	}
	if _, set := cfg.ConnConfig.RuntimeParams["jit"]; !set {
		l = append(l, [2]string{"jit", "off"})
	}
	return l
}

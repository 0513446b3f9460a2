package postgis

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/inventory"
)

// Backup and restore (备份与恢复) use PostgreSQL's own programs: pg_dump writes the whole
// database (schema, every version row of every layer, users and token hashes, the revision
// counter, sequences and schema_migrations) as one custom-format archive, from one snapshot;
// pg_restore reads it into an empty database in one transaction.
//
// A full restore creates tables, loads their rows, and only then creates the indexes,
// constraints and triggers (pg_dump's post-data section). The append-only history triggers
// therefore neither fire nor block during a restore, without --disable-triggers and without
// superuser rights; every rule is back in force when the restore commits.

// BackupSummary describes what a backup holds (read in the dump's own snapshot) or what a
// restore brought back.
type BackupSummary struct {
	// Migration is the highest applied schema migration.
	Migration int
	// Revision is the inventory's revision counter (the ETag's source).
	Revision int64
	// Versions counts the rows (every version, archived ones included) of each layer's table.
	Versions map[string]int64
	// Users and Tokens count accounts and API tokens (only their hashes are stored).
	Users, Tokens int64
	// Bytes is the size of the archive file.
	Bytes int64
}

// String sums the summary up on one line.
func (s *BackupSummary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "schema migration %04d, revision %d", s.Migration, s.Revision)
	for _, l := range inventory.Layers() {
		fmt.Fprintf(&b, ", %s %d", l.Table, s.Versions[l.Table])
	}
	fmt.Fprintf(&b, " versions, %d users, %d tokens", s.Users, s.Tokens)
	return b.String()
}

// summarize reads the summary in q's snapshot.
func summarize(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (*BackupSummary, error) {
	s := &BackupSummary{Versions: map[string]int64{}}
	err := q.QueryRow(ctx, `select (select max(version) from schema_migrations), (select n from inventory_revision),
		(select count(*) from users), (select count(*) from api_tokens)`).Scan(&s.Migration, &s.Revision, &s.Users, &s.Tokens)
	if err != nil {
		return nil, err
	}
	for _, l := range inventory.Layers() {
		var n int64
		if err := q.QueryRow(ctx, "select count(*) from "+pgx.Identifier{l.Table}.Sanitize()).Scan(&n); err != nil {
			return nil, err
		}
		s.Versions[l.Table] = n
	}
	return s, nil
}

// Backup writes the database to file as a pg_dump custom-format archive (pg_dump -Fc
// --no-owner --no-privileges). The dump and the returned summary read one snapshot, exported
// from a repeatable-read transaction, so they agree with each other and with one committed
// state of the inventory; writers are not blocked meanwhile. The archive is written beside
// file and renamed over it only when complete. bin is the directory of pg_dump; empty finds
// the one of the server's major version (see FindPGBin).
func (db *DB) Backup(ctx context.Context, file, bin string) (*BackupSummary, error) {
	bin, err := db.FindPGBin(ctx, bin)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	conn, env, err := clientConn(db.Pool.Config().ConnString())
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*.partial")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name()) // a no-op once renamed

	var sum *BackupSummary
	err = pgx.BeginTxFunc(ctx, db.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var snapshot string
		if err := tx.QueryRow(ctx, "select pg_export_snapshot()").Scan(&snapshot); err != nil {
			return err
		}
		var landinv bool
		if err := tx.QueryRow(ctx, "select to_regclass('schema_migrations') is not null and to_regclass('inventory_revision') is not null").Scan(&landinv); err != nil {
			return err
		}
		if !landinv {
			return errors.New("the database holds no landinv inventory (no schema_migrations); check DATABASE_URL")
		}
		if sum, err = summarize(ctx, tx); err != nil {
			return err
		}
		// The transaction stays open while pg_dump runs: the snapshot lives as long as it.
		return runPG(ctx, filepath.Join(bin, "pg_dump"), env, "--format=custom", "--no-owner", "--no-privileges",
			"--snapshot="+snapshot, "--file="+tmp.Name(), "--dbname="+conn)
	})
	if err != nil {
		return nil, fmt.Errorf("backup to %s: %w", file, err)
	}
	if err := syncFile(tmp.Name()); err != nil {
		return nil, fmt.Errorf("backup to %s: %w", file, err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return nil, fmt.Errorf("backup to %s: %w", file, err)
	}
	if st, err := os.Stat(file); err == nil {
		sum.Bytes = st.Size()
	}
	return sum, nil
}

// RestoreBackup restores a Backup archive into this database, which must be empty: no tables
// at all (an extension's own tables, such as PostGIS's spatial_ref_sys, do not count). A
// database that already holds anything is refused, whatever it is: a restore never writes
// over an inventory. The whole restore is one transaction (pg_restore --single-transaction
// --exit-on-error): it happens entirely or not at all. Ownership and grants are not restored
// (--no-owner --no-privileges): the restoring role owns everything. The extensions are created
// when missing (CREATE EXTENSION IF NOT EXISTS), so the role needs the right to create PostGIS
// (a superuser, or a database where a superuser already ran `create extension postgis`).
// Afterwards the tables are analysed for the planner, and the revision counter is moved on
// (moveRevisionOn): the summary's Revision is the restored inventory's new one.
func (db *DB) RestoreBackup(ctx context.Context, file, bin string) (*BackupSummary, error) {
	fail := func(err error) (*BackupSummary, error) { return nil, fmt.Errorf("restore %s: %w", file, err) }
	bin, err := db.FindPGBin(ctx, bin)
	if err != nil {
		return fail(err)
	}
	if err := db.checkEmpty(ctx); err != nil {
		return fail(err)
	}
	conn, env, err := clientConn(db.Pool.Config().ConnString())
	if err != nil {
		return fail(err)
	}
	restore := filepath.Join(bin, "pg_restore")
	toc, err := outputPG(ctx, restore, env, "--list", file)
	if err != nil {
		return fail(fmt.Errorf("not a readable pg_dump archive: %w", err))
	}
	keepSRS, err := db.mayRestoreSRS(ctx, restore, env, file)
	if err != nil {
		return fail(err)
	}
	list, err := restoreList(toc, keepSRS)
	if err != nil {
		return fail(err)
	}
	listFile, err := os.CreateTemp("", "landinv-restore-*.list")
	if err != nil {
		return fail(err)
	}
	defer os.Remove(listFile.Name())
	if _, err := listFile.Write(list); err != nil {
		listFile.Close()
		return fail(err)
	}
	if err := listFile.Close(); err != nil {
		return fail(err)
	}
	err = runPG(ctx, restore, env, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
		"--use-list="+listFile.Name(), "--dbname="+conn, file)
	if err != nil {
		return fail(err)
	}
	// At once, and even when ctx has ended (an interrupted restore): the rows are in, and a
	// second restore would be refused, so this is the only chance.
	mctx, cancel := endCtx(ctx)
	rev, err := moveRevisionOn(mctx, db.Pool)
	cancel()
	if err != nil {
		return fail(fmt.Errorf("%w; the rows are restored: move the counter on by hand before serving: %s", err, moveRevisionSQL))
	}
	if _, err := db.Pool.Exec(ctx, "analyze"); err != nil {
		return fail(fmt.Errorf("analyze: %w", err))
	}
	sum, err := summarize(ctx, db.Pool)
	if err != nil {
		return fail(err)
	}
	if sum.Revision != rev {
		return fail(fmt.Errorf("the revision moved on to %d, then read as %d", rev, sum.Revision))
	}
	if st, err := os.Stat(file); err == nil {
		sum.Bytes = st.Size()
	}
	return sum, nil
}

// mayRestoreSRS says whether the archive's rows of spatial_ref_sys (only the reference systems
// added to the database, not PostGIS's own) are to be restored. They are when the restoring
// role may insert into spatial_ref_sys (or will create PostGIS itself). When it may not (PostGIS
// made beforehand by a superuser), an archive without such rows skips that table; one with
// them is refused, since dropping them would lose reference systems the data may use.
func (db *DB) mayRestoreSRS(ctx context.Context, restore string, env []string, file string) (bool, error) {
	var may bool
	if err := db.Pool.QueryRow(ctx, `select coalesce(has_table_privilege(to_regclass('public.spatial_ref_sys'), 'INSERT'), true)`).Scan(&may); err != nil {
		return false, fmt.Errorf("check spatial_ref_sys: %w", err)
	}
	if may {
		return true, nil
	}
	out, err := outputPG(ctx, restore, env, "--data-only", "--table=spatial_ref_sys", "--file=-", file)
	if err != nil {
		return false, err
	}
	rows, inCopy := 0, false
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "COPY public.spatial_ref_sys "):
			inCopy = true
		case line == `\.`:
			inCopy = false
		case inCopy:
			rows++
		}
	}
	if rows > 0 {
		return false, fmt.Errorf("the backup holds %d spatial reference system(s) of its own, and this role may not add rows to spatial_ref_sys: restore as the owner of the postgis extension (or into a database without it)", rows)
	}
	return false, nil
}

// restoreList checks that an archive's table of contents (pg_restore --list) is a landinv
// backup and returns it without the comments on extensions: COMMENT ON EXTENSION needs the
// extension's owner, which the restoring role need not be when PostGIS was created beforehand
// by a superuser, and the comment is PostGIS's own text anyway. Without keepSRS it also leaves
// out spatial_ref_sys's rows (see mayRestoreSRS). It always leaves out the rows of the tile
// change log (inventory_revision_log, inventory_changes; migration 0078).
func restoreList(toc []byte, keepSRS bool) ([]byte, error) {
	var out bytes.Buffer
	landinv := false
	sc := bufio.NewScanner(bytes.NewReader(toc))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, " TABLE public schema_migrations ") || strings.Contains(line, " TABLE DATA public schema_migrations ") {
			landinv = true
		}
		if strings.Contains(line, " COMMENT - EXTENSION ") || (!keepSRS && strings.Contains(line, " TABLE DATA public spatial_ref_sys ")) {
			continue
		}
		if strings.Contains(line, " TABLE DATA public inventory_revision_log ") || strings.Contains(line, " TABLE DATA public inventory_changes ") {
			// The tile change log (0078) starts empty in a restored database: its rows name
			// transactions of the cluster they were written in, and the revisions they name
			// were the backed-up server's (a running server's copy of the log must not match
			// them to this database's revisions).
			continue
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !landinv {
		return nil, errors.New("the archive holds no landinv inventory (no schema_migrations table)")
	}
	return out.Bytes(), nil
}

// checkEmpty refuses a database that holds any table, view, sequence or function of its own
// (extensions' members do not count).
func (db *DB) checkEmpty(ctx context.Context) error {
	var names []string
	err := db.Pool.QueryRow(ctx, `select coalesce(array_agg(name order by name), '{}') from (
		select format('%I.%I', n.nspname, c.relname) as name
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
		  and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\_toast%'
		  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
		union all
		select format('%I.%I()', n.nspname, p.proname)
		from pg_proc p join pg_namespace n on n.oid = p.pronamespace
		where n.nspname not in ('pg_catalog', 'information_schema')
		  and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
	) o`).Scan(&names)
	if err != nil {
		return fmt.Errorf("check that the database is empty: %w", err)
	}
	if len(names) == 0 {
		return nil
	}
	what := fmt.Sprintf("%d objects of its own: %s", len(names), strings.Join(names[:min(5, len(names))], ", "))
	if len(names) > 5 {
		what += ", …"
	}
	for _, n := range names {
		if n == "public.schema_migrations" {
			what = fmt.Sprintf("a landinv inventory: public.schema_migrations and %d other objects", len(names)-1)
		}
	}
	var dbname string
	_ = db.Pool.QueryRow(ctx, "select current_database()").Scan(&dbname)
	return inventory.Errorf(inventory.EConflict, "database",
		"%s is not empty (%s); a restore goes only into an empty database: create one (createdb NAME, optionally with the postgis extension) and point DATABASE_URL at it",
		dbname, what)
}

// FindPGBin returns the directory of the pg_dump and pg_restore to use with this server. An
// explicit bin (LANDINV_PG_BIN) must hold them, of the server's major version or newer.
// Otherwise the first of these whose programs have the server's major version: Debian's
// /usr/lib/postgresql/MAJOR/bin, `pg_config --bindir`, and the pg_dump on PATH.
func (db *DB) FindPGBin(ctx context.Context, bin string) (string, error) {
	var num int
	if err := db.Pool.QueryRow(ctx, "select current_setting('server_version_num')::int").Scan(&num); err != nil {
		return "", fmt.Errorf("read the server version: %w", err)
	}
	major := num / 10000
	if bin != "" {
		v, err := toolsMajor(ctx, bin)
		if err != nil {
			return "", fmt.Errorf("LANDINV_PG_BIN=%s: %w", bin, err)
		}
		if v < major {
			return "", fmt.Errorf("LANDINV_PG_BIN=%s holds PostgreSQL %d programs, older than the server (%d)", bin, v, major)
		}
		return bin, nil
	}
	candidates := []string{fmt.Sprintf("/usr/lib/postgresql/%d/bin", major)}
	if out, err := exec.CommandContext(ctx, "pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	if p, err := exec.LookPath("pg_dump"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}
	var seen []string
	for _, dir := range candidates {
		v, err := toolsMajor(ctx, dir)
		if err != nil {
			continue
		}
		if v == major {
			return dir, nil
		}
		seen = append(seen, fmt.Sprintf("%s (%d)", dir, v))
	}
	msg := fmt.Sprintf("no pg_dump and pg_restore of PostgreSQL %d found", major)
	if len(seen) > 0 {
		msg += "; other versions in " + strings.Join(seen, ", ")
	}
	return "", fmt.Errorf("%s: install postgresql-client-%d, or set LANDINV_PG_BIN to their directory", msg, major)
}

// toolsMajor returns the major version of the pg_dump and pg_restore in dir (both must be
// there and agree).
func toolsMajor(ctx context.Context, dir string) (int, error) {
	major := 0
	for _, prog := range []string{"pg_dump", "pg_restore"} {
		out, err := exec.CommandContext(ctx, filepath.Join(dir, prog), "--version").Output()
		if err != nil {
			return 0, fmt.Errorf("%s: %w", prog, err)
		}
		v, err := parsePGVersion(string(out))
		if err != nil {
			return 0, fmt.Errorf("%s: %w", prog, err)
		}
		if major != 0 && v != major {
			return 0, fmt.Errorf("pg_dump is %d but pg_restore is %d", major, v)
		}
		major = v
	}
	return major, nil
}

var pgVersion = regexp.MustCompile(`\(PostgreSQL\) (\d+)(?:\.\d+)?`)

// parsePGVersion reads the major version from `pg_dump --version` ("pg_dump (PostgreSQL) 15.20
// (Debian 15.20-0+deb12u1)").
func parsePGVersion(s string) (int, error) {
	m := pgVersion.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("unrecognised version %q", strings.TrimSpace(s))
	}
	return strconv.Atoi(m[1])
}

// clientConn turns the pool's connection string into what libpq's programs take: the URL
// without the password (handed over in PGPASSWORD, so that it does not show in the process
// list) and without pgx's own pool_* and cache parameters, which libpq would reject.
// Keyword/value strings pass unchanged.
func clientConn(connString string) (string, []string, error) {
	env := os.Environ()
	if !strings.HasPrefix(connString, "postgres://") && !strings.HasPrefix(connString, "postgresql://") {
		return connString, env, nil
	}
	u, err := url.Parse(connString)
	if err != nil {
		return "", nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	q := u.Query()
	for k := range q {
		switch {
		case strings.HasPrefix(k, "pool_"), k == "statement_cache_capacity", k == "description_cache_capacity",
			k == "default_query_exec_mode", k == "min_read_buffer_size", k == "servicefile":
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), env, nil
}

// runPG runs a PostgreSQL program; on failure the error carries the end of what it said.
func runPG(ctx context.Context, prog string, env []string, args ...string) error {
	_, err := outputPG(ctx, prog, env, args...)
	return err
}

func outputPG(ctx context.Context, prog string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 2000 {
			msg = "…" + msg[len(msg)-2000:]
		}
		if msg == "" {
			return nil, fmt.Errorf("%s: %w", filepath.Base(prog), err)
		}
		return nil, fmt.Errorf("%s: %w: %s", filepath.Base(prog), err, msg)
	}
	return stdout.Bytes(), nil
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// moveRevisionOn moves a restored inventory's revision counter past every number the backed-up
// database can have given out, and returns it. The revision is every ETag's and every server
// cache's name for a state of the inventory, so it must never name two: the database backed up
// went on (revision R+1, R+2…) after its backup at R, and a restored one counting on from R
// would give those numbers to other states, which a client's If-None-Match or a running
// server's cached tile would take for the ones they hold. The counter becomes the time in
// microseconds since 1970 when that is larger: a counter grows by one a write, so no database
// counting from an earlier restore (or from 0) reaches the time of a later one. It runs right
// after pg_restore commits, before anything that may fail or be interrupted.
func moveRevisionOn(ctx context.Context, p *Pool) (int64, error) {
	var n int64
	err := p.QueryRow(ctx, moveRevisionSQL).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("move the revision on: %w", err)
	}
	return n, nil
}

// moveRevisionSQL is moveRevisionOn's statement (also what an operator runs by hand when it failed).
const moveRevisionSQL = `update inventory_revision set n = greatest(n + 1, (extract(epoch from clock_timestamp()) * 1000000)::int8) returning n`

package postgistest

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/landinv/landinv/data"
	"github.com/landinv/landinv/inventory/postgis"
)

// Cluster is a throwaway PostgreSQL cluster of one test, for the tests that play faults on
// the database (stop it, start it again, kill a client mid-transaction) without touching the
// shared test server. NewCluster makes it in a temporary folder on a free port, the way
// data/pg/cluster.sh runs the shared one (TCP on 127.0.0.1 only, as the postgres OS user when
// the tests run as root); the test's end stops it and removes it.
type Cluster struct {
	t    testing.TB
	dir  string // the cluster's data folder
	port int
	cred *syscall.Credential // the postgres OS user's, when running as root
	// URL is the connection URL of its database landinv (schema applied, demo data loaded
	// when asked for).
	URL string
}

// PGBin is the folder of PostgreSQL's programs: $LANDINV_PG_BIN, else Debian's PostgreSQL 15.
func PGBin() string {
	if d := os.Getenv("LANDINV_PG_BIN"); d != "" {
		return d
	}
	return "/usr/lib/postgresql/15/bin"
}

// NewCluster starts a throwaway cluster with a database landinv holding the schema and, when
// demo is true, the demo data.
func NewCluster(t testing.TB, demo bool) *Cluster {
	t.Helper()
	bin := PGBin()
	if _, err := os.Stat(filepath.Join(bin, "initdb")); err != nil {
		t.Fatalf("no PostgreSQL programs in %s (set LANDINV_PG_BIN, or run data/pg/cluster.sh once to install them): %v", bin, err)
	}
	c := &Cluster{t: t}
	root, err := os.MkdirTemp("", "landinv-cluster-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	c.dir = filepath.Join(root, "data")
	if err := os.Mkdir(c.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root: run it as postgres, who must reach the folder.
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres OS user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chmod(root, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(c.dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	c.port = freePort(t)
	c.run("initdb", "-D", c.dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
	c.Start()
	t.Cleanup(func() { c.pgctl("stop", "-m", "immediate") }) //nolint:errcheck

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, c.url("postgres"))
	if err != nil {
		t.Fatalf("connect to the throwaway cluster: %v", err)
	}
	if _, err := admin.Exec(ctx, "create database landinv"); err != nil {
		t.Fatal(err)
	}
	admin.Close(ctx)
	c.URL = c.url("landinv")
	db, err := postgis.Open(ctx, c.URL, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Pool.Exec(ctx, "create extension if not exists postgis"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx, data.Migrations, "migrations"); err != nil {
		t.Fatal(err)
	}
	if demo {
		if _, err := db.LoadDataset(ctx, data.Demo, "demo"); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func (c *Cluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Stop stops the cluster (fast shutdown: sessions are ended, transactions rolled back).
func (c *Cluster) Stop() {
	c.t.Helper()
	if out, err := c.pgctl("stop", "-m", "fast", "-w", "-t", "60"); err != nil {
		c.t.Fatalf("stop the throwaway cluster: %v: %s", err, out)
	}
}

// Start starts the cluster (again), on the same port.
func (c *Cluster) Start() {
	c.t.Helper()
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=60 -c shared_buffers=32MB", c.port)
	if out, err := c.pgctl("start", "-w", "-t", "60", "-l", filepath.Join(c.dir, "server.log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
		c.t.Fatalf("start the throwaway cluster: %v: %s\n%s", err, out, log)
	}
}

func (c *Cluster) pgctl(args ...string) ([]byte, error) {
	return c.cmd("pg_ctl", append([]string{"-D", c.dir}, args...)...).CombinedOutput()
}

func (c *Cluster) run(prog string, args ...string) {
	c.t.Helper()
	if out, err := c.cmd(prog, args...).CombinedOutput(); err != nil {
		c.t.Fatalf("%s %s: %v: %s", prog, strings.Join(args, " "), err, out)
	}
}

func (c *Cluster) cmd(prog string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(PGBin(), prog), args...)
	cmd.Dir = os.TempDir()
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
		cmd.Env = append(os.Environ(), "HOME="+os.TempDir())
	}
	return cmd
}

// freePort returns a TCP port on 127.0.0.1 that nothing listens on now.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

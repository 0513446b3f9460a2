package postgistest

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// PgBouncer is a throwaway PgBouncer of one test in transaction pooling mode (Debian's
// pgbouncer 1.18; `make pgbouncer` installs it) in front of the server of a database URL. Any
// database name is passed through to that server; clients are trusted (auth_type trust), and
// the server is reached as the URL's user. The test's end stops it.
type PgBouncer struct {
	// Port is the port it listens on, on 127.0.0.1.
	Port int
	// PoolSize is default_pool_size: the server connections per database and user.
	PoolSize int
	dir      string
	direct   *url.URL
}

// PgBouncerPath is the pgbouncer program: $LANDINV_PGBOUNCER, else Debian's.
func PgBouncerPath() string {
	if p := os.Getenv("LANDINV_PGBOUNCER"); p != "" {
		return p
	}
	if p, err := exec.LookPath("pgbouncer"); err == nil {
		return p
	}
	return "/usr/sbin/pgbouncer"
}

// NewPgBouncer starts PgBouncer in transaction pooling mode with poolSize server connections
// per database in front of the server of directURL (a database on the shared test server or a
// throwaway cluster). The test is skipped when pgbouncer is not installed.
func NewPgBouncer(t testing.TB, directURL string, poolSize int) *PgBouncer {
	t.Helper()
	bin := PgBouncerPath()
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("no pgbouncer (%v): `make pgbouncer` installs Debian's", err)
	}
	u, err := url.Parse(directURL)
	if err != nil {
		t.Fatalf("parse %s: %v", directURL, err)
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "5432"
	}
	dir, err := os.MkdirTemp("", "landinv-pgbouncer-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	pb := &PgBouncer{Port: freePort(t), PoolSize: poolSize, dir: dir, direct: u}
	conf := fmt.Sprintf(`[databases]
* = host=%s port=%s user=%s

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s
admin_users = %s
pool_mode = transaction
default_pool_size = %d
reserve_pool_size = 0
max_client_conn = 200
server_check_delay = 0
logfile = %s
pidfile = %s
`, host, port, u.User.Username(), pb.Port, filepath.Join(dir, "userlist.txt"), u.User.Username(), poolSize,
		filepath.Join(dir, "pgbouncer.log"), filepath.Join(dir, "pgbouncer.pid"))
	for name, content := range map[string]string{
		"pgbouncer.ini": conf,
		"userlist.txt":  fmt.Sprintf("%q \"\"\n", u.User.Username()),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, filepath.Join(dir, "pgbouncer.ini"))
	cmd.Dir = dir
	if os.Geteuid() == 0 {
		// PgBouncer refuses to run as root: run it as postgres, who must write the folder.
		pu, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres OS user: %v", err)
		}
		uid, _ := strconv.Atoi(pu.Uid)
		gid, _ := strconv.Atoi(pu.Gid)
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start pgbouncer: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill() //nolint:errcheck
			<-exited
		}
	})
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-exited:
			t.Fatalf("pgbouncer exited: %v\n%s", err, pb.Log())
		default:
		}
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", pb.Port))
		if err == nil {
			c.Close()
			return pb
		}
		if time.Now().After(deadline) {
			t.Fatalf("pgbouncer does not listen on %d: %v\n%s", pb.Port, err, pb.Log())
		}
	}
}

// URL returns directURL's database through PgBouncer, with the extra query parameters given
// as key, value pairs (e.g. "default_query_exec_mode", "exec").
func (pb *PgBouncer) URL(directURL string, params ...string) string {
	u, err := url.Parse(directURL)
	if err != nil {
		panic(err)
	}
	u.Host = fmt.Sprintf("127.0.0.1:%d", pb.Port)
	q := u.Query()
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// AdminURL is the URL of PgBouncer's admin console (SHOW POOLS, SHOW SERVERS...). It speaks
// the simple query protocol only.
func (pb *PgBouncer) AdminURL() string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/pgbouncer?sslmode=disable&default_query_exec_mode=simple_protocol",
		pb.direct.User.Username(), pb.Port)
}

// Log returns what PgBouncer has logged.
func (pb *PgBouncer) Log() string {
	b, _ := os.ReadFile(filepath.Join(pb.dir, "pgbouncer.log"))
	return string(b)
}

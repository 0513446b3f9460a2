package postgistest

import (
	"os"
	"path/filepath"
	"strconv"
)

// NewStandby makes a hot standby of c by streaming replication, the way
// `data/pg/cluster.sh --standby` makes one of the local cluster: pg_basebackup -R (which writes
// primary_conninfo and standby.signal) into a temporary folder, started on a free port. The
// test's end stops it. Its URL names the same database landinv, read-only.
//
// The primary needs nothing beyond what NewCluster gives it: wal_level replica and
// max_wal_senders are PostgreSQL's defaults, and initdb's pg_hba.conf lets replication
// connections in from 127.0.0.1 (trust, as every local connection here).
func (c *Cluster) NewStandby() *Cluster {
	c.t.Helper()
	s := &Cluster{t: c.t, cred: c.cred}
	root, err := os.MkdirTemp("", "landinv-standby-")
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { os.RemoveAll(root) })
	s.dir = filepath.Join(root, "data")
	if err := os.Mkdir(s.dir, 0o700); err != nil {
		c.t.Fatal(err)
	}
	if s.cred != nil {
		if err := os.Chmod(root, 0o755); err != nil {
			c.t.Fatal(err)
		}
		if err := os.Chown(s.dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			c.t.Fatal(err)
		}
	}
	s.port = freePort(c.t)
	s.run("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "postgres",
		"-D", s.dir, "-R", "-X", "stream", "-c", "fast")
	s.Start()
	c.t.Cleanup(func() { s.pgctl("stop", "-m", "immediate") }) //nolint:errcheck
	s.URL = s.url("landinv")
	return s
}

// Port is the port the cluster listens on (127.0.0.1).
func (c *Cluster) Port() int { return c.port }

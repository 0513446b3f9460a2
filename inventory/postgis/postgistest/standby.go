package postgistest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
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

// scalar runs one query on the cluster's database landinv and scans its one value into dst.
func (c *Cluster) scalar(sql string, dst any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.url("landinv"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.QueryRow(ctx, sql).Scan(dst)
}

// Revision reads the inventory revision in the cluster's database, directly.
func (c *Cluster) Revision() int64 {
	c.t.Helper()
	var n int64
	if err := c.scalar("select n from inventory_revision", &n); err != nil {
		c.t.Fatalf("revision on port %d: %v", c.port, err)
	}
	return n
}

// WaitReplayed waits until the standby s has replayed primary's revision.
func (s *Cluster) WaitReplayed(primary *Cluster) {
	s.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		p, r := primary.Revision(), s.Revision()
		if p == r {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the standby did not catch up: primary at %d, standby at %d", p, r)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// PauseReplay stops the standby's replay (pg_wal_replay_pause) until ResumeReplay: what it
// shows is then frozen, so a read that returns it came from the standby.
func (s *Cluster) PauseReplay() {
	s.t.Helper()
	var state string
	if err := s.scalar("select pg_wal_replay_pause()::text", &state); err != nil {
		s.t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		if err := s.scalar("select pg_get_wal_replay_pause_state()", &state); err != nil {
			s.t.Fatal(err)
		}
		if state == "paused" {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("replay not paused: %s", state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ResumeReplay resumes the standby's replay and waits until it has caught up with primary.
func (s *Cluster) ResumeReplay(primary *Cluster) {
	s.t.Helper()
	var x string
	if err := s.scalar("select pg_wal_replay_resume()::text", &x); err != nil {
		s.t.Fatal(err)
	}
	s.WaitReplayed(primary)
}

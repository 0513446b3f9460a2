#!/usr/bin/env bash
# cluster.sh: make a PostGIS database available and print its DATABASE_URL on the last line.
#
#   data/pg/cluster.sh [DBNAME]                (default DBNAME: landinv)
#   data/pg/cluster.sh --standby [PORT] [DBNAME]
#
# With DATABASE_URL set, it installs and starts nothing and prints that URL back (not with
# --standby, which always works on the local cluster).
# Otherwise it
#   1. installs PostgreSQL 15 and PostGIS 3 from Debian's packages when they are missing
#      (apt-get as root, or through sudo);
#   2. runs a project-local cluster with its data in .pgdata/ (git-ignored), on 127.0.0.1 and
#      port $LANDINV_PGPORT (default 5433), TCP only (no Unix socket, whose path length is
#      limited), as the `postgres` OS user when run as root, since PostgreSQL refuses root;
#   3. creates the database DBNAME and the postgis extension in it.
# Run again, it reuses the running cluster and its data.
#
# --standby makes and starts a hot standby of the local cluster (streaming replication), for
# DATABASE_READ_URL: pg_basebackup -R (which writes primary_conninfo and standby.signal) into
# .pgdata/15-standby-PORT, started on 127.0.0.1:PORT (default: the cluster's port + 1), and
# prints the standby's URL. The primary needs wal_level replica and max_wal_senders > 0
# (PostgreSQL's defaults; checked) and a pg_hba.conf line letting replication connections in
# from 127.0.0.1 (initdb -A trust writes one; added and reloaded when missing). Run again, it
# reuses the standby. Stop it with pg_ctl -D .pgdata/15-standby-PORT stop (as postgres when
# root); remove the folder to make a fresh one.
set -euo pipefail

standby=""
if [ "${1:-}" = "--standby" ]; then
  shift
  standby="${LANDINV_PGPORT:-5433}"
  standby=$((standby + 1))
  if [ -n "${1:-}" ] && [ "$1" -eq "$1" ] 2>/dev/null; then
    standby="$1"
    shift
  fi
  unset DATABASE_URL
fi
dbname="${1:-landinv}"
if [ -n "${DATABASE_URL:-}" ]; then
  echo "cluster.sh: DATABASE_URL is set; using it and installing nothing" >&2
  echo "$DATABASE_URL"
  exit 0
fi

root="$(cd "$(dirname "$0")/../.." && pwd)"
port="${LANDINV_PGPORT:-5433}"
pgbin=/usr/lib/postgresql/15/bin
extdir=/usr/share/postgresql/15/extension

log() { echo "cluster.sh: $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. Packages.
if [ ! -x "$pgbin/postgres" ] || [ ! -f "$extdir/postgis.control" ]; then
  log "installing postgresql-15 and postgresql-15-postgis-3 from Debian's packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    postgresql-15 postgresql-15-postgis-3 postgresql-client-15 >&2
fi

# 2. The cluster. As root, everything runs as the postgres OS user, which must be able to reach
# the data folder: when the checkout is not traversable by it (say, under /root), the data goes
# to a per-checkout folder under /var/tmp instead, and .pgdata becomes a link to it.
pgdata="$root/.pgdata"
run() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  run() { su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; }
  if ! su postgres -s /bin/bash -c "test -x '$root'" 2>/dev/null; then
    alt="/var/tmp/landinv-pgdata-$(echo -n "$root" | md5sum | cut -c1-12)"
    mkdir -p "$alt"
    [ -L "$pgdata" ] || [ -e "$pgdata" ] || ln -s "$alt" "$pgdata"
    pgdata="$alt"
  fi
  mkdir -p "$pgdata"
  chown postgres:postgres "$pgdata"
fi
mkdir -p "$pgdata"
cluster="$pgdata/15"

if [ ! -f "$cluster/PG_VERSION" ]; then
  log "initialising a local cluster in $cluster"
  run "$pgbin/initdb" -D "$cluster" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! run "$pgbin/pg_ctl" -D "$cluster" status >/dev/null 2>&1; then
  log "starting the local cluster on 127.0.0.1:$port"
  run "$pgbin/pg_ctl" -D "$cluster" -w -t 60 -l "$cluster/server.log" \
    -o "-p $port -c unix_socket_directories='' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
fi

# 3. The database and the extension.
psql_() { psql -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ "$(psql_ -d postgres -c "select 1 from pg_database where datname = '$dbname'")" != 1 ]; then
  log "creating database $dbname"
  psql_ -d postgres -c "create database \"$dbname\"" >/dev/null
fi
psql_ -d "$dbname" -c "create extension if not exists postgis" >/dev/null

if [ -z "$standby" ]; then
  echo "postgres://postgres@127.0.0.1:$port/$dbname?sslmode=disable"
  exit 0
fi

# 4. The standby (--standby).
if [ "$(psql_ -d postgres -c "select current_setting('wal_level') <> 'minimal' and current_setting('max_wal_senders')::int > 0")" != t ]; then
  log "the cluster cannot stream WAL: set wal_level = replica and max_wal_senders > 0, then restart it"
  exit 1
fi
hba="$(psql_ -d postgres -c "show hba_file")"
if ! run grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32' "$hba"; then
  log "letting replication connections in from 127.0.0.1 (pg_hba.conf) and reloading"
  run sh -c "echo 'host replication all 127.0.0.1/32 trust' >> '$hba'"
  psql_ -d postgres -c "select pg_reload_conf()" >/dev/null
fi
sdir="$pgdata/15-standby-$standby"
if [ ! -f "$sdir/PG_VERSION" ]; then
  log "making a standby of 127.0.0.1:$port in $sdir (pg_basebackup -R)"
  run "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D "$sdir" -R -X stream -c fast
fi
if ! run "$pgbin/pg_ctl" -D "$sdir" status >/dev/null 2>&1; then
  log "starting the standby on 127.0.0.1:$standby"
  run "$pgbin/pg_ctl" -D "$sdir" -w -t 60 -l "$sdir/server.log" \
    -o "-p $standby -c unix_socket_directories='' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
fi
if [ "$(psql -h 127.0.0.1 -p "$standby" -U postgres -qAt -d postgres -c "select pg_is_in_recovery()")" != t ]; then
  log "127.0.0.1:$standby is not a standby"
  exit 1
fi
echo "postgres://postgres@127.0.0.1:$standby/$dbname?sslmode=disable"

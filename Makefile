# landinv: two commands do all the set-up on a fresh Debian 12 machine.
#   make run    install PostgreSQL 15 + PostGIS 3 when missing, run a project-local cluster,
#               migrate, load the demo data and serve http://localhost:8080
#   make test   the same installation, then every test against a real, throwaway PostGIS
# With DATABASE_URL set, both use that PostGIS and install nothing for the database.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
ADDR ?= :8080
export PATH := /usr/local/go/bin:$(PATH)

.PHONY: all build run test bench db clean

all: build

# bin/landinv: the one binary.
build:
	$(GO) build -o bin/landinv ./cmd/landinv

# db: make a PostGIS database available (prints its URL).
db:
	@data/pg/cluster.sh landinv

run: build
	url="$$(data/pg/cluster.sh landinv)"; \
	DATABASE_URL="$$url" bin/landinv demo; \
	addr="$(ADDR)"; echo "serving on $$addr: open http://localhost:$${addr##*:}/  (DATABASE_URL=$$url)"; \
	DATABASE_URL="$$url" exec bin/landinv serve --addr "$(ADDR)"

# Tests make their own throwaway databases (CREATE DATABASE ... TEMPLATE) on this server.
test: build
	url="$$(data/pg/cluster.sh landinv)"; \
	LANDINV_TEST_DATABASE_URL="$$url" $(GO) test -count=1 ./...

bench: build
	url="$$(data/pg/cluster.sh landinv)"; \
	LANDINV_TEST_DATABASE_URL="$$url" $(GO) test -run '^$$' -bench . -benchmem -benchtime 20x ./...

clean:
	rm -rf bin test-output test-output.log

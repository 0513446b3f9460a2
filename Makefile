# landinv: two commands do all the set-up on a fresh Debian 12 machine.
#   make run    install PostgreSQL 15 + PostGIS 3 when missing, run a project-local cluster,
#               migrate, load the demo data and serve http://localhost:8080
#   make test   the same installation, then every test against a real, throwaway PostGIS,
#               including the land map's browser tests (Debian's chromium, playwright-core)
# `make build` also builds the land map (web/ui: npm ci, then esbuild) into the binary.
# With DATABASE_URL set, both use that PostGIS and install nothing for the database.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
ADDR ?= :8080
export PATH := /usr/local/go/bin:$(PATH)
# apt-get runs directly as root, through sudo otherwise.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build run test bench db clean ui browser gdal nginx pgbouncer schema

all: build

# bin/landinv: the one binary, with the land map embedded.
build: ui
	$(GO) build -o bin/landinv ./cmd/landinv

# ui: the land map's frontend. npm ci when package-lock.json changes (Node and npm from Debian
# when missing), then esbuild bundles web/ui/src and MapLibre GL JS into web/ui/dist.
UI := web/ui
ui: $(UI)/dist/index.html
$(UI)/node_modules/.package-lock.json: $(UI)/package-lock.json
	command -v npm >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q nodejs npm; }
	cd $(UI) && npm ci --no-audit --no-fund
# The labels' glyphs are drawn at build time from Noto Sans CJK (Debian's fonts-noto-cjk).
$(UI)/dist/index.html: $(UI)/node_modules/.package-lock.json $(UI)/build.mjs $(UI)/glyphs.mjs $(wildcard $(UI)/src/*)
	[ -n "$${LANDINV_GLYPH_FONT:-}" ] || [ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q fonts-noto-cjk; }
	cd $(UI) && npm run --silent build

# browser: Debian's chromium for the browser tests, CJK fonts so that screenshots show
# Chinese text (the page itself uses whatever local fonts the user has), and poppler-utils
# (pdftotext, pdftoppm), with which the report test reads the PDFs it prints.
browser:
	command -v chromium >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }
	fc-list :lang=zh 2>/dev/null | grep -q . || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q fonts-noto-cjk; }
	command -v pdftotext >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q poppler-utils; }

# gdal: GDAL's ogr2ogr, with which the tests write the Shapefiles and GeoPackages that the
# importer's readers are checked against (and the import benchmark its 100 000-plot file).
gdal:
	command -v ogr2ogr >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q gdal-bin; }

# nginx, pgbouncer: Debian's nginx and PgBouncer (1.18) for the scale-out tests, which run their
# own instances (configuration in a temporary folder, a free port) and stop them: two
# `landinv serve` behind nginx (cmd/landinv/lb_test.go), landinv through PgBouncer in
# transaction pooling mode (cmd/landinv/pgbouncer_test.go). The packages' own services are
# not needed.
nginx:
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q nginx; }
pgbouncer:
	command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q pgbouncer; }

# db: make a PostGIS database available (prints its URL).
db:
	@data/pg/cluster.sh landinv

run: build
	url="$$(data/pg/cluster.sh landinv)"; \
	DATABASE_URL="$$url" bin/landinv demo; \
	addr="$(ADDR)"; echo "serving on $$addr: open http://localhost:$${addr##*:}/  (DATABASE_URL=$$url)"; \
	DATABASE_URL="$$url" exec bin/landinv serve --addr "$(ADDR)"

# Tests make their own throwaway databases (CREATE DATABASE ... TEMPLATE) on this server.
# The full log goes to test-output.log, screenshots of the browser tests to test-output/.
# Then each fuzz target of the importer's readers runs for a number of inputs (go test -fuzz
# takes one package and one target at a time), about 10 s each on the 2-core CI machine; a
# crash it finds is saved under the package's testdata/fuzz/ and fails the run. A count, not a
# duration: with -fuzztime 15s, Go 1.26's fuzz coordinator sometimes fails a target with a bare
# "context deadline exceeded" at the deadline, no input found (golang/go#75804, fixed in 1.27);
# a count has no deadline to race.
FUZZ := FuzzSHP:700000x:./inventory/importer/shp/ FuzzDBF:500000x:./inventory/importer/shp/ FuzzGPKG:20000x:./inventory/importer/
test: build browser gdal nginx pgbouncer
	url="$$(data/pg/cluster.sh landinv)"; mkdir -p test-output; \
	set +e; LANDINV_E2E=1 LANDINV_TEST_DATABASE_URL="$$url" $(GO) test -count=1 -v ./... > test-output.log 2>&1; rc=$$?; \
	for f in $(FUZZ); do \
		name="$${f%%:*}"; rest="$${f#*:}"; n="$${rest%%:*}"; pkg="$${rest#*:}"; \
		echo "=== FUZZ $$name ($$n inputs)" >> test-output.log; \
		$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime "$$n" "$$pkg" >> test-output.log 2>&1 || rc=1; \
	done; set -e; \
	grep -E '^(ok|FAIL|panic:)|^ *--- FAIL' test-output.log || true; \
	pass=$$(grep -cE '^ *--- PASS' test-output.log || true); fail=$$(grep -cE '^ *--- FAIL' test-output.log || true); \
	skip=$$(grep -cE '^ *--- SKIP' test-output.log || true); \
	echo "full log: test-output.log; browser screenshots: test-output/"; \
	echo "tests: $$pass passed, $$fail failed, $$skip skipped"; \
	exit $$rc

bench: build browser gdal
	mkdir -p test-output; \
	url="$$(data/pg/cluster.sh landinv)"; status=0; \
	{ rc=0; \
	  LANDINV_TEST_DATABASE_URL="$$url" $(GO) test -timeout 60m -run '^$$' -bench . -skip 'BenchmarkImport100kPlots|BenchmarkImportMemory|BenchmarkListMemory' -benchmem -benchtime 20x ./... || rc=1; \
	  LANDINV_TEST_DATABASE_URL="$$url" $(GO) test -run '^$$' -bench BenchmarkImport100kPlots -benchtime 1x ./inventory/postgis/ || rc=1; \
	  LANDINV_TEST_DATABASE_URL="$$url" $(GO) test -run '^$$' -bench 'BenchmarkImportMemory|BenchmarkListMemory' -benchtime 1x -timeout 30m ./cmd/landinv/ || rc=1; \
	  exit $$rc; } 2>&1 | tee test-output/bench.log || status=$$?; \
	awk -f data/bench/goals.awk test-output/bench.log | tee test-output/bench-goals.txt; \
	exit $$status

# schema: regenerate data/schema.sql, today's schema in one file: pg_dump --schema-only of a
# freshly migrated database, normalised (inventory/postgis/schema_test.go writes it). Run it
# after adding a migration and commit the file; a test fails until you do.
schema:
	url="$$(data/pg/cluster.sh landinv)"; \
	LANDINV_UPDATE_SCHEMA=1 LANDINV_TEST_DATABASE_URL="$$url" $(GO) test -count=1 -run '^TestSchemaSnapshot$$' ./inventory/postgis/

clean:
	rm -rf bin test-output test-output.log

// Package cql2 parses OGC CQL2 filters (通用查询语言, OGC API – Features Part 3) in
// CQL2-Text and CQL2-JSON into one tree of Expr nodes, and checks them against a
// collection's queryables. It has no SQL and no HTTP: inventory/postgis compiles a checked
// tree to a bound SQL predicate (CompileCQL2), and the OGC API handler reads the
// parameters. No Go CQL2 library exists on the module proxy, hence this package.
//
// # Use
//
//	e, err := cql2.Parse(filterLang, filter) // syntax: *SyntaxError, *UnsupportedError
//	err = queryables.Check(e)                // *UnknownPropertyError, *TypeError
//	where, args, err := postgis.CompileCQL2(e, columns, crs, args)
//
// Every error converts with errors.As into an EInvalid *inventory.Error about "filter",
// whose Detail holds the byte "position" (CQL2-Text, counted from 0) or the JSON Pointer
// "path" (CQL2-JSON), so the HTTP layer answers 400.
//
// # Grammar (CQL2-Text; keywords and function names are case-insensitive)
//
//	filter     = or
//	or         = and { OR and }
//	and        = not { AND not }
//	not        = NOT not | predicate
//	predicate  = arith [ ("=" | "<>" | "<" | ">" | "<=" | ">=") arith
//	                   | [NOT] LIKE pattern | [NOT] BETWEEN arith AND arith
//	                   | [NOT] IN "(" arith { "," arith } ")" | IS [NOT] NULL ]
//	arith      = term { ("+" | "-") term }      // usual precedence: * and / bind tighter
//	term       = unary { ("*" | "/") unary }
//	unary      = ("-" | "+") unary | primary
//	primary    = property | literal | "(" or ")" | CASEI "(" arith ")"
//	           | S_INTERSECTS "(" arith "," arith ")"
//	           | S_DWITHIN "(" arith "," arith "," number ")"
//	property   = identifier | '"' name with "" for a quote '"'
//	literal    = 'string with '' for a quote' | number | TRUE | FALSE
//	           | TIMESTAMP('2024-05-01T08:00:00Z') | DATE('2024-05-01')
//	           | POINT(x y) | LINESTRING(x y, ...) | POLYGON((x y, ...), ...)
//	           | MULTIPOINT(...) | MULTILINESTRING(...) | MULTIPOLYGON(...)
//	           | BBOX(minx, miny, maxx, maxy)
//	pattern    = string | CASEI "(" string ")"   // % any run, _ one character, \ escapes
//
// This covers the conformance classes Basic CQL2, Advanced Comparison Operators (LIKE,
// BETWEEN, IN), Case-insensitive Comparison (CASEI), Basic Spatial Functions with the
// spatial literals above (S_INTERSECTS), Property-Property Comparisons and Arithmetic
// Expressions (+ - * /). CQL2-JSON gives the same nodes: {"op": "and"|"or"|"not"|"="|...|
// "like"|"between"|"in"|"isNull"|"casei"|"s_intersects"|"s_dwithin"|"+"|..., "args": [...]},
// {"property": name}, {"timestamp": ...}, {"date": ...}, {"bbox": [...]} and GeoJSON
// geometries.
//
// # Extension: S_DWITHIN
//
// S_DWITHIN(a, b, metres) is true when geometries a and b come within the given number of
// metres of each other, measured on the WGS 84 ellipsoid ("plots within 200 m of a road":
// S_DWITHIN(geom, LINESTRING(...), 200)). The distance is a literal number, 0 or more.
//
// # GDAL 3.6 (filter-lang=cql-text)
//
// Debian 12's GDAL 3.6 sends the draft language "cql-text". Observed with ogrinfo -where:
// it writes (a) AND (b), (a) OR (b), NOT (a), (x IS NULL), comparisons and LIKE with
// unquoted property names and ” in strings, ILIKE for case-insensitive LIKE, dates as
// strings ('2024-05-01T', with a stray T, or '2024-05-01T08:00:00Z'), and BETWEEN as
// >= AND <=; it keeps IN for itself. So cql-text is CQL2-Text plus ILIKE (read as
// CASEI(x) LIKE CASEI(pattern)), and Check turns a string compared with a date or timestamp
// property into that date or timestamp (in every language). GDAL 3.6 does not escape '+'
// in the query string: a handler should read filter with url.PathUnescape from the raw
// query for cql-text, or 'a+b' arrives as 'a b'.
//
// # Limits
//
//   - No ACCENTI, temporal functions (T_*), array functions (A_*), other spatial functions,
//     custom functions, INTERVAL, GEOMETRYCOLLECTION, EMPTY geometries, Z or M coordinates,
//     or a BBOX crossing the antimeridian: each is an *UnsupportedError naming it.
//   - A LIKE pattern is a literal (CQL2 allows nothing else) and must not end in a lone \.
//   - Nesting (parentheses, NOT, signs, function calls, JSON objects) is capped at MaxDepth
//     (64) levels; deeper is a *SyntaxError. Long AND/OR chains are flat and not limited,
//     so callers should cap the filter's length.
//   - Invalid UTF-8 and NUL characters are refused (PostgreSQL text cannot hold them).
//   - Geometry literals are checked (rings closed, at least 4 points; lines at least 2) so
//     that PostGIS never sees one it would reject.
//   - Comparisons need both sides of one type class: strings (with enums), numbers
//     (integer and number mix), booleans (= and <> only), dates/timestamps (mix), never
//     geometries; a string compared with an enum property must be one of its values.
package cql2

package cql2

import (
	"strings"

	"github.com/landinv/landinv/inventory"
)

// Filter languages, the values of the OGC API parameter filter-lang.
const (
	LangText = "cql2-text"
	LangJSON = "cql2-json"
	// LangLegacyText is the draft name GDAL 3.6 and older QGIS send. It is CQL2-Text plus
	// ILIKE (see doc.go).
	LangLegacyText = "cql-text"
)

// MaxDepth caps how deeply a filter may nest (parentheses, NOT, unary minus, function
// arguments, JSON arrays and objects), so that parsing never recurses without bound.
const MaxDepth = 64

// Parse parses filter in the language lang ("" means cql2-text). An unknown lang is an
// EInvalid *inventory.Error about the parameter "filter-lang".
func Parse(lang, filter string) (Expr, error) {
	switch strings.ToLower(lang) {
	case "", LangText:
		return ParseText(filter)
	case LangLegacyText:
		return parseText(filter, true)
	case LangJSON:
		return ParseJSON([]byte(filter))
	}
	return nil, inventory.Errorf(inventory.EInvalid, "filter-lang", "unknown filter language %q: use %s, %s or %s", short(lang), LangText, LangJSON, LangLegacyText)
}

// ParseText parses a CQL2-Text filter. The result is a predicate; its properties are not
// yet checked against any queryables (see Queryables.Check).
func ParseText(src string) (Expr, error) { return parseText(src, false) }

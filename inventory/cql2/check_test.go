package cql2

import (
	"errors"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
)

var testQueryables = Queryables{
	"code":          {Type: TypeString},
	"name":          {Type: TypeString},
	"status":        {Type: TypeString, Enum: []string{"ready", "leased", "sold", "idle"}},
	"area_mu":       {Type: TypeNumber},
	"floors":        {Type: TypeInteger},
	"leased_m2":     {Type: TypeNumber},
	"leasable_m2":   {Type: TypeNumber},
	"standard_land": {Type: TypeBoolean},
	"approved_on":   {Type: TypeDate},
	"updated_at":    {Type: TypeTimestamp},
	"geom":          {Type: TypeGeometry},
}

func TestCQLCheckAccepts(t *testing.T) {
	for _, src := range []string{
		`status = 'ready' AND area_mu > 50`,
		`status IN ('ready', 'idle') OR floors BETWEEN 1 AND 3`,
		`name LIKE 'H%' AND CASEI(code) = CASEI('p-1')`,
		`leased_m2 * 100 / leasable_m2 >= 80`,
		`floors + 0.5 > area_mu`,
		`standard_land AND standard_land = FALSE`,
		`approved_on > DATE('2020-01-01') AND updated_at < TIMESTAMP('2024-01-01T00:00:00Z')`,
		`approved_on < updated_at`,
		`updated_at BETWEEN DATE('2020-01-01') AND TIMESTAMP('2021-01-01T00:00:00Z')`,
		`S_INTERSECTS(geom, BBOX(1, 2, 3, 4)) AND S_DWITHIN(geom, POINT(1 2), 200)`,
		`code IS NULL OR geom IS NOT NULL`,
		`status LIKE 're%'`, // LIKE is not held to the enum
	} {
		e, err := ParseText(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if err := testQueryables.Check(e); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
}

func TestCQLCheckRefuses(t *testing.T) {
	for _, c := range []struct {
		src     string
		unknown string // property named by an UnknownPropertyError; else a TypeError
		at      string // the text the error points at
	}{
		{`investment_wan > 0`, "investment_wan", "investment_wan"},
		{`status = 'ready' AND (area_mu > 1 OR "enterprise" IS NULL)`, "enterprise", `"enterprise"`},
		{`S_INTERSECTS(secret_geom, POINT(1 2))`, "secret_geom", "secret_geom"},
		{`area_mu = 'big'`, "", "'big'"},
		{`'big' < area_mu`, "", "area_mu"},
		{`status = 'redy'`, "", "'redy'"},
		{`status IN ('ready', 'sould')`, "", "'sould'"},
		{`area_mu LIKE '1%'`, "", "area_mu"},
		{`CASEI(floors) = 'x'`, "", "floors"},
		{`area_mu + 'x' > 1`, "", "'x'"},
		{`geom = POINT(1 2)`, "", "geom"},
		{`S_INTERSECTS(area_mu, POINT(1 2))`, "", "area_mu"},
		{`area_mu`, "", "area_mu"},
		{`standard_land > FALSE`, "", "standard_land"},
		{`status BETWEEN 'a' AND 'b'`, "", "status"},
		{`approved_on > 'soon'`, "", "'soon'"},
		{`floors = TRUE`, "", "TRUE"},
	} {
		e, err := ParseText(c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		err = testQueryables.Check(e)
		want := strings.Index(c.src, c.at)
		var ue *UnknownPropertyError
		var te *TypeError
		switch {
		case c.unknown != "":
			if !errors.As(err, &ue) || ue.Name != c.unknown || ue.Pos != want {
				t.Errorf("%s: got %v, want unknown property %s at %d", c.src, err, c.unknown, want)
			}
		case !errors.As(err, &te) || te.Pos != want:
			t.Errorf("%s: got %v, want a TypeError at %d", c.src, err, want)
		}
		// Every refusal is a 400-worthy inventory error about "filter" with a position.
		var ie *inventory.Error
		if !errors.As(err, &ie) || ie.Kind != inventory.EInvalid || ie.Field != "filter" || ie.Detail["position"] != want {
			t.Errorf("%s: as inventory.Error: %+v", c.src, ie)
		}
	}
}

// GDAL 3.6 writes dates as strings; Check turns them into temporal literals.
func TestCQLCheckCoercesGDALDates(t *testing.T) {
	for _, c := range []struct{ src, canon string }{
		{`approved_on > '2019-01-01T'`, `("approved_on" > DATE('2019-01-01'))`},
		{`approved_on = '2019-01-01'`, `("approved_on" = DATE('2019-01-01'))`},
		{`updated_at >= '2021-01-01T00:00:00Z'`, `("updated_at" >= TIMESTAMP('2021-01-01T00:00:00Z'))`},
		{`'2021-01-01T08:00:00+08:00' <= updated_at`, `(TIMESTAMP('2021-01-01T00:00:00Z') <= "updated_at")`},
		{`updated_at BETWEEN '2020-01-01' AND '2021-01-01T00:00:00'`, `("updated_at" BETWEEN DATE('2020-01-01') AND TIMESTAMP('2021-01-01T00:00:00Z'))`},
		{`name = '2019-01-01'`, `("name" = '2019-01-01')`}, // a string property keeps its string
	} {
		e, err := Parse(LangLegacyText, c.src)
		if err != nil {
			t.Fatal(err)
		}
		if err := testQueryables.Check(e); err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if e.String() != c.canon {
			t.Errorf("%s: got %s, want %s", c.src, e, c.canon)
		}
	}
}

func TestCQLJSONErrorsConvertWithPath(t *testing.T) {
	e, err := ParseJSON([]byte(`{"op":"and","args":[{"op":"=","args":[{"property":"status"},"ready"]},{"op":">","args":[{"property":"investment_wan"},0]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	err = testQueryables.Check(e)
	var ie *inventory.Error
	if !errors.As(err, &ie) || ie.Detail["path"] != "/args/1/args/0" || ie.Detail["property"] != "investment_wan" {
		t.Errorf("got %v (%+v)", err, ie)
	}
}

func TestCQLParseSortBy(t *testing.T) {
	keys, err := ParseSortBy("-area_mu,code, floors,+name", testQueryables)
	want := []SortKey{{"area_mu", true}, {"code", false}, {"floors", false}, {"name", false}}
	if err != nil || len(keys) != len(want) {
		t.Fatalf("got %v, %v", keys, err)
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Errorf("key %d: got %v, want %v", i, keys[i], want[i])
		}
	}
	for _, bad := range []string{"investment_wan", "geom", "code,,name", "code,-code", "area_mu;drop table plots", "-"} {
		_, err := ParseSortBy(bad, testQueryables)
		if inventory.ErrorKind(err) != inventory.EInvalid {
			t.Errorf("%q: got %v, want invalid", bad, err)
		}
	}
}

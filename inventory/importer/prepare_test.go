package importer

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/landinv/landinv/inventory"
)

func TestParseMapping(t *testing.T) {
	m, err := ParseMapping(" 地块编号=code, 备注=- ")
	if want := map[string]string{"地块编号": "code", "备注": "-"}; err != nil || !reflect.DeepEqual(m, want) {
		t.Errorf("%v, %v; want %v", m, err, want)
	}
	for _, bad := range []string{"a", "a=", "=b", "a=b,a=c"} {
		if _, err := ParseMapping(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestPrepare renames by the mapping and by case, drops "-" fields, converts values to the
// layer's field types, and refuses the file naming every unknown field.
func TestPrepare(t *testing.T) {
	src := &Source{Records: []Record{{Props: map[string]any{
		"地块编号": "GT-01", "LAND_USE": int64(100101), "STATUS": "ready", "备注": "x", "NAME": json.Number("12"),
	}}}}
	m := map[string]string{"地块编号": "code", "备注": "-"}
	if err := Prepare(inventory.PlotLayer, src, m); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"code": "GT-01", "land_use": "100101", "status": "ready", "name": "12"}
	if got := src.Records[0].Props; !reflect.DeepEqual(got, want) {
		t.Errorf("%#v, want %#v", got, want)
	}
	src = &Source{Records: []Record{{Props: map[string]any{"编号": "x", "颜色": "red", "code": "y"}}}}
	err := Prepare(inventory.PlotLayer, src, nil)
	if err == nil || !strings.Contains(err.Error(), "编号, 颜色") {
		t.Errorf("error %v, want one naming 编号 and 颜色", err)
	}
	if err := Prepare(inventory.PlotLayer, &Source{}, map[string]string{"a": "colour"}); err == nil {
		t.Error("a mapping to no property of plots was accepted")
	}
}

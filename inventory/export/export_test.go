package export

import (
	"errors"
	"testing"

	"github.com/landinv/landinv/inventory"
)

func TestPickTable(t *testing.T) {
	tables := []inventory.Table{{Name: "summary"}, {Name: "checks"}}
	tests := []struct {
		name, want string
		kind       string // the error's kind, "" = none
	}{
		{"", "summary", ""},
		{"checks", "checks", ""},
		{"plants", "", inventory.EInvalid},
	}
	for _, tt := range tests {
		got, err := PickTable(tables, tt.name)
		var e *inventory.Error
		switch {
		case tt.kind == "" && err != nil:
			t.Errorf("PickTable(%q): %v", tt.name, err)
		case tt.kind == "" && got.Name != tt.want:
			t.Errorf("PickTable(%q) = %q, want %q", tt.name, got.Name, tt.want)
		case tt.kind != "" && (!errors.As(err, &e) || e.Kind != tt.kind || e.Field != "table"):
			t.Errorf("PickTable(%q): err = %v, want %s on table", tt.name, err, tt.kind)
		}
	}
	if _, err := PickTable(nil, ""); err == nil {
		t.Error("PickTable of no tables: no error")
	}
}

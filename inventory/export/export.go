// Package export writes a report's tables (inventory.Table) as files: CSV (csv.go) and XLSX
// workbooks (xlsx.go). It is the only package that knows these formats; the inventory package
// holds the reports and their tables, and no file format.
package export

import (
	"strings"

	"github.com/landinv/landinv/inventory"
)

// PickTable returns the table named name, or the first table when name is empty. An unknown
// name is an EInvalid error naming the parameter "table".
func PickTable(tables []inventory.Table, name string) (inventory.Table, error) {
	if len(tables) == 0 {
		return inventory.Table{}, inventory.Errorf(inventory.EInternal, "table", "the report has no table")
	}
	if name == "" {
		return tables[0], nil
	}
	names := make([]string, len(tables))
	for i, t := range tables {
		if t.Name == name {
			return t, nil
		}
		names[i] = t.Name
	}
	return inventory.Table{}, inventory.Errorf(inventory.EInvalid, "table", "has unknown value %q; known: %s", name, strings.Join(names, ", "))
}

package cql2

import "github.com/landinv/landinv/inventory"

// GeometryProperty is the name a filter uses for a feature's geometry, as /queryables
// publishes it: S_INTERSECTS(geometry, BBOX(...)).
const GeometryProperty = "geometry"

// LayerQueryables returns the queryables of a layer for a viewer: every field but the JSON
// ones (tenants), typed from the field's type (enums with their values; valid_from is a
// timestamp), plus the geometry. Confidential fields are present only when the viewer may see
// them, so for the public they are unknown properties, the same as a typo.
func LayerQueryables(l *inventory.Layer, v inventory.Viewer) Queryables {
	q := Queryables{GeometryProperty: {Type: TypeGeometry}}
	for _, f := range l.Fields {
		if f.HiddenFrom(v) {
			continue
		}
		var qa Queryable
		switch f.Type {
		case inventory.Number:
			qa.Type = TypeNumber
		case inventory.Integer:
			qa.Type = TypeInteger
		case inventory.Bool:
			qa.Type = TypeBoolean
		case inventory.Date:
			qa.Type = TypeDate
		case inventory.Enum:
			qa = Queryable{Type: TypeString, Enum: f.Enum}
		case inventory.Text:
			qa.Type = TypeString
			if f.Name == "valid_from" {
				qa.Type = TypeTimestamp
			}
		default:
			continue
		}
		q[f.Name] = qa
	}
	return q
}

package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"sort"
	"unicode/utf8"

	"github.com/landinv/landinv/inventory"
)

// ReadGeoJSON reads a FeatureCollection (or one Feature) held in memory; see readGeoJSON.
func ReadGeoJSON(b []byte) (*Source, error) {
	return readGeoJSON(bytes.NewReader(b), int64(len(b)))
}

// readGeoJSON reads a FeatureCollection (or one Feature) feature by feature, each decoded into
// inventory.GeoJSONFeature, the one GeoJSON input type. RFC 7946 GeoJSON is EPSG:4326; an
// older "crs" member naming an EPSG code is honoured, wherever it stands in the document. A
// feature's string id becomes its code when it has no code property. Geometries are handed on
// as they came: the store checks them (inventory.CheckGeometryJSON) and PostGIS parses them.
//
// Memory stays bounded by one feature, whatever the file's size: a first pass checks the whole
// document (syntax, types, the crs member) and counts the features and their property names,
// keeping no feature; the Source then reads the file again, one feature at a time, while the
// store loads it (Source.All). r must stay readable until then.
func readGeoJSON(r io.ReaderAt, size int64) (*Source, error) {
	if err := checkUTF8(r, size); err != nil {
		return nil, err
	}
	gs := &geoJSONStream{r: r, size: size, fields: map[string]uint8{}}
	head, err := gs.walk(func(i int, dec *json.Decoder) error {
		// The members that pass 2 decodes into inventory.GeoJSONFeature with a type to check;
		// the geometry is only scanned.
		var f struct {
			Type       string                     `json:"type"`
			Properties map[string]json.RawMessage `json:"properties"`
			Note       string                     `json:"note"`
		}
		if err := decodeFeature(dec, i, &f); err != nil {
			return err
		}
		if f.Type != "Feature" {
			return inventory.Errorf(inventory.EInvalid, fmt.Sprintf("features[%d].type", i), "must be \"Feature\"")
		}
		gs.count(f.Properties)
		gs.n++
		return nil
	})
	if err != nil {
		return nil, err
	}
	src := &Source{Format: "geojson", SRID: 4326, CRSFrom: "GeoJSON (RFC 7946)", stream: gs}
	if len(head.CRS) > 0 && string(head.CRS) != "null" {
		var c struct {
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		}
		_ = json.Unmarshal(head.CRS, &c)
		n, err := ParseCRS(c.Properties.Name)
		if err != nil {
			return nil, inventory.Errorf(inventory.EInvalid, "crs", "the GeoJSON crs member %s is not an EPSG code", head.CRS)
		}
		src.SRID, src.CRSFrom = n, "GeoJSON crs member"
	}
	switch head.Type {
	case "FeatureCollection":
	case "Feature":
		// A lone Feature is small enough to keep: it is the only record.
		src.stream = nil
		src.Records = []Record{record(0, head.Geometry, head.Properties)}
	default:
		return nil, inventory.Errorf(inventory.EInvalid, "file", "GeoJSON of type %q; want a FeatureCollection", head.Type)
	}
	return src, nil
}

// geoJSONStream is a FeatureCollection on disk (or in memory), read one feature at a time.
type geoJSONStream struct {
	r    io.ReaderAt
	size int64
	// n is the number of features; fields are the names of their properties, for Prepare to
	// check, each with the kinds of value it had: valueOther, valueObject (as
	// properties.confidential has) or both.
	n      int
	fields map[string]uint8
}

const (
	valueOther uint8 = 1 << iota
	valueObject
)

func (gs *geoJSONStream) len() int { return gs.n }

func (gs *geoJSONStream) count(props map[string]json.RawMessage) {
	for k, v := range props {
		kind := valueOther
		if v := bytes.TrimLeft(v, " \t\r\n"); len(v) > 0 && v[0] == '{' {
			kind = valueObject
		}
		gs.fields[k] |= kind
	}
}

// probes are one record per property name seen in the first pass and kind of value it had
// (object or not): what Prepare checks the field names with.
func (gs *geoJSONStream) probes() []Record {
	names := make([]string, 0, len(gs.fields))
	for k := range gs.fields {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]Record, 0, len(names))
	for _, k := range names {
		if gs.fields[k]&valueOther != 0 {
			out = append(out, Record{Index: -1, Props: map[string]any{k: nil}})
		}
		if gs.fields[k]&valueObject != 0 {
			out = append(out, Record{Index: -1, Props: map[string]any{k: map[string]any{}}})
		}
	}
	return out
}

// records reads the features again, in file order.
func (gs *geoJSONStream) records() iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		stop := errors.New("stop")
		_, err := gs.walk(func(i int, dec *json.Decoder) error {
			var f inventory.GeoJSONFeature
			if err := decodeFeature(dec, i, &f); err != nil {
				return err
			}
			r := record(i, f.Geometry, f.Properties)
			if id, ok := f.ID.(string); ok && r.Props["code"] == nil {
				r.Props["code"] = id
			}
			if !yield(r, nil) {
				return stop
			}
			return nil
		})
		if err != nil && !errors.Is(err, stop) {
			yield(Record{}, err)
		}
	}
}

// geoJSONHead is the document's own members: what is not a feature of a collection.
type geoJSONHead struct {
	Type       string
	CRS        json.RawMessage
	Geometry   json.RawMessage
	Properties map[string]any
}

// walk reads the document with a token decoder: its own members into the head, and for each
// element of "features" calls feature, which decodes it (decodeFeature). Other members are
// skipped.
func (gs *geoJSONStream) walk(feature func(i int, dec *json.Decoder) error) (geoJSONHead, error) {
	var head geoJSONHead
	dec := json.NewDecoder(bufio.NewReaderSize(io.NewSectionReader(gs.r, 0, gs.size), 1<<16))
	dec.UseNumber()
	bad := func(err error) error {
		return inventory.Errorf(inventory.EInvalid, "file", "is not valid GeoJSON: %v", err)
	}
	if err := delim(dec, '{'); err != nil {
		return head, bad(err)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return head, bad(err)
		}
		key, _ := t.(string)
		switch key {
		case "type":
			err = dec.Decode(&head.Type)
		case "crs":
			err = dec.Decode(&head.CRS)
		case "geometry":
			err = dec.Decode(&head.Geometry)
		case "properties":
			err = dec.Decode(&head.Properties)
		case "features":
			if err := gs.features(dec, feature); err != nil {
				return head, err // already says what is wrong, or is feature's own
			}
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return head, bad(err)
		}
	}
	if err := delim(dec, '}'); err != nil {
		return head, bad(err)
	}
	return head, nil
}

// features reads the features array (null is none), handing each element to feature.
func (gs *geoJSONStream) features(dec *json.Decoder, feature func(i int, dec *json.Decoder) error) error {
	bad := func(format string, args ...any) error {
		return inventory.Errorf(inventory.EInvalid, "file", "is not valid GeoJSON: "+format, args...)
	}
	t, err := dec.Token()
	if err != nil {
		return bad("%v", err)
	}
	if t == nil {
		return nil
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return bad("features must be an array")
	}
	for i := 0; dec.More(); i++ {
		if err := feature(i, dec); err != nil {
			return err
		}
	}
	if err := delim(dec, ']'); err != nil {
		return bad("%v", err)
	}
	return nil
}

// decodeFeature decodes features[i] into v.
func decodeFeature(dec *json.Decoder, i int, v any) error {
	if err := dec.Decode(v); err != nil {
		return inventory.Errorf(inventory.EInvalid, "file", "is not valid GeoJSON: features[%d]: %v", i, err)
	}
	return nil
}

// delim reads the next token, which must be d.
func delim(dec *json.Decoder, d json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if got, ok := t.(json.Delim); !ok || got != d {
		return fmt.Errorf("want %q, found %v", d, t)
	}
	return nil
}

func record(i int, geometry json.RawMessage, props map[string]any) Record {
	r := Record{Index: i, Props: props}
	if len(geometry) > 0 && string(geometry) != "null" {
		r.GeoJSON = geometry
	}
	if r.Props == nil {
		r.Props = map[string]any{}
	}
	return r
}

// checkUTF8 refuses a file that is not UTF-8 text. JSON is UTF-8 (RFC 8259): other bytes would
// be decoded as U+FFFD, corrupting the text silently, so they are refused, naming the first bad
// byte's offset. It reads the file in chunks (memory stays bounded). NUL characters (\u0000)
// are refused per feature and field by the store's checks (inventory.CheckChange).
func checkUTF8(r io.ReaderAt, size int64) error {
	const chunk = 64 << 10
	buf := make([]byte, chunk+utf8.UTFMax)
	carry := 0 // bytes of an incomplete rune kept from the chunk before
	for off := int64(0); off < size; {
		n, err := r.ReadAt(buf[carry:carry+int(min(chunk, size-off))], off)
		if err != nil && err != io.EOF {
			return fmt.Errorf("read GeoJSON: %w", err)
		}
		b := buf[:carry+n]
		base := off - int64(carry)
		off += int64(n)
		for i := 0; i < len(b); {
			c, w := utf8.DecodeRune(b[i:])
			if c == utf8.RuneError && w <= 1 {
				if off < size && len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:]) {
					carry = copy(buf, b[i:]) // completed by the next chunk
					break
				}
				return inventory.Errorf(inventory.EInvalid, "file", "is not UTF-8 text (byte %d); GeoJSON must be UTF-8", base+int64(i))
			}
			i += w
			if i == len(b) {
				carry = 0
			}
		}
		if n == 0 {
			break
		}
	}
	return nil
}

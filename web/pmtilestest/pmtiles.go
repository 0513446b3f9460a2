// Package pmtilestest writes small PMTiles v3 archives for tests (the local basemap, web/basemap.go):
// a header, a root directory and the tiles, uncompressed, written as the specification
// (github.com/protomaps/PMTiles, spec/v3) lays them out. The page's reader (the `pmtiles` npm
// library) is the independent check that the archives are right: the browser test draws one.
package pmtilestest

import (
	"encoding/binary"
	"fmt"
	"os"
	"sort"
)

// Tile types of the PMTiles v3 header.
const (
	MVT byte = 1
	PNG byte = 2
)

// Archive is what Write puts in a file.
type Archive struct {
	TileType         byte
	MinZoom, MaxZoom byte
	// Bounds: west, south, east, north (degrees); Center: longitude, latitude.
	Bounds [4]float64
	Center [2]float64
	// Tiles by tile ID (z0: 0; z1: 1–4 in Hilbert order; see TileID).
	Tiles map[uint64][]byte
}

// TileID is the PMTiles tile ID of z/x/y: the tiles of lower zooms, then the Hilbert index.
func TileID(z uint8, x, y uint32) uint64 {
	var acc uint64
	for i := uint8(0); i < z; i++ {
		acc += uint64(1) << (2 * i)
	}
	n := uint32(1) << z
	var d uint64
	for s := n / 2; s > 0; s /= 2 {
		var rx, ry uint32
		if x&s > 0 {
			rx = 1
		}
		if y&s > 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 { // rotate
			if rx == 1 {
				x, y = s-1-x, s-1-y
			}
			x, y = y, x
		}
	}
	return acc + d
}

// Write writes a to path.
func Write(path string, a Archive) error {
	ids := make([]uint64, 0, len(a.Tiles))
	for id := range a.Tiles {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	// Root directory: count, tile ID deltas, run lengths, lengths, offsets (offset+1, or 0 when
	// the tile follows the previous one), all varints.
	var dir []byte
	dir = binary.AppendUvarint(dir, uint64(len(ids)))
	var last uint64
	for _, id := range ids {
		dir = binary.AppendUvarint(dir, id-last)
		last = id
	}
	for range ids {
		dir = binary.AppendUvarint(dir, 1)
	}
	for _, id := range ids {
		dir = binary.AppendUvarint(dir, uint64(len(a.Tiles[id])))
	}
	var data []byte
	for i, id := range ids {
		if i == 0 {
			dir = binary.AppendUvarint(dir, uint64(len(data))+1)
		} else {
			dir = binary.AppendUvarint(dir, 0)
		}
		data = append(data, a.Tiles[id]...)
	}
	meta := []byte(`{"name":"test basemap"}`)
	const hlen = 127
	h := make([]byte, hlen)
	copy(h, "PMTiles")
	h[7] = 3
	put := func(at int, v uint64) { binary.LittleEndian.PutUint64(h[at:], v) }
	put(8, hlen)                             // root directory offset
	put(16, uint64(len(dir)))                // root directory length
	put(24, hlen+uint64(len(dir)))           // metadata offset
	put(32, uint64(len(meta)))               // metadata length
	put(40, hlen+uint64(len(dir)+len(meta))) // leaf directories offset
	put(48, 0)                               // leaf directories length
	put(56, hlen+uint64(len(dir)+len(meta))) // tile data offset
	put(64, uint64(len(data)))               // tile data length
	put(72, uint64(len(ids)))                // addressed tiles
	put(80, uint64(len(ids)))                // tile entries
	put(88, uint64(len(ids)))                // tile contents
	h[96] = 1                                // clustered
	h[97] = 1                                // internal compression: none
	h[98] = 1                                // tile compression: none
	h[99] = a.TileType                       //
	h[100], h[101] = a.MinZoom, a.MaxZoom    //
	e7 := func(at int, v float64) { binary.LittleEndian.PutUint32(h[at:], uint32(int32(v*1e7))) }
	e7(102, a.Bounds[0])
	e7(106, a.Bounds[1])
	e7(110, a.Bounds[2])
	e7(114, a.Bounds[3])
	h[118] = a.MinZoom
	e7(119, a.Center[0])
	e7(123, a.Center[1])
	out := append(append(append(h, dir...), meta...), data...)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return fmt.Errorf("pmtilestest: %w", err)
	}
	return nil
}

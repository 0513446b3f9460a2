package shp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Field is one column of a .dbf table.
type Field struct {
	Name     string
	Type     byte // C text, N/F number, L logical, D date (YYYYMMDD)
	Length   int
	Decimals int
}

// Table is a decoded .dbf: its columns and one value per column per record. Values are
// string, float64, int64, bool, a date as "YYYY-MM-DD", or nil for a blank.
type Table struct {
	Fields   []Field
	Records  [][]any
	Encoding string // "UTF-8" or "GBK"
}

// encodingFor names the text encoding of a .dbf from its .cpg (code page) file, its language
// driver byte (the header's byte 29), and, failing both, its bytes (validUTF8, called only
// then): valid UTF-8 is read as UTF-8, anything else as GBK (GB 18030, which Chinese survey
// data uses).
func encodingFor(cpg string, header []byte, validUTF8 func() (bool, error)) (string, encoding.Encoding) {
	c := strings.ToUpper(strings.TrimSpace(cpg))
	c = strings.TrimPrefix(strings.TrimPrefix(c, "ANSI "), "CP")
	switch c {
	case "UTF-8", "UTF8", "65001":
		return "UTF-8", unicode.UTF8
	case "GBK", "936", "GB2312", "GB18030", "54936", "CHINESE":
		return "GBK", simplifiedchinese.GB18030
	}
	if len(header) > 29 && header[29] == 0x4D { // language driver 936 (GBK)
		return "GBK", simplifiedchinese.GB18030
	}
	if ok, err := validUTF8(); ok && err == nil {
		return "UTF-8", unicode.UTF8
	}
	return "GBK", simplifiedchinese.GB18030
}

// ReadDBF decodes a .dbf file held in memory; cpg is the content of the .cpg file ("" when
// there is none). See DBFReader for one read record by record.
func ReadDBF(b []byte, cpg string) (*Table, error) {
	d, err := NewDBFReader(bytes.NewReader(b), cpg, func() (io.Reader, error) { return bytes.NewReader(b), nil })
	if err != nil {
		return nil, err
	}
	t := &Table{Fields: d.Fields, Encoding: d.Encoding}
	for {
		row, err := d.Next()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return nil, err
		}
		t.Records = append(t.Records, row)
	}
}

// DBFReader reads a .dbf record by record, so that memory holds one record and not the file.
type DBFReader struct {
	Fields   []Field
	Encoding string // "UTF-8" or "GBK"
	// Len is the number of records the header declares, deleted ones included.
	Len int

	r   io.Reader
	dec *encoding.Decoder
	i   int // records read
	rec []byte
}

// NewDBFReader reads the header of the .dbf in r and decides its encoding (encodingFor); cpg
// is the content of the .cpg file ("" when there is none). When neither the .cpg nor the
// header decides, reopen is called for the file again, which is read through once to see
// whether its text is UTF-8.
func NewDBFReader(r io.Reader, cpg string, reopen func() (io.Reader, error)) (*DBFReader, error) {
	head := make([]byte, 32)
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, errors.New("dbf: shorter than its header")
	}
	n := int(binary.LittleEndian.Uint32(head[4:8]))
	hlen := int(binary.LittleEndian.Uint16(head[8:10]))
	rlen := int(binary.LittleEndian.Uint16(head[10:12]))
	if hlen < 33 || rlen < 1 {
		return nil, fmt.Errorf("dbf: bad header (header %d bytes, records %d bytes)", hlen, rlen)
	}
	head = append(head, make([]byte, hlen-32)...) // at most 64 KiB
	if _, err := io.ReadFull(r, head[32:]); err != nil {
		return nil, fmt.Errorf("dbf: bad header (header %d bytes, records %d bytes): the file ends before it", hlen, rlen)
	}
	encName, enc := encodingFor(cpg, head, func() (bool, error) {
		r2, err := reopen()
		if err != nil {
			return false, err
		}
		return streamValidUTF8(r2, hlen)
	})
	d := &DBFReader{Encoding: encName, Len: n, r: r, dec: enc.NewDecoder(), rec: make([]byte, rlen)}
	width := 1
	for off := 32; off+32 <= hlen && head[off] != 0x0D; off += 32 {
		raw := head[off : off+11]
		if i := bytes.IndexByte(raw, 0); i >= 0 {
			raw = raw[:i]
		}
		if encName == "UTF-8" {
			raw = trimPartialUTF8(raw)
		}
		name, err := decodeText(raw, encName, d.dec)
		if err != nil {
			return nil, fmt.Errorf("dbf: field name %q: %w", raw, err)
		}
		f := Field{Name: strings.TrimSpace(string(name)), Type: head[off+11], Length: int(head[off+16]), Decimals: int(head[off+17])}
		d.Fields = append(d.Fields, f)
		width += f.Length
	}
	if width != rlen {
		return nil, fmt.Errorf("dbf: fields add up to %d bytes but records are %d", width, rlen)
	}
	return d, nil
}

// Next decodes the next record: one value per field, nil for a deleted record; io.EOF after
// the last record the header declares.
func (d *DBFReader) Next() ([]any, error) {
	if d.i >= d.Len {
		return nil, io.EOF
	}
	d.i++
	if _, err := io.ReadFull(d.r, d.rec); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("dbf: record %d runs past the end of the file", d.i)
		}
		return nil, fmt.Errorf("dbf: record %d: %w", d.i, err)
	}
	if d.rec[0] == '*' { // deleted
		return nil, nil
	}
	row := make([]any, len(d.Fields))
	p := 1
	for j, f := range d.Fields {
		raw := d.rec[p : p+f.Length]
		p += f.Length
		v, err := value(f, raw, d.Encoding, d.dec)
		if err != nil {
			return nil, fmt.Errorf("dbf: record %d, field %s: %w", d.i, f.Name, err)
		}
		row[j] = v
	}
	return row, nil
}

func value(f Field, raw []byte, encName string, dec *encoding.Decoder) (any, error) {
	switch f.Type {
	case 'C':
		s, err := decodeText(bytes.TrimRight(raw, " \x00"), encName, dec)
		if err != nil {
			return nil, err
		}
		str := strings.TrimSpace(string(s))
		if str == "" {
			return nil, nil
		}
		return str, nil
	case 'N', 'F':
		s := strings.TrimSpace(string(bytes.Trim(raw, "\x00")))
		if s == "" || strings.Trim(s, "*") == "" {
			return nil, nil
		}
		if f.Decimals == 0 && !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return i, nil
			}
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", s)
		}
		return x, nil
	case 'L':
		switch strings.TrimSpace(string(raw)) {
		case "T", "t", "Y", "y":
			return true, nil
		case "F", "f", "N", "n":
			return false, nil
		}
		return nil, nil
	case 'D':
		s := strings.TrimSpace(string(raw))
		if s == "" || strings.Trim(s, "0") == "" {
			return nil, nil
		}
		if len(s) != 8 {
			return nil, fmt.Errorf("%q is not a date YYYYMMDD", s)
		}
		return s[0:4] + "-" + s[4:6] + "-" + s[6:8], nil
	}
	s, err := decodeText(bytes.TrimRight(raw, " \x00"), encName, dec)
	if err != nil {
		return nil, err
	}
	return strings.TrimSpace(string(s)), nil
}

// decodeText decodes raw text of the .dbf from its encoding, refusing bytes that the encoding
// does not decode cleanly (the decoders would put U+FFFD in their place and corrupt the data
// silently): text the .cpg declares UTF-8 must be valid UTF-8, and GBK text must decode without
// replacement characters.
func decodeText(raw []byte, encName string, dec *encoding.Decoder) ([]byte, error) {
	if encName == "UTF-8" {
		if !utf8.Valid(raw) {
			return nil, fmt.Errorf("text is not valid UTF-8, the encoding the .cpg declares (GBK text? then write GBK in the .cpg, or remove it)")
		}
		return raw, nil
	}
	s, err := dec.Bytes(raw)
	if err != nil || (bytes.ContainsRune(s, utf8.RuneError) && !bytes.Contains(raw, []byte("\xEF\xBF\xBD"))) {
		return nil, fmt.Errorf("text is not valid %s", encName)
	}
	return s, nil
}

// textValidUTF8 reports whether the text of a .dbf — its field names and its records — is
// valid UTF-8 (the header's binary numbers are left out).
func textValidUTF8(dbf []byte) bool {
	if len(dbf) < 12 {
		return utf8.Valid(dbf)
	}
	hlen := int(binary.LittleEndian.Uint16(dbf[8:10]))
	if hlen > len(dbf) {
		hlen = len(dbf)
	}
	for off := 32; off+32 <= hlen && dbf[off] != 0x0D; off += 32 {
		if !utf8.Valid(trimPartialUTF8(bytes.TrimRight(dbf[off:off+11], "\x00"))) {
			return false
		}
	}
	return utf8.Valid(dbf[hlen:])
}

// streamValidUTF8 is textValidUTF8 for a .dbf read from r, whose header is hlen bytes: the
// records are checked in chunks, so memory stays bounded whatever the file's size.
func streamValidUTF8(r io.Reader, hlen int) (bool, error) {
	head := make([]byte, hlen)
	if _, err := io.ReadFull(r, head); err != nil {
		return false, err
	}
	if !textValidUTF8(head) {
		return false, nil
	}
	buf := make([]byte, 64<<10+utf8.UTFMax)
	carry := 0
	for {
		n, err := io.ReadFull(r, buf[carry:])
		b := buf[:carry+n]
		end := err != nil // the last chunk: an incomplete rune at its end is invalid
		carry = 0
		if !end {
			// Keep an incomplete rune at the end for the next chunk.
			for k := 1; k < utf8.UTFMax && k <= len(b); k++ {
				if c := b[len(b)-k]; c >= 0xC0 {
					if !utf8.FullRune(b[len(b)-k:]) {
						carry = k
					}
					break
				} else if c < 0x80 {
					break
				}
			}
		}
		if !utf8.Valid(b[:len(b)-carry]) {
			return false, nil
		}
		copy(buf, b[len(b)-carry:])
		if end {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return true, nil
			}
			return false, err
		}
	}
}

// trimPartialUTF8 drops an incomplete UTF-8 sequence from the end of a field name: GDAL cuts
// UTF-8 names at 10 bytes, through a character if need be ("地块编号" becomes "地块编" and the
// first byte of "号"), and such a name is read as the whole characters it keeps.
func trimPartialUTF8(b []byte) []byte {
	for n := 1; n <= 3 && n <= len(b); n++ {
		c := b[len(b)-n]
		if c < 0x80 {
			return b // ASCII: nothing partial
		}
		if c >= 0xC0 { // the start of the last sequence
			if !utf8.FullRune(b[len(b)-n:]) {
				return b[:len(b)-n]
			}
			return b
		}
	}
	return b
}

package cql2

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF    tokKind = iota
	tIdent          // a bare word: keyword, function name or property
	tQIdent         // "double-quoted identifier": always a property
	tString         // 'character literal', Text holds the unescaped value
	tNumber         // unsigned numeric literal
	tPunct          // = <> < > <= >= ( ) , + - * /
)

type token struct {
	kind tokKind
	text string
	pos  int
}

// describe says what a token is, for "found ..." in error messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tString:
		return "string " + quoteShort(t.text)
	case tQIdent:
		return `"` + short(t.text) + `"`
	}
	return "'" + short(t.text) + "'"
}

func short(s string) string {
	if len(s) > 40 {
		// Cut on a rune boundary.
		n := 40
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		return s[:n] + "…"
	}
	return s
}

func quoteShort(s string) string { return "'" + short(strings.ReplaceAll(s, "'", "''")) + "'" }

// lex splits src into tokens. It refuses invalid UTF-8 and NUL bytes (PostgreSQL text cannot
// hold them), unterminated literals and characters that are no part of CQL2-Text.
func lex(src string) ([]token, error) {
	if err := checkText(src, 0, ""); err != nil {
		return nil, err
	}
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"':
			start := i
			var b strings.Builder
			i++
			closed := false
			for i < len(src) {
				if src[i] == c {
					if i+1 < len(src) && src[i+1] == c { // doubled quote: one literal quote
						b.WriteByte(c)
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				b.WriteByte(src[i])
				i++
			}
			if !closed {
				return nil, &SyntaxError{Pos: len(src), Expected: "closing " + string(c) + " of the literal opened at position " + strconv.Itoa(start), Found: "end of input"}
			}
			k := tString
			if c == '"' {
				k = tQIdent
				if b.Len() == 0 {
					return nil, &SyntaxError{Pos: start, Expected: "a property name", Found: `""`}
				}
			}
			toks = append(toks, token{k, b.String(), start})
		case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
			start := i
			for i < len(src) && isDigit(src[i]) {
				i++
			}
			if i < len(src) && src[i] == '.' {
				i++
				for i < len(src) && isDigit(src[i]) {
					i++
				}
			}
			if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
				j := i + 1
				if j < len(src) && (src[j] == '+' || src[j] == '-') {
					j++
				}
				if j < len(src) && isDigit(src[j]) {
					for j < len(src) && isDigit(src[j]) {
						j++
					}
					i = j
				}
			}
			toks = append(toks, token{tNumber, src[start:i], start})
		case strings.IndexByte("=(),+-*/", c) >= 0:
			toks = append(toks, token{tPunct, string(c), i})
			i++
		case c == '<' || c == '>':
			if i+1 < len(src) && (src[i+1] == '=' || (c == '<' && src[i+1] == '>')) {
				toks = append(toks, token{tPunct, src[i : i+2], i})
				i += 2
			} else {
				toks = append(toks, token{tPunct, string(c), i})
				i++
			}
		default:
			r, n := utf8.DecodeRuneInString(src[i:])
			if !isIdentStart(r) {
				return nil, &SyntaxError{Pos: i, Expected: "a property, literal, operator or parenthesis", Found: "'" + string(r) + "'"}
			}
			start := i
			i += n
			for i < len(src) {
				r, n := utf8.DecodeRuneInString(src[i:])
				if !isIdentPart(r) {
					break
				}
				i += n
			}
			toks = append(toks, token{tIdent, src[start:i], start})
		}
	}
	return append(toks, token{tEOF, "", len(src)}), nil
}

// checkText refuses invalid UTF-8 and NUL, naming the first bad byte.
func checkText(s string, base int, path string) error {
	for i, r := range s {
		if r == utf8.RuneError || r == 0 {
			if r == utf8.RuneError {
				if _, n := utf8.DecodeRuneInString(s[i:]); n != 1 {
					continue // a real U+FFFD
				}
			}
			pos := base + i
			if path != "" {
				pos = -1
			}
			return &SyntaxError{Pos: pos, Path: path, Msg: "invalid character (not UTF-8, or NUL)"}
		}
	}
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isIdentPart(r rune) bool {
	return r == '_' || r == '.' || r == ':' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

package cql2

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

func parseText(src string, legacy bool) (Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, legacy: legacy}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if err := wantPredicate(e); err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, &SyntaxError{Pos: t.pos, Expected: "AND, OR or end of input", Found: t.describe()}
	}
	return e, nil
}

type parser struct {
	toks   []token
	i      int
	depth  int
	legacy bool
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekAt(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func isKW(t token, kw string) bool { return t.kind == tIdent && strings.EqualFold(t.text, kw) }

func isPunct(t token, s string) bool { return t.kind == tPunct && t.text == s }

func (p *parser) expectPunct(s string) (token, error) {
	t := p.next()
	if !isPunct(t, s) {
		return t, &SyntaxError{Pos: t.pos, Expected: "'" + s + "'", Found: t.describe()}
	}
	return t, nil
}

func (p *parser) enter(pos int) error {
	p.depth++
	if p.depth > MaxDepth {
		return &SyntaxError{Pos: pos, Msg: fmt.Sprintf("filter nests deeper than %d levels", MaxDepth)}
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// or := and { OR and }
func (p *parser) or() (Expr, error) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	if !isKW(p.peek(), "OR") {
		return first, nil
	}
	args := []Expr{first}
	for isKW(p.peek(), "OR") {
		p.next()
		e, err := p.and()
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	for _, a := range args {
		if err := wantPredicate(a); err != nil {
			return nil, err
		}
	}
	return &Or{At: At{Offset: first.Pos()}, Args: args}, nil
}

// and := not { AND not }
func (p *parser) and() (Expr, error) {
	first, err := p.not()
	if err != nil {
		return nil, err
	}
	if !isKW(p.peek(), "AND") {
		return first, nil
	}
	args := []Expr{first}
	for isKW(p.peek(), "AND") {
		p.next()
		e, err := p.not()
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	for _, a := range args {
		if err := wantPredicate(a); err != nil {
			return nil, err
		}
	}
	return &And{At: At{Offset: first.Pos()}, Args: args}, nil
}

// not := NOT not | predicate
func (p *parser) not() (Expr, error) {
	t := p.peek()
	if !isKW(t, "NOT") {
		return p.predicate()
	}
	p.next()
	if err := p.enter(t.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	arg, err := p.not()
	if err != nil {
		return nil, err
	}
	if err := wantPredicate(arg); err != nil {
		return nil, err
	}
	return &Not{At: At{Offset: t.pos}, Arg: arg}, nil
}

var compareOps = map[string]bool{"=": true, "<>": true, "<": true, ">": true, "<=": true, ">=": true}

// predicate := arith [ compareOp arith | [NOT] LIKE pattern | [NOT] BETWEEN arith AND arith
// | [NOT] IN ( arith {, arith} ) | IS [NOT] NULL ]
func (p *parser) predicate() (Expr, error) {
	left, err := p.arith()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	at := At{Offset: left.Pos()}
	if t.kind == tPunct && compareOps[t.text] {
		p.next()
		right, err := p.arith()
		if err != nil {
			return nil, err
		}
		if err := wantValue(left); err != nil {
			return nil, err
		}
		if err := wantValue(right); err != nil {
			return nil, err
		}
		return &Compare{At: at, Op: t.text, Left: left, Right: right}, nil
	}
	negated := false
	if isKW(t, "NOT") {
		if n := p.peekAt(1); isKW(n, "LIKE") || isKW(n, "BETWEEN") || isKW(n, "IN") || (p.legacy && isKW(n, "ILIKE")) {
			negated = true
			p.next()
			t = p.peek()
		}
	}
	var e Expr
	switch {
	case isKW(t, "LIKE") || (p.legacy && isKW(t, "ILIKE")):
		p.next()
		pat, err := p.arith()
		if err != nil {
			return nil, err
		}
		if err := wantValue(left); err != nil {
			return nil, err
		}
		if err := checkPattern(pat); err != nil {
			return nil, err
		}
		if isKW(t, "ILIKE") {
			left = &CaseI{At: At{Offset: left.Pos()}, Arg: left}
			pat = &CaseI{At: At{Offset: pat.Pos()}, Arg: pat}
		}
		e = &Like{At: at, Expr: left, Pattern: pat}
	case isKW(t, "BETWEEN"):
		p.next()
		low, err := p.arith()
		if err != nil {
			return nil, err
		}
		if a := p.next(); !isKW(a, "AND") {
			return nil, &SyntaxError{Pos: a.pos, Expected: "AND of BETWEEN", Found: a.describe()}
		}
		high, err := p.arith()
		if err != nil {
			return nil, err
		}
		for _, v := range []Expr{left, low, high} {
			if err := wantValue(v); err != nil {
				return nil, err
			}
		}
		e = &Between{At: at, Expr: left, Low: low, High: high}
	case isKW(t, "IN"):
		p.next()
		if _, err := p.expectPunct("("); err != nil {
			return nil, err
		}
		var list []Expr
		for {
			v, err := p.arith()
			if err != nil {
				return nil, err
			}
			if err := wantValue(v); err != nil {
				return nil, err
			}
			list = append(list, v)
			c := p.next()
			if isPunct(c, ")") {
				break
			}
			if !isPunct(c, ",") {
				return nil, &SyntaxError{Pos: c.pos, Expected: "',' or ')'", Found: c.describe()}
			}
		}
		if err := wantValue(left); err != nil {
			return nil, err
		}
		e = &In{At: at, Expr: left, List: list}
	case isKW(t, "IS"):
		p.next()
		n := p.next()
		if isKW(n, "NOT") {
			negated = true
			n = p.next()
		}
		if !isKW(n, "NULL") {
			return nil, &SyntaxError{Pos: n.pos, Expected: "NULL or NOT NULL", Found: n.describe()}
		}
		if err := wantValue(left); err != nil {
			return nil, err
		}
		e = &IsNull{At: at, Expr: left}
	default:
		return left, nil
	}
	if negated {
		e = &Not{At: at, Arg: e}
	}
	return e, nil
}

// arith := term { (+|-) term }
func (p *parser) arith() (Expr, error) {
	left, err := p.term()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); isPunct(t, "+") || isPunct(t, "-"); t = p.peek() {
		p.next()
		right, err := p.term()
		if err != nil {
			return nil, err
		}
		if left, err = arithNode(t.text, left, right); err != nil {
			return nil, err
		}
	}
	return left, nil
}

// term := unary { (*|/) unary }
func (p *parser) term() (Expr, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); isPunct(t, "*") || isPunct(t, "/"); t = p.peek() {
		p.next()
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		if left, err = arithNode(t.text, left, right); err != nil {
			return nil, err
		}
	}
	return left, nil
}

func arithNode(op string, left, right Expr) (Expr, error) {
	if err := wantValue(left); err != nil {
		return nil, err
	}
	if err := wantValue(right); err != nil {
		return nil, err
	}
	return &Arith{At: At{Offset: left.Pos()}, Op: op, Left: left, Right: right}, nil
}

// unary := (-|+) unary | primary. A sign on a number literal folds into it; -x is 0 - x.
func (p *parser) unary() (Expr, error) {
	t := p.peek()
	if !isPunct(t, "-") && !isPunct(t, "+") {
		return p.primary()
	}
	p.next()
	if err := p.enter(t.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	e, err := p.unary()
	if err != nil {
		return nil, err
	}
	if err := wantValue(e); err != nil {
		return nil, err
	}
	if t.text == "+" {
		return e, nil
	}
	if n, ok := e.(*Number); ok {
		return &Number{At: At{Offset: t.pos}, Value: -n.Value}, nil
	}
	return &Arith{At: At{Offset: t.pos}, Op: "-", Left: &Number{At: At{Offset: t.pos}}, Right: e}, nil
}

// reserved words cannot be bare property names; double-quote them.
var reserved = map[string]bool{"AND": true, "OR": true, "NOT": true, "LIKE": true, "BETWEEN": true, "IN": true, "IS": true, "NULL": true}

var geometryTypes = map[string]bool{"POINT": true, "LINESTRING": true, "POLYGON": true, "MULTIPOINT": true, "MULTILINESTRING": true, "MULTIPOLYGON": true}

func (p *parser) primary() (Expr, error) {
	t := p.next()
	switch t.kind {
	case tString:
		return &String{At: At{Offset: t.pos}, Value: t.text}, nil
	case tNumber:
		return number(t)
	case tQIdent:
		return &Property{At: At{Offset: t.pos}, Name: t.text}, nil
	case tPunct:
		if t.text == "(" {
			if err := p.enter(t.pos); err != nil {
				return nil, err
			}
			defer p.leave()
			e, err := p.or()
			if err != nil {
				return nil, err
			}
			if _, err := p.expectPunct(")"); err != nil {
				return nil, err
			}
			return e, nil
		}
	case tIdent:
		up := strings.ToUpper(t.text)
		switch {
		case up == "TRUE" || up == "FALSE":
			return &Bool{At: At{Offset: t.pos}, Value: up == "TRUE"}, nil
		case geometryTypes[up] && (isPunct(p.peek(), "(") || p.peek().kind == tIdent):
			return p.geometry(t, up)
		case isPunct(p.peek(), "("):
			return p.function(t, up)
		case reserved[up]:
			// fall through to the error below
		default:
			return &Property{At: At{Offset: t.pos}, Name: t.text}, nil
		}
	}
	return nil, &SyntaxError{Pos: t.pos, Expected: "a property, a literal or '('", Found: t.describe()}
}

func number(t token) (Expr, error) {
	v, err := strconv.ParseFloat(t.text, 64)
	if err != nil || math.IsInf(v, 0) {
		return nil, &SyntaxError{Pos: t.pos, Msg: "number out of range", Found: "'" + short(t.text) + "'"}
	}
	return &Number{At: At{Offset: t.pos}, Value: v}, nil
}

// function parses NAME( ... ): CASEI, TIMESTAMP, DATE, BBOX, S_INTERSECTS, S_DWITHIN.
func (p *parser) function(name token, up string) (Expr, error) {
	at := At{Offset: name.pos}
	switch up {
	case "TIMESTAMP", "DATE":
		p.next() // (
		s := p.next()
		if s.kind != tString {
			return nil, &SyntaxError{Pos: s.pos, Expected: "a quoted " + strings.ToLower(up), Found: s.describe()}
		}
		if _, err := p.expectPunct(")"); err != nil {
			return nil, err
		}
		return temporal(up, s.text, At{Offset: s.pos}, at)
	case "BBOX":
		return p.bbox(name)
	case "ACCENTI":
		return nil, &UnsupportedError{What: "ACCENTI (accent-insensitive comparison)", Pos: name.pos}
	case "CASEI", SIntersects, SDWithin:
	default:
		return nil, unsupportedFunction(up, name.pos, "")
	}
	open, _ := p.expectPunct("(")
	if err := p.enter(open.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	var args []Expr
	for {
		a, err := p.arith()
		if err != nil {
			return nil, err
		}
		if err := wantValue(a); err != nil {
			return nil, err
		}
		args = append(args, a)
		c := p.next()
		if isPunct(c, ")") {
			break
		}
		if !isPunct(c, ",") {
			return nil, &SyntaxError{Pos: c.pos, Expected: "',' or ')'", Found: c.describe()}
		}
	}
	return function(up, at, args)
}

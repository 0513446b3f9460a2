package inventory

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var placeholderRe = regexp.MustCompile(`\{(\w+)\}`)

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholderRe.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

// TestEveryCodeHasTemplates walks the code table: every code has a kind, a Chinese and an
// English template naming the same placeholders, each {field} or a declared param; every
// Code constant of codes.go is in the table and every entry is a constant; every error kind
// has its own code.
func TestEveryCodeHasTemplates(t *testing.T) {
	kinds := map[string]bool{EInvalid: true, ENotFound: true, EConflict: true, EUnauthorized: true, EForbidden: true,
		EPrecondition: true, EPreconditionRequired: true, ETooLarge: true, ETooManyRequests: true, EUnavailable: true,
		ETimeout: true, EInternal: true}
	for code, c := range Codes() {
		if !kinds[c.Kind] {
			t.Errorf("%s: kind %q is not an error kind", code, c.Kind)
		}
		if strings.TrimSpace(c.ZH) == "" || strings.TrimSpace(c.EN) == "" {
			t.Errorf("%s: a template is missing: zh %q en %q", code, c.ZH, c.EN)
		}
		zh, en := placeholders(c.ZH), placeholders(c.EN)
		if !slices.Equal(zh, en) {
			t.Errorf("%s: zh names %v, en names %v", code, zh, en)
		}
		for _, p := range zh {
			if p != "field" && !slices.Contains(c.Params, p) {
				t.Errorf("%s: template names {%s}, which is not one of its params %v", code, p, c.Params)
			}
		}
		bare := strings.NewReplacer("GeoJSON", "", "EPSG", "", "m²", "").Replace(placeholderRe.ReplaceAllString(c.ZH, ""))
		if strings.ContainsAny(bare, "abcdefghijklmnopqrstuvwxyz") {
			t.Errorf("%s: the Chinese template holds Latin words: %q", code, c.ZH)
		}
	}
	for k := range kinds {
		if c, ok := kindCodes[k]; !ok || codeTexts[c].Kind != k {
			t.Errorf("kind %s has no code of its own", k)
		}
	}
	// The constants of codes.go, read from its source.
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]bool{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if !strings.HasPrefix(n.Name, "Code") {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					t.Fatalf("%s is not a string literal", n.Name)
				}
				v := strings.Trim(lit.Value, `"`)
				if consts[v] {
					t.Errorf("code %q is defined twice", v)
				}
				consts[v] = true
				if _, ok := codeTexts[v]; !ok {
					t.Errorf("%s (%q) has no templates", n.Name, v)
				}
			}
		}
	}
	for code := range codeTexts {
		if !consts[code] {
			t.Errorf("table entry %q is no Code constant", code)
		}
	}
	if len(consts) < 60 {
		t.Errorf("only %d codes read from codes.go", len(consts))
	}
}

// TestCodesAreConstants reads every non-test Go file of the module: each code an *Error is
// given (With(code, …), Code: code) is a Code constant of codes.go, so that every code that can
// be produced is in the table TestEveryCodeHasTemplates walks.
func TestCodesAreConstants(t *testing.T) {
	root := ".."
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		isCode := func(e ast.Expr) bool {
			switch x := e.(type) {
			case *ast.Ident:
				return strings.HasPrefix(x.Name, "Code")
			case *ast.SelectorExpr:
				id, ok := x.X.(*ast.Ident)
				return ok && id.Name == "inventory" && strings.HasPrefix(x.Sel.Name, "Code")
			}
			return false
		}
		ast.Inspect(f, func(node ast.Node) bool {
			switch x := node.(type) {
			case *ast.CallExpr:
				// Errorf(…).With(code, params): the receiver is an Errorf call.
				if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "With" && len(x.Args) == 2 && isErrorf(sel.X) {
					n++
					if !isCode(x.Args[0]) {
						t.Errorf("%s: With(%s, …) is not a Code constant", fset.Position(x.Pos()), types(x.Args[0]))
					}
				}
			case *ast.KeyValueExpr:
				if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Code" {
					if _, isStr := x.Value.(*ast.BasicLit); isStr {
						t.Errorf("%s: Code: is a literal, not a Code constant", fset.Position(x.Pos()))
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 40 {
		t.Errorf("only %d With calls found; the walk would miss a literal code", n)
	}
}

func types(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.BasicLit:
		return x.Value
	case *ast.Ident:
		return x.Name
	}
	return "an expression"
}

func isErrorf(e ast.Expr) bool {
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return f.Name == "Errorf"
	case *ast.SelectorExpr:
		return f.Sel.Name == "Errorf"
	}
	return false
}

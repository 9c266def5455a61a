//go:build ignore

package main

import (
	"fmt"
	"go/ast"
)

// writeObjectsWithoutFieldSets makes every object marshaller of the gqlgen
// executor at path return objectmarshal.Of(out, fields), which writes the
// object without gqlgen's per-field copies (graph/objectmarshal says why),
// where gqlgen's template returns the field set out. An object marshaller
// is a function whose top level makes out := graphql.NewFieldSet(fields)
// and ends with return out. It fails if a function makes such a field set
// but does not end so, or if none does, so that a gqlgen upgrade cannot
// drop or half-apply the change unnoticed.
func writeObjectsWithoutFieldSets(path string) error {
	return rewriteGo(path, "caseload/graph/objectmarshal", func(f *ast.File) error {
		n := 0
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			at := fieldSetAt(fn.Body)
			if at < 0 {
				continue
			}
			// Of pairs the field set's values with the collected fields it
			// was made from, which must be fields.
			if args := fn.Body.List[at].(*ast.AssignStmt).Rhs[0].(*ast.CallExpr).Args; len(args) != 1 || !isIdent(args[0], "fields") {
				return fmt.Errorf("%s: %s makes its field set from something other than fields: has gqlgen's object marshalling changed?", path, fn.Name.Name)
			}
			last := fn.Body.List[len(fn.Body.List)-1]
			ret, ok := last.(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 || !isIdent(ret.Results[0], "out") {
				return fmt.Errorf("%s: %s makes out := graphql.NewFieldSet(fields) but does not end with return out: has gqlgen's object marshalling changed?", path, fn.Name.Name)
			}
			// At out's position, so that the comments after it stay there.
			pos := ret.Results[0].Pos()
			ident := func(name string) *ast.Ident { return &ast.Ident{NamePos: pos, Name: name} }
			ret.Results[0] = &ast.CallExpr{
				Fun:    &ast.SelectorExpr{X: ident("objectmarshal"), Sel: ident("Of")},
				Lparen: pos,
				Args:   []ast.Expr{ident("out"), ident("fields")},
				Rparen: pos,
			}
			n++
		}
		if n == 0 {
			return fmt.Errorf("%s has no object marshaller making out := graphql.NewFieldSet(fields): has gqlgen's object marshalling changed?", path)
		}
		return nil
	})
}

//go:build ignore

package main

import (
	"fmt"
	"go/ast"
	"go/token"
)

// resolveFieldsInOrder makes the gqlgen executor at path resolve each
// object's resolver fields with fieldmarshal.InOrder, which keeps them in
// the object's goroutine while they need no database round trip
// (graph/fieldmarshal says why), where gqlgen's template calls
// out.ResolveConcurrently. gqlgen has no setting for it. In each object's
// marshaller that makes such a call it declares the object's state,
// var inOrder fieldmarshal.InOrder, right after the field set is made, and
// a call out.ResolveConcurrently(args...) becomes
// inOrder.Resolve(ctx, out, args...). It fails if gqlgen stops making the
// call, or makes it anywhere but in an object's loop over its fields in a
// marshaller taking ctx context.Context, or where the state cannot be
// declared, so that an upgrade cannot drop or half-apply the change
// unnoticed.
func resolveFieldsInOrder(path string) error {
	return rewriteGo(path, "caseload/graph/fieldmarshal", func(f *ast.File) error {
		calls, rewritten := 0, 0
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && isResolveConcurrently(call) {
				calls++
			}
			return true
		})
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || !hasContextParam(fn) {
				continue
			}
			n := 0
			// Only calls made by the object's own loop over its fields, in
			// the marshaller's goroutine: the state is the object's.
			for _, stmt := range fn.Body.List {
				loop, ok := stmt.(*ast.RangeStmt)
				if !ok || len(loop.Body.List) != 1 {
					continue
				}
				sw, ok := loop.Body.List[0].(*ast.SwitchStmt)
				if !ok {
					continue
				}
				for _, clause := range sw.Body.List {
					for _, s := range clause.(*ast.CaseClause).Body {
						expr, ok := s.(*ast.ExprStmt)
						if !ok {
							continue
						}
						call, ok := expr.X.(*ast.CallExpr)
						if !ok || !isResolveConcurrently(call) {
							continue
						}
						call.Fun = &ast.SelectorExpr{X: ast.NewIdent("inOrder"), Sel: ast.NewIdent("Resolve")}
						call.Args = append([]ast.Expr{ast.NewIdent("ctx"), ast.NewIdent("out")}, call.Args...)
						n++
					}
				}
			}
			if n == 0 {
				continue
			}
			if !declareAfterFieldSet(fn.Body) {
				return fmt.Errorf("%s: %s calls out.ResolveConcurrently but makes no field set out := graphql.NewFieldSet(...) at its top: has gqlgen's object marshalling changed?", path, fn.Name.Name)
			}
			rewritten += n
		}
		if calls == 0 {
			return fmt.Errorf("%s calls out.ResolveConcurrently nowhere: has gqlgen's object marshalling changed?", path)
		}
		if rewritten != calls {
			return fmt.Errorf("%s calls out.ResolveConcurrently %d times, %d of them from an object's loop over its fields with its context ctx: has gqlgen's object marshalling changed?", path, calls, rewritten)
		}
		return nil
	})
}

// isResolveConcurrently reports whether call is out.ResolveConcurrently(...).
func isResolveConcurrently(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "ResolveConcurrently" {
		return false
	}
	recv, ok := sel.X.(*ast.Ident)
	return ok && recv.Name == "out"
}

// hasContextParam reports whether fn takes ctx context.Context, the
// object's context that gqlgen's Dispatch would hand the fields.
func hasContextParam(fn *ast.FuncDecl) bool {
	for _, p := range fn.Type.Params.List {
		sel, ok := p.Type.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Context" {
			continue
		}
		if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "context" {
			continue
		}
		for _, name := range p.Names {
			if name.Name == "ctx" {
				return true
			}
		}
	}
	return false
}

// declareAfterFieldSet inserts var inOrder fieldmarshal.InOrder after the
// statement out := graphql.NewFieldSet(...) of body's top level, and
// reports whether there was one.
func declareAfterFieldSet(body *ast.BlockStmt) bool {
	i := fieldSetAt(body)
	if i < 0 {
		return false
	}
	decl := &ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{
		Names: []*ast.Ident{ast.NewIdent("inOrder")},
		Type:  &ast.SelectorExpr{X: ast.NewIdent("fieldmarshal"), Sel: ast.NewIdent("InOrder")},
	}}}}
	body.List = append(body.List[:i+1], append([]ast.Stmt{decl}, body.List[i+1:]...)...)
	return true
}

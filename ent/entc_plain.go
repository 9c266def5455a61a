//go:build ignore

package main

import (
	"fmt"
	"go/ast"
)

// plainMarshallers are the generated marshallers of the non-null types
// whose marshalling can neither fail nor panic: a plain field of one of
// them may be answered directly (graph/plainfield).
var plainMarshallers = map[string]bool{
	"marshalNString2string":                   true,
	"marshalNBoolean2bool":                    true,
	"marshalNID2caseloadᚋentᚋschemaᚋpulidᚐID": true,
}

// answerPlainFieldsDirectly makes each plain field's resolver in the gqlgen
// executor at path marshal the struct field it reads directly when
// plainfield.Direct allows it, before gqlgen's graphql.ResolveField (which
// stays, for operations with field middleware). A plain field's resolver
// is a single
//
//	return graphql.ResolveField(ctx, ec.OperationContext, field, fc,
//		func(ctx context.Context) (any, error) { return obj.F, nil },
//		nil,
//		func(ctx context.Context, selections ast.SelectionSet, v T) graphql.Marshaler {
//			return ec.marshalX(ctx, selections, v)
//		},
//		true, true)
//
// with no directive (the nil middleware: every field under @section has
// one) and marshalX one of plainMarshallers; it gains
//
//	if plainfield.Direct(ec.OperationContext) {
//		return ec.marshalX(ctx, field.Selections, obj.F)
//	}
//
// It fails if it finds no plain field, so that a gqlgen upgrade that
// changes the resolvers' shape cannot drop the change unnoticed.
func answerPlainFieldsDirectly(path string) error {
	return rewriteGo(path, "caseload/graph/plainfield", func(f *ast.File) error {
		n := 0
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || len(fn.Body.List) != 1 {
				continue
			}
			ret, ok := fn.Body.List[0].(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			call, ok := ret.Results[0].(*ast.CallExpr)
			if !ok || !isSelector(call.Fun, "graphql", "ResolveField") || len(call.Args) != 9 {
				continue
			}
			read, ok := plainRead(call.Args[4])
			if !ok || !isIdent(call.Args[5], "nil") || !isIdent(call.Args[7], "true") || !isIdent(call.Args[8], "true") {
				continue
			}
			marshaller, ok := plainMarshaller(call.Args[6])
			if !ok {
				continue
			}
			direct := &ast.IfStmt{
				Cond: &ast.CallExpr{
					Fun:  &ast.SelectorExpr{X: ast.NewIdent("plainfield"), Sel: ast.NewIdent("Direct")},
					Args: []ast.Expr{&ast.SelectorExpr{X: ast.NewIdent("ec"), Sel: ast.NewIdent("OperationContext")}},
				},
				Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ReturnStmt{Results: []ast.Expr{&ast.CallExpr{
					Fun: &ast.SelectorExpr{X: ast.NewIdent("ec"), Sel: ast.NewIdent(marshaller)},
					Args: []ast.Expr{
						ast.NewIdent("ctx"),
						&ast.SelectorExpr{X: ast.NewIdent("field"), Sel: ast.NewIdent("Selections")},
						read,
					},
				}}}}},
			}
			fn.Body.List = []ast.Stmt{direct, ret}
			n++
		}
		if n == 0 {
			return fmt.Errorf("%s has no plain field's resolver: has gqlgen's field resolution changed?", path)
		}
		return nil
	})
}

// plainRead returns obj.F when e is func(ctx context.Context) (any, error)
// { return obj.F, nil }.
func plainRead(e ast.Expr) (ast.Expr, bool) {
	lit, ok := e.(*ast.FuncLit)
	if !ok || len(lit.Body.List) != 1 {
		return nil, false
	}
	ret, ok := lit.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 2 || !isIdent(ret.Results[1], "nil") {
		return nil, false
	}
	sel, ok := ret.Results[0].(*ast.SelectorExpr)
	if !ok || !isIdent(sel.X, "obj") {
		return nil, false
	}
	return &ast.SelectorExpr{X: ast.NewIdent("obj"), Sel: ast.NewIdent(sel.Sel.Name)}, true
}

// plainMarshaller returns marshalX when e is func(ctx, selections, v T)
// graphql.Marshaler { return ec.marshalX(ctx, selections, v) } and
// marshalX is one of plainMarshallers.
func plainMarshaller(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.FuncLit)
	if !ok || len(lit.Body.List) != 1 {
		return "", false
	}
	ret, ok := lit.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return "", false
	}
	call, ok := ret.Results[0].(*ast.CallExpr)
	if !ok || len(call.Args) != 3 {
		return "", false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || !isIdent(sel.X, "ec") || !plainMarshallers[sel.Sel.Name] {
		return "", false
	}
	if !isIdent(call.Args[0], "ctx") || !isIdent(call.Args[1], "selections") || !isIdent(call.Args[2], "v") {
		return "", false
	}
	return sel.Sel.Name, true
}

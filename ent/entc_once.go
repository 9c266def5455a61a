//go:build ignore

package main

import (
	"fmt"
	"go/ast"
)

// marshalledOnce are the GraphQL object types whose equal answers their
// resolvers share (marshalonce.Intern), so that the executor writes each
// once per request and copies its bytes after that. A type belongs here
// only if it is plain data: no field of it runs a resolver, a directive or
// a query (graph/marshalonce says why).
var marshalledOnce = []string{"ViewerAccess"}

// marshalObjectsOnce makes the gqlgen executor at path marshal each type of
// marshalledOnce through marshalonce.Object: a call ec._T(ctx, sel, v)
// becomes marshalonce.Object(ctx, sel, v, ec._T), which takes the same
// arguments. gqlgen has no setting for it. It fails if a type's marshaller
// is called nowhere, so that an upgrade or a rename cannot drop the change
// unnoticed.
func marshalObjectsOnce(path string) error {
	return rewriteGo(path, "caseload/graph/marshalonce", func(f *ast.File) error {
		calls := map[string]int{}
		wanted := map[string]bool{}
		for _, t := range marshalledOnce {
			wanted["_"+t] = true
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 3 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !wanted[sel.Sel.Name] {
				return true
			}
			if recv, ok := sel.X.(*ast.Ident); !ok || recv.Name != "ec" {
				return true
			}
			call.Args = append(call.Args, sel)
			call.Fun = &ast.SelectorExpr{X: ast.NewIdent("marshalonce"), Sel: ast.NewIdent("Object")}
			calls[sel.Sel.Name]++
			return true
		})
		for name := range wanted {
			if calls[name] == 0 {
				return fmt.Errorf("%s calls ec.%s nowhere: has gqlgen's object marshalling changed?", path, name)
			}
		}
		return nil
	})
}

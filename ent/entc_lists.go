//go:build ignore

package main

import (
	"fmt"
	"go/ast"
)

// marshalListsInOrder makes the gqlgen executor at path marshal lists with
// listmarshal.MarshalSlice, which keeps a list's elements in one goroutine
// while they need no database round trip (graph/listmarshal says why),
// where gqlgen's template calls graphql.MarshalSliceConcurrently. gqlgen
// has no setting for it. Both functions take the same arguments, so only
// the callee changes. It fails if gqlgen stops calling the function, so
// that an upgrade cannot drop the change unnoticed.
func marshalListsInOrder(path string) error {
	return rewriteGo(path, "caseload/graph/listmarshal", func(f *ast.File) error {
		calls := 0
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "graphql" && sel.Sel.Name == "MarshalSliceConcurrently" {
				pkg.Name, sel.Sel.Name = "listmarshal", "MarshalSlice"
				calls++
			}
			return true
		})
		if calls == 0 {
			return fmt.Errorf("%s calls graphql.MarshalSliceConcurrently nowhere: has gqlgen's list marshalling changed?", path)
		}
		return nil
	})
}

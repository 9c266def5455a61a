//go:build ignore

package main

import (
	"fmt"
	"go/ast"
)

// answerDeferredInline makes the gqlgen executor at path collect fields
// with inlinedefer.CollectFields, which answers fields under @defer in the
// response itself (graph/inlinedefer says why), and build each object's
// deferred group with inlinedefer.Group, which stays empty when nothing is
// deferred. graphql.CollectFields(oc, sel, satisfies) keeps its arguments;
// graphql.NewDeferredGroup(ctx) gains the object's collected fields, which
// gqlgen's template names fields. gqlgen has no setting for either. It
// fails if gqlgen stops making either call, so that an upgrade cannot drop
// the change unnoticed.
func answerDeferredInline(path string) error {
	return rewriteGo(path, "caseload/graph/inlinedefer", func(f *ast.File) error {
		collects, groups := 0, 0
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || pkg.Name != "graphql" {
				return true
			}
			switch sel.Sel.Name {
			case "CollectFields":
				pkg.Name = "inlinedefer"
				collects++
			case "NewDeferredGroup":
				pkg.Name, sel.Sel.Name = "inlinedefer", "Group"
				call.Args = append(call.Args, ast.NewIdent("fields"))
				groups++
			}
			return true
		})
		// gqlgen's template builds each object's group right after collecting
		// its fields: a count that differs means some object is collected
		// another way, and the change would be partial.
		if collects == 0 || collects != groups {
			return fmt.Errorf("%s calls graphql.CollectFields %d times and graphql.NewDeferredGroup %d times: has gqlgen's field collection changed?", path, collects, groups)
		}
		return nil
	})
}

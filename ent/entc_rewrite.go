//go:build ignore

package main

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"

	"golang.org/x/tools/go/ast/astutil"
)

// rewriteGo parses the Go file at path, lets edit change its syntax tree,
// adds the import importPath unless it is "" and writes the file back
// formatted: the one way the rewrites of generated code (entc_lists.go,
// entc_once.go, entc_defer.go, entc_fields.go, entc_collect.go,
// entc_plain.go, entc_objects.go, entc_aliases.go) change it.
func rewriteGo(path, importPath string, edit func(f *ast.File) error) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
	if err != nil {
		return err
	}
	if err := edit(f); err != nil {
		return err
	}
	if importPath != "" {
		astutil.AddImport(fset, f, importPath)
	}
	var out bytes.Buffer
	if err := format.Node(&out, fset, f); err != nil {
		return err
	}
	return os.WriteFile(path, out.Bytes(), 0o644)
}

// fieldSetAt is the index, in body's top level, of the statement
// out := graphql.NewFieldSet(...) with which gqlgen's object marshallers
// begin, or -1.
func fieldSetAt(body *ast.BlockStmt) int {
	for i, stmt := range body.List {
		assign, ok := stmt.(*ast.AssignStmt)
		if !ok || assign.Tok != token.DEFINE || len(assign.Lhs) != 1 || len(assign.Rhs) != 1 || !isIdent(assign.Lhs[0], "out") {
			continue
		}
		if call, ok := assign.Rhs[0].(*ast.CallExpr); ok && isSelector(call.Fun, "graphql", "NewFieldSet") {
			return i
		}
	}
	return -1
}

// isIdent reports whether e is the identifier name.
func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// isSelector reports whether e is pkg.name.
func isSelector(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == name && isIdent(sel.X, pkg)
}

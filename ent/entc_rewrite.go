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
// entc_plain.go, entc_objects.go) change it.
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

//go:build ignore

package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
)

// connectionFieldsByName is entgql's collectedField, which finds the
// selection at a path below the field being resolved, made to find a
// connection's own fields (edges, node, totalCount, pageInfo) by their
// names. entgql's matches every step of the path against the selections'
// aliases: a query that aliased edges (`list: edges { ... }`) was answered
// with no clients, one that aliased totalCount or pageInfo with a count of
// 0 or no next page, and no error said why. The other steps of a path are
// aliases, which entgql appends itself (a nested connection's), and are
// still matched so. Two aliases of the same field (`a: edges` and `b:
// edges`) are merged into one selection, so that what either selects is
// loaded.
const connectionFieldsByName = `package ent

func collectedField(ctx context.Context, path ...string) *graphql.CollectedField {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return nil
	}
	field := fc.Field
	oc := graphql.GetOperationContext(ctx)
	for _, name := range path {
		fields := graphql.CollectFields(oc, field.Selections, nil)
		var found *graphql.CollectedField
		switch name {
		case edgesField, nodeField, totalCountField, pageInfoField:
			for _, f := range fields {
				if f.Name != name {
					continue
				}
				if found == nil {
					found = &f
					continue
				}
				merged := make(ast.SelectionSet, 0, len(found.Selections)+len(f.Selections))
				found.Selections = append(append(merged, found.Selections...), f.Selections...)
			}
		}
		if found == nil {
			for _, f := range fields {
				if f.Alias == name {
					found = &f
					break
				}
			}
		}
		if found == nil {
			return nil
		}
		field = *found
	}
	return &field
}
`

// findConnectionFieldsByName replaces the body of collectedField in the
// generated file at path with connectionFieldsByName's, and adds the
// import of gqlparser's ast it uses. It fails if the file has no such
// function, or one of another signature, so that an upgrade of entgql that
// renames or changes it is noticed.
func findConnectionFieldsByName(path string) error {
	body, err := funcBody("fixed.go", []byte(connectionFieldsByName))
	if err != nil {
		return err
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		return err
	}
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || fn.Name.Name != "collectedField" {
			continue
		}
		if sig := string(src[fset.Position(fn.Type.Pos()).Offset:fset.Position(fn.Type.End()).Offset]); sig != "func collectedField(ctx context.Context, path ...string) *graphql.CollectedField" {
			return fmt.Errorf("%s: collectedField is %q: has entgql's collection changed?", path, sig)
		}
		from, to := fset.Position(fn.Body.Pos()).Offset, fset.Position(fn.Body.End()).Offset
		out := append(append(append([]byte{}, src[:from]...), body...), src[to:]...)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			return err
		}
		// Formatted, with the import the new body needs.
		return rewriteGo(path, "github.com/vektah/gqlparser/v2/ast", func(*ast.File) error { return nil })
	}
	return fmt.Errorf("%s: no func collectedField: has entgql's collection changed?", path)
}

// funcBody is the source of the body of the one function in src.
func funcBody(name string, src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		return nil, err
	}
	fn, ok := f.Decls[0].(*ast.FuncDecl)
	if !ok || len(f.Decls) != 1 {
		return nil, fmt.Errorf("%s: want one function", name)
	}
	return src[fset.Position(fn.Body.Pos()).Offset:fset.Position(fn.Body.End()).Offset], nil
}

//go:build ignore

package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"
)

// columnlessResolvers are GraphQL fields, by the Ent query type whose field
// collection meets them, that a resolver answers from the row's ID alone.
// entgql's collection does not know a resolver field's needs, so it loads
// every column of the row when one is selected; a caseload page, which
// always asks viewerAccess, then read and decoded each client's contact
// details, address and date of birth that it never showed. Listing a field
// here makes the collection select only the columns of the fields asked
// beside it. A field belongs here only if its resolver reads nothing of the
// row but the ID (always selected): viewerAccess reads its decision by ID
// (rule.DecisionOn), and decisions are made in SQL, never from loaded
// columns.
var columnlessResolvers = map[string][]string{
	"ClientRecordQuery": {"viewerAccess"},
}

// selectColumnsBesideResolvers makes the entgql field collection at path
// treat each field of columnlessResolvers as needing no column: in
// (*Q).collectField, the switch over the collected fields' names gains an
// empty case for it where it would otherwise reach the default, which marks
// an unknown field and selects every column. entgql has no setting for it.
// It fails if a listed query has no such switch, or already has the case,
// so that an upgrade or a rename cannot drop or double the change
// unnoticed.
func selectColumnsBesideResolvers(path string) error {
	return rewriteGo(path, "", func(f *ast.File) error {
		done := map[string]bool{}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Name.Name != "collectField" || fn.Recv == nil || len(fn.Recv.List) != 1 {
				continue
			}
			star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			recv, ok := star.X.(*ast.Ident)
			if !ok || columnlessResolvers[recv.Name] == nil {
				continue
			}
			sw := fieldNameSwitch(fn.Body)
			if sw == nil {
				return fmt.Errorf("%s: (*%s).collectField has no switch on field.Name whose default marks an unknown field: has entgql's collection changed?", path, recv.Name)
			}
			for _, name := range columnlessResolvers[recv.Name] {
				if hasCase(sw, name) {
					return fmt.Errorf("%s: (*%s).collectField already has a case %q: is it now an Ent field or edge?", path, recv.Name, name)
				}
				clause := &ast.CaseClause{List: []ast.Expr{&ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(name)}}}
				// Before the default, which entgql's template puts last.
				sw.Body.List = append(sw.Body.List[:len(sw.Body.List)-1], clause, sw.Body.List[len(sw.Body.List)-1])
			}
			done[recv.Name] = true
		}
		for q := range columnlessResolvers {
			if !done[q] {
				return fmt.Errorf("%s has no (*%s).collectField: has entgql's collection changed?", path, q)
			}
		}
		return nil
	})
}

// fieldNameSwitch finds, in body, the switch on field.Name whose last
// clause is the default setting unknownSeen = true.
func fieldNameSwitch(body *ast.BlockStmt) *ast.SwitchStmt {
	var found *ast.SwitchStmt
	ast.Inspect(body, func(n ast.Node) bool {
		sw, ok := n.(*ast.SwitchStmt)
		if !ok || found != nil {
			return found == nil
		}
		tag, ok := sw.Tag.(*ast.SelectorExpr)
		if !ok || tag.Sel.Name != "Name" || len(sw.Body.List) == 0 {
			return true
		}
		if x, ok := tag.X.(*ast.Ident); !ok || x.Name != "field" {
			return true
		}
		last, ok := sw.Body.List[len(sw.Body.List)-1].(*ast.CaseClause)
		if !ok || last.List != nil || len(last.Body) != 1 {
			return true
		}
		assign, ok := last.Body[0].(*ast.AssignStmt)
		if !ok || len(assign.Lhs) != 1 {
			return true
		}
		if id, ok := assign.Lhs[0].(*ast.Ident); ok && id.Name == "unknownSeen" {
			found = sw
			return false
		}
		return true
	})
	return found
}

// hasCase reports whether sw has a case for the string name.
func hasCase(sw *ast.SwitchStmt, name string) bool {
	for _, stmt := range sw.Body.List {
		for _, e := range stmt.(*ast.CaseClause).List {
			if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING && lit.Value == strconv.Quote(name) {
				return true
			}
		}
	}
	return false
}

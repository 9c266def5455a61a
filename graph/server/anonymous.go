package server

import (
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/graph/errcode"
)

// checkAnonymous bounds what a caller without a token costs the server: its
// document may ask only for the public root fields (publicFields, the one
// list, which requireViewer enforces again at execution), and for
// introspection only when allowed. It reads the parsed document's root
// selections, operations and root fragments alike, each fragment once, so
// it answers in time linear in the document, before gqlgen's validation,
// which a large anonymous document would otherwise make expensive.
func checkAnonymous(doc *ast.QueryDocument, introspection bool) *gqlerror.Error {
	seen := map[string]bool{}
	for _, op := range doc.Operations {
		if err := checkAnonymousSet(doc, op.SelectionSet, introspection, seen); err != nil {
			return err
		}
	}
	return nil
}

func checkAnonymousSet(doc *ast.QueryDocument, set ast.SelectionSet, introspection bool, seen map[string]bool) *gqlerror.Error {
	for _, sel := range set {
		var err *gqlerror.Error
		switch sel := sel.(type) {
		case *ast.Field:
			err = checkAnonymousField(sel, introspection)
		case *ast.InlineFragment:
			err = checkAnonymousSet(doc, sel.SelectionSet, introspection, seen)
		case *ast.FragmentSpread:
			if def := doc.Fragments.ForName(sel.Name); def != nil && !seen[sel.Name] {
				seen[sel.Name] = true
				err = checkAnonymousSet(doc, def.SelectionSet, introspection, seen)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func checkAnonymousField(f *ast.Field, introspection bool) *gqlerror.Error {
	switch {
	case isIntrospection(f.Name) && !introspection:
		return locate(errcode.New(errcode.Unauthenticated,
			"introspection needs a login: send Authorization: Bearer <token>"), f)
	case !publicFields[f.Name]:
		return locate(errcode.New(errcode.Unauthenticated,
			"log in first: send Authorization: Bearer <token>"), f)
	}
	return nil
}

// isIntrospection reports whether a root field is schema introspection;
// __typename is not: it reveals nothing and every client may ask for it.
func isIntrospection(name string) bool { return name == "__schema" || name == "__type" }

// usesIntrospection reports whether any operation or fragment of the
// document selects __schema or __type at its root (the only place valid).
func usesIntrospection(doc *ast.QueryDocument) bool {
	var walk func(ast.SelectionSet) bool
	walk = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				if isIntrospection(sel.Name) {
					return true
				}
			case *ast.InlineFragment:
				if walk(sel.SelectionSet) {
					return true
				}
			}
		}
		return false
	}
	for _, op := range doc.Operations {
		if walk(op.SelectionSet) {
			return true
		}
	}
	for _, f := range doc.Fragments {
		if walk(f.SelectionSet) {
			return true
		}
	}
	return false
}

// locate points an error at the field it is about.
func locate(err *gqlerror.Error, f *ast.Field) *gqlerror.Error {
	if f.Position != nil {
		err.Locations = []gqlerror.Location{{Line: f.Position.Line, Column: f.Position.Column}}
	}
	return err
}

package server

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"caseload/graph"
	"caseload/graph/errcode"
)

// pageVariables completes pageDefaults for page sizes passed as variables:
// a connection written as clients(first: $first) whose $first is absent or
// null would, nested, load every row (pageDefaults explains why). For each
// request it gives such a variable graph.DefaultPageSize, when the variable
// serves only as the page size of connections (first, or last when first is
// not written) whose other size is not set either, so that nothing else the
// operation reads changes.
type pageVariables struct{}

var (
	_ graphql.HandlerExtension        = pageVariables{}
	_ graphql.OperationContextMutator = pageVariables{}
)

// ExtensionName names the extension in gqlgen's stats.
func (pageVariables) ExtensionName() string { return "CaseloadPageVariables" }

// Validate accepts every schema.
func (pageVariables) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext defaults the request's null page-size variables.
func (pageVariables) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || len(oc.Operation.VariableDefinitions) == 0 {
		return nil
	}
	u := &variableUses{doc: oc.Doc, vars: oc.Variables, pageOnly: map[string]bool{}, seen: map[string]bool{}}
	u.set(oc.Operation.SelectionSet)
	for name, pageOnly := range u.pageOnly {
		if pageOnly && oc.Variables[name] == nil {
			if oc.Variables == nil {
				oc.Variables = map[string]any{}
			}
			oc.Variables[name] = json.Number(strconv.Itoa(graph.DefaultPageSize))
		}
	}
	// A variable that also serves elsewhere (the same $n as first and as
	// last) keeps its null, which would page nothing: refuse it rather
	// than load every row.
	if f := u.unboundedPage(oc.Operation.SelectionSet, map[string]bool{}); f != nil {
		err := gqlerror.ErrorPosf(f.Position, "%s needs first or last (at most %d): the variables given leave both null", f.Name, graph.MaxPageSize)
		err.Extensions = map[string]any{"code": string(errcode.BadUserInput)}
		return err
	}
	return nil
}

// unboundedPage returns a connection whose first and last both come out
// null for this request, if any.
func (u *variableUses) unboundedPage(set ast.SelectionSet, seen map[string]bool) *ast.Field {
	for _, sel := range set {
		var sub ast.SelectionSet
		switch sel := sel.(type) {
		case *ast.Field:
			if sel.Definition != nil && sel.Definition.Arguments.ForName("first") != nil && sel.Definition.Arguments.ForName("last") != nil {
				first, last := sel.Arguments.ForName("first"), sel.Arguments.ForName("last")
				if (first != nil || last != nil) && u.isNull(first) && u.isNull(last) {
					return sel
				}
			}
			sub = sel.SelectionSet
		case *ast.InlineFragment:
			sub = sel.SelectionSet
		case *ast.FragmentSpread:
			if def := u.doc.Fragments.ForName(sel.Name); def != nil && !seen[sel.Name] {
				seen[sel.Name] = true
				sub = def.SelectionSet
			}
		}
		if f := u.unboundedPage(sub, seen); f != nil {
			return f
		}
	}
	return nil
}

// variableUses finds, in an operation with its fragments, the variables
// that serve only as the page size of a connection whose other size is
// null.
type variableUses struct {
	doc  *ast.QueryDocument
	vars map[string]any
	// pageOnly is true for a variable seen only as such a page size, false
	// for one seen anywhere else.
	pageOnly map[string]bool
	seen     map[string]bool
}

func (u *variableUses) set(set ast.SelectionSet) {
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			u.field(sel)
			u.set(sel.SelectionSet)
		case *ast.InlineFragment:
			u.directives(sel.Directives)
			u.set(sel.SelectionSet)
		case *ast.FragmentSpread:
			u.directives(sel.Directives)
			if def := u.doc.Fragments.ForName(sel.Name); def != nil && !u.seen[sel.Name] {
				u.seen[sel.Name] = true
				u.set(def.SelectionSet)
			}
		}
	}
}

func (u *variableUses) field(f *ast.Field) {
	u.directives(f.Directives)
	var size *ast.Argument
	if f.Definition != nil && f.Definition.Arguments.ForName("last") != nil {
		first, last := f.Arguments.ForName("first"), f.Arguments.ForName("last")
		switch {
		case first != nil && u.isNull(last):
			size = first
		case first == nil && last != nil:
			size = last
		}
	}
	for _, arg := range f.Arguments {
		u.value(arg.Value, arg == size && arg.Value.Kind == ast.Variable)
	}
}

// isNull reports whether an argument is absent or null in this request.
func (u *variableUses) isNull(arg *ast.Argument) bool {
	if arg == nil {
		return true
	}
	v, err := arg.Value.Value(u.vars)
	return err == nil && v == nil
}

func (u *variableUses) directives(list ast.DirectiveList) {
	for _, d := range list {
		for _, arg := range d.Arguments {
			u.value(arg.Value, false)
		}
	}
}

// value records the variables a value uses.
func (u *variableUses) value(v *ast.Value, pageSize bool) {
	if v == nil {
		return
	}
	if v.Kind == ast.Variable {
		if prev, ok := u.pageOnly[v.Raw]; ok {
			u.pageOnly[v.Raw] = prev && pageSize
		} else {
			u.pageOnly[v.Raw] = pageSize
		}
		return
	}
	for _, child := range v.Children {
		u.value(child.Value, false)
	}
}

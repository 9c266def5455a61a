package main

import (
	"slices"

	"github.com/vektah/gqlparser/v2/ast"
)

// serverOnly are gqlgen's directives: they tell the Go code generator how
// to bind types and fields, mean nothing to a caller, and would make a
// client's code generator fail on directives it does not know.
var serverOnly = []string{"goModel", "goField", "goTag", "goExtraField", "goEnum"}

// stripServerOnly removes serverOnly from s, definitions and uses. It
// changes s in place: this program's schema is its own, printed once.
func stripServerOnly(s *ast.Schema) *ast.Schema {
	for _, name := range serverOnly {
		delete(s.Directives, name)
	}
	for _, def := range s.Types {
		def.Directives = without(def.Directives)
		for _, f := range def.Fields {
			f.Directives = without(f.Directives)
			for _, a := range f.Arguments {
				a.Directives = without(a.Directives)
			}
		}
		for _, v := range def.EnumValues {
			v.Directives = without(v.Directives)
		}
	}
	return s
}

func without(list ast.DirectiveList) ast.DirectiveList {
	return slices.DeleteFunc(list, func(d *ast.Directive) bool { return slices.Contains(serverOnly, d.Name) })
}

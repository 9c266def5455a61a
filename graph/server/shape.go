package server

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// shape is what the depth, alias and directive limits read from a selection
// set, fragments expanded. It depends on the selection set alone, never on
// where a fragment is spread, so each fragment is measured once: a document
// that spreads fragments inside fragments is measured in linear time, even
// when its expansion is exponential.
type shape struct {
	// depth is the longest chain of nested fields outside introspection.
	depth int
	// introspectionDepth is the longest chain under __schema or __type.
	introspectionDepth int
	// typeLists is the deepest nesting of fields named as __Type's lists
	// (fields, interfaces, possibleTypes, inputFields), and
	// introspectionLists the same under __schema or __type, where each level
	// multiplies the answer by the size of the schema.
	typeLists          int
	introspectionLists int
	aliases            int
	directives         int
	// fields counts the fields selected.
	fields int
}

// maxTypeLists is how deeply __Type's lists may nest under introspection,
// as graphql-js's MaxIntrospectionDepthRule allows: the introspection
// queries of GraphiQL and code generators nest them once.
const maxTypeLists = 2

// saturated caps every count, so that an exponential expansion cannot
// overflow an int.
const saturated = 1 << 40

func satAdd(a, b int) int { return min(a+b, saturated) }

func satMul(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a > saturated/b {
		return saturated
	}
	return a * b
}

// merge combines the shapes of sibling selections.
func (s shape) merge(o shape) shape {
	return shape{
		depth:              max(s.depth, o.depth),
		introspectionDepth: max(s.introspectionDepth, o.introspectionDepth),
		typeLists:          max(s.typeLists, o.typeLists),
		introspectionLists: max(s.introspectionLists, o.introspectionLists),
		aliases:            satAdd(s.aliases, o.aliases),
		directives:         satAdd(s.directives, o.directives),
		fields:             satAdd(s.fields, o.fields),
	}
}

// shaper measures the selections of one document.
type shaper struct {
	fragments map[string]*ast.FragmentDefinition
	memo      map[string]shape
	// busy marks the fragments being measured: a cycle, which validation
	// refuses later, counts as empty here instead of recursing forever.
	busy map[string]bool
}

func newShaper(doc *ast.QueryDocument) *shaper {
	s := &shaper{
		fragments: make(map[string]*ast.FragmentDefinition, len(doc.Fragments)),
		memo:      map[string]shape{},
		busy:      map[string]bool{},
	}
	for _, f := range doc.Fragments {
		s.fragments[f.Name] = f
	}
	return s
}

// operation measures an operation, its own and its variables' directives
// included.
func (s *shaper) operation(op *ast.OperationDefinition) shape {
	out := s.set(op.SelectionSet)
	out.directives = satAdd(out.directives, len(op.Directives))
	for _, v := range op.VariableDefinitions {
		out.directives = satAdd(out.directives, len(v.Directives))
	}
	return out
}

func (s *shaper) set(set ast.SelectionSet) shape {
	var out shape
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			out = out.merge(s.field(sel))
		case *ast.InlineFragment:
			in := s.set(sel.SelectionSet)
			in.directives = satAdd(in.directives, len(sel.Directives))
			out = out.merge(in)
		case *ast.FragmentSpread:
			in := s.fragment(sel.Name)
			in.directives = satAdd(in.directives, len(sel.Directives))
			out = out.merge(in)
		}
	}
	return out
}

func (s *shaper) field(f *ast.Field) shape {
	child := s.set(f.SelectionSet)
	out := shape{
		typeLists:          child.typeLists,
		introspectionLists: child.introspectionLists,
		aliases:            child.aliases,
		directives:         satAdd(child.directives, len(f.Directives)),
		fields:             satAdd(child.fields, 1),
	}
	if f.Alias != "" && f.Alias != f.Name {
		out.aliases = satAdd(out.aliases, 1)
	}
	switch f.Name {
	case "__schema", "__type":
		out.introspectionDepth = 1 + max(child.depth, child.introspectionDepth)
		out.introspectionLists = max(out.introspectionLists, child.typeLists)
		return out
	case "fields", "interfaces", "possibleTypes", "inputFields":
		out.typeLists++
	}
	out.depth = 1 + child.depth
	if child.introspectionDepth > 0 {
		out.introspectionDepth = 1 + child.introspectionDepth
	}
	return out
}

func (s *shaper) fragment(name string) shape {
	if m, ok := s.memo[name]; ok {
		return m
	}
	def := s.fragments[name]
	if def == nil || s.busy[name] {
		return shape{}
	}
	s.busy[name] = true
	m := s.set(def.SelectionSet)
	m.directives = satAdd(m.directives, len(def.Directives))
	delete(s.busy, name)
	s.memo[name] = m
	return m
}

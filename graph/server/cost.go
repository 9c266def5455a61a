package server

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The cost of a request is computed from the schema, before validation and
// before any resolver: every field selected costs 1, and the fields under a
// list cost once per item the list may hold. A connection holds first or
// last items (graph.DefaultPageSize if neither), so nested connections
// multiply; a bounded child list holds its first; nodes(ids) holds its ids;
// any other list holds its listEstimates entry, or defaultListEstimate.
// Introspection (__schema, __type) costs 1 per field: the introspection
// limits bound it.
//
// gqlgen's own complexity (extension.ComplexityLimit over the generated
// ComplexityRoot) is not used: it runs after validation, which for a hostile
// document costs more than the request; it walks every fragment spread again,
// so nested spreads cost exponential time; and it would need a hand-written
// function per list field in the generated Config. This walk measures each
// fragment once per page size and needs nothing but the schema.

// defaultListEstimate is the assumed size of a list without a size argument
// and without an entry in listEstimates.
const defaultListEstimate = 20

// listEstimates are the assumed sizes of the lists whose size no argument
// gives, keyed by type and field: small by the policy's own words (sections,
// rules) or by what a practice holds.
var listEstimates = map[string]int{
	"Client.careTeam":                 10,
	"Client.tags":                     10,
	"Role.restrictToTags":             10,
	"Role.sections":                   6,
	"ViewerAccess.sections":           6,
	"Query.roles":                     20,
	"Query.tags":                      50,
	"Query.teamCapacity":              50,
	"PractitionerCapacity.openSlots":  100,
	"ReassignCaseloadPayload.clients": 100,
	"Member.weeklyAvailability":       14,
}

// coster computes the cost of one operation.
type coster struct {
	schema    *ast.Schema
	op        *ast.OperationDefinition
	vars      map[string]any
	fragments map[string]*ast.FragmentDefinition
	memo      map[fragmentPage]int
	busy      map[string]bool
	// shapes measures introspection selections, which cost 1 per field.
	shapes *shaper
	// err is the first page size refused, if any.
	err *gqlerror.Error
}

// fragmentPage keys a fragment's cost: inside a connection type, the page
// size of the enclosing connection changes it.
type fragmentPage struct {
	name string
	page int
}

func newCoster(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, shapes *shaper) *coster {
	c := &coster{
		shapes:    shapes,
		schema:    schema,
		op:        op,
		vars:      vars,
		fragments: make(map[string]*ast.FragmentDefinition, len(doc.Fragments)),
		memo:      map[fragmentPage]int{},
		busy:      map[string]bool{},
	}
	for _, f := range doc.Fragments {
		c.fragments[f.Name] = f
	}
	return c
}

func (c *coster) fail(err *gqlerror.Error) {
	if c.err == nil {
		c.err = err
	}
}

// operation is the cost of op.
func (c *coster) operation() int {
	root := c.schema.Query
	switch c.op.Operation {
	case ast.Mutation:
		root = c.schema.Mutation
	case ast.Subscription:
		root = c.schema.Subscription
	}
	return c.set(c.op.SelectionSet, root, 0)
}

// set is the cost of a selection set on parent; page is the page size when
// parent is a connection type.
func (c *coster) set(set ast.SelectionSet, parent *ast.Definition, page int) int {
	total := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			total = satAdd(total, c.field(sel, parent, page))
		case *ast.InlineFragment:
			total = satAdd(total, c.set(sel.SelectionSet, c.typeOr(sel.TypeCondition, parent), page))
		case *ast.FragmentSpread:
			total = satAdd(total, c.fragment(sel.Name, page))
		}
	}
	return total
}

func (c *coster) fragment(name string, page int) int {
	key := fragmentPage{name, page}
	if n, ok := c.memo[key]; ok {
		return n
	}
	def := c.fragments[name]
	if def == nil || c.busy[name] {
		return 0
	}
	c.busy[name] = true
	n := c.set(def.SelectionSet, c.typeOr(def.TypeCondition, nil), page)
	delete(c.busy, name)
	c.memo[key] = n
	return n
}

func (c *coster) typeOr(name string, fallback *ast.Definition) *ast.Definition {
	if t := c.schema.Types[name]; t != nil {
		return t
	}
	return fallback
}

// field is the cost of one field: 1, plus its selections times the size of
// its list.
func (c *coster) field(f *ast.Field, parent *ast.Definition, page int) int {
	if parent == nil {
		return 1
	}
	def := parent.Fields.ForName(f.Name)
	if def == nil {
		// __typename, or a field validation will refuse.
		return 1
	}
	if f.Name == "__schema" || f.Name == "__type" {
		return satAdd(1, c.flat(f.SelectionSet))
	}
	t := c.schema.Types[def.Type.Name()]
	if t == nil || len(f.SelectionSet) == 0 {
		return 1
	}
	childPage := 0
	if isConnection(t, def) {
		childPage = c.pageSize(f, def)
	}
	child := c.set(f.SelectionSet, t, childPage)
	if def.Type.Elem == nil {
		return satAdd(1, child)
	}
	return satAdd(1, satMul(c.listSize(f, def, parent, page), child))
}

// listSize is the number of items a list field may hold.
func (c *coster) listSize(f *ast.Field, def *ast.FieldDefinition, parent *ast.Definition, page int) int {
	switch {
	case page > 0 && isConnectionType(parent):
		return page
	case def.Arguments.ForName("first") != nil:
		return c.pageSize(f, def)
	case def.Arguments.ForName("ids") != nil:
		if arg := f.Arguments.ForName("ids"); arg != nil {
			if n, ok := c.listLength(arg.Value); ok {
				return c.checkIDs(f, n)
			}
		}
	}
	if n, ok := listEstimates[parent.Name+"."+def.Name]; ok {
		return n
	}
	return defaultListEstimate
}

// flat counts the fields under an introspection field, fragments expanded.
func (c *coster) flat(set ast.SelectionSet) int {
	return c.shapes.set(set).fields
}

// isConnection reports whether a field returns a Relay connection it pages
// with first or last.
func isConnection(t *ast.Definition, def *ast.FieldDefinition) bool {
	return isConnectionType(t) && (def.Arguments.ForName("first") != nil || def.Arguments.ForName("last") != nil)
}

func isConnectionType(t *ast.Definition) bool {
	return t != nil && t.Kind == ast.Object && strings.HasSuffix(t.Name, "Connection")
}

// Package joinload lets a unique edge be loaded in the statement of the query
// that asks for it, instead of in a statement of its own.
//
// Ent loads every edge with a second statement. For a page of clients that
// is one statement per edge selected. An edge annotated here gets, on its
// owner's query type, Join<Edge>(ctx), which turns a pending eager load into
// a LEFT JOIN on the edge query's own SELECT: the edge type's privacy policy
// runs first (prepareQuery), so the joined rows are filtered by exactly the
// predicates a separate load would have carried, and a load with anything
// the join could not honour (its own eager loads, interceptors other than
// those that only observe, such as ent/querycount's, modifiers, order or
// limit) is left a statement of its own. The code is generated from
// template/joinload.tmpl.
package joinload

// Annotation marks a unique edge, whose foreign key is on the owner's table,
// as one its owner's query may answer with a join.
type Annotation struct {
	// Join is always true: an annotation with no fields would reach the
	// templates as an empty map, which they read as false.
	Join bool
}

// Name implements schema.Annotation.
func (Annotation) Name() string { return "JoinLoad" }

// Edge returns the annotation for an edge.
func Edge() Annotation { return Annotation{Join: true} }

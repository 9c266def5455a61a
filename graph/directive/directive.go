// Package directive holds the runtime of each GraphQL directive that guards
// a field, and Root, the one function that wires them all. Their names and
// the annotations that put them on Ent fields are in ent/schema/gqldirective.
package directive

import "caseload/graph/generated"

// Root returns every directive's runtime, for the executable schema.
func Root() generated.DirectiveRoot {
	return generated.DirectiveRoot{
		Section:       section,
		ManagesAccess: managesAccess,
		TeamCapacity:  teamCapacity,
		Schedule:      schedule,
	}
}

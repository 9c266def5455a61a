package graph_test

import (
	"testing"

	"caseload/graph"
)

// Policy §4: every field guarded by a section is nullable, so that a denied
// field is null with an error and the rest of its object is still served. A
// non-null guarded field would null its whole parent instead.
func TestSchema_EveryGuardedFieldIsNullable(t *testing.T) {
	schema := graph.NewSchema(graph.Config{}).Schema()
	guarded := 0
	for _, def := range schema.Types {
		for _, f := range def.Fields {
			if f.Directives.ForName("section") == nil && f.Directives.ForName("managesAccess") == nil && f.Directives.ForName("teamCapacity") == nil {
				continue
			}
			guarded++
			if f.Type.NonNull {
				t.Errorf("%s.%s is guarded but non-null: %s", def.Name, f.Name, f.Type)
			}
		}
	}
	if guarded < 12 {
		t.Fatalf("found only %d guarded fields; the directives are missing from the schema", guarded)
	}
}

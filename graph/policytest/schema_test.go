package policytest

import (
	"slices"
	"strings"
	"testing"

	"caseload/ent/schema/access"
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

// Policy §4: the PROFILE fields of Client are exactly access.ProfileColumns,
// the list the client rules decide PROFILE edits with (plus the tags edge).
func TestSchema_ProfileFieldsAreTheOneList(t *testing.T) {
	schema := graph.NewSchema(graph.Config{}).Schema()
	var got []string
	for _, f := range schema.Types["Client"].Fields {
		d := f.Directives.ForName("section")
		// Tags and possible duplicates are read through PROFILE but are
		// not columns of it.
		if d != nil && d.Arguments.ForName("section").Value.Raw == string(access.Profile) && f.Name != "tags" && f.Name != "possibleDuplicates" {
			got = append(got, f.Name)
		}
	}
	var want []string
	for _, c := range access.ProfileColumns {
		parts := strings.Split(c, "_")
		for i := 1; i < len(parts); i++ {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
		want = append(want, strings.Join(parts, ""))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("Client fields under @section(PROFILE): %v; access.ProfileColumns: %v", got, want)
	}
}

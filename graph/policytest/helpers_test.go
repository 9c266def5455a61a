package policytest

import (
	"fmt"
	"strings"
	"testing"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// requireCode fails unless the response carries exactly one error, with code.
func requireCode(t *testing.T, r *graphtest.Response, code string) graphtest.Error {
	t.Helper()
	if len(r.Errors) != 1 || r.Errors[0].Code() != code {
		t.Fatalf("want one %s error, got status %d errors %+v", code, r.Status, r.Errors)
	}
	return r.Errors[0]
}

// errorAt returns the errors whose path ends with the given field name.
func errorAt(r *graphtest.Response, field string) []graphtest.Error {
	var out []graphtest.Error
	for _, e := range r.Errors {
		if len(e.Path) > 0 && fmt.Sprint(e.Path[len(e.Path)-1]) == field {
			out = append(out, e)
		}
	}
	return out
}

// requireForbiddenSection fails unless every error is a FORBIDDEN at field
// naming section, and there is at least one.
func requireForbiddenSection(t *testing.T, r *graphtest.Response, field string, section access.Section) {
	t.Helper()
	errs := errorAt(r, field)
	if len(errs) == 0 || len(errs) != len(r.Errors) {
		t.Fatalf("want FORBIDDEN at %s only, got %+v", field, r.Errors)
	}
	for _, e := range errs {
		if e.Code() != "FORBIDDEN" || e.Extensions["section"] != string(section) {
			t.Fatalf("want FORBIDDEN/%s at %s, got %+v", section, field, e)
		}
	}
}

// practitionerRole is a role of p for practitioners with every section at
// level, and the given capabilities, optionally restricted to tags.
func practitionerRole(e *graphtest.Env, p *ent.Practice, level access.Level, caps []access.Capability, tags ...*ent.Tag) *ent.Role {
	return e.Role(p, access.Practitioner, access.AllSections(level), caps, tags...)
}

// quoted joins ids as a GraphQL list literal.
func quoted[T ~string](ids ...T) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%q", string(id))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

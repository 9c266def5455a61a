package benchmarks

import (
	"fmt"
	"testing"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// caseloadPage is what the caseload screen asks for: a page of clients with
// name, tags, responsible practitioner and what the viewer may do.
const caseloadPage = `query($n: Int!) { clients(first: $n) { totalCount edges { node {
  id name tags { name } responsiblePractitioner { name }
  viewerAccess { level canEdit canAssign canShare canChangeResponsible sections { section level } } } } } }`

// Policy §4 performance promise: field levels for a page are decided in a
// bounded number of statements, not one per client or per field.
func TestCaseloadPage_StatementsDoNotGrowWithPageSize(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	north := e.Tag(p, "North")
	restricted := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View},
		[]access.Capability{access.AccessAllClients}, north)
	admin := e.Member(p, graphtest.Admin())
	practitioner := e.Member(p)
	clerk := e.Member(p, graphtest.Administrative(), graphtest.WithRole(restricted))
	for i := 0; i < 60; i++ {
		c := e.NewClient(p, graphtest.ResponsibleIs(practitioner), graphtest.Tagged(north))
		e.Assign(c, admin)
	}
	counter := e.CountStatements(t)
	for _, m := range []*ent.Member{admin, practitioner, clerk} {
		counts := map[int]int64{}
		for _, n := range []int{5, 50} {
			counter.Reset()
			e.As(m, caseloadPage, map[string]any{"n": n}).RequireNoErrors(t)
			counts[n] = counter.N()
		}
		if counts[5] != counts[50] {
			t.Fatalf("statements grow with the page: %v", counts)
		}
		t.Logf("%s: %d statements per page", describe(m), counts[50])
	}
}

func describe(m *ent.Member) string {
	return fmt.Sprintf("admin=%v type=%s role=%v", m.Admin, m.AccountType, m.RoleID != nil)
}

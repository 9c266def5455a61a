package benchmarks

import (
	"fmt"
	"strings"
	"testing"

	"caseload/ent"
	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// caseloadPage is what the caseload screen asks for: a page of clients with
// name, tags, responsible practitioner and what the viewer may do.
const caseloadPage = `query($n: Int!) { clients(first: $n) { totalCount edges { node {
  id name tags { name } responsiblePractitioner { name }
  viewerAccess { level canEdit canAssign canShare canChangeResponsible sections { section level } } } } } }`

// Policy §4 performance promise: field levels for a page are decided in a
// bounded number of statements, not one per client or per field. The counts
// are held exactly, per viewer, for the page with and without its count, on
// a session already in use (a session's first request also notes that it
// was seen): the viewer, the page with its decisions, responsible
// practitioners and tags (joined, ent/schema/joinload), and the count.
func TestCaseloadPage_StatementsPerViewerAreHeld(t *testing.T) {
	e := graphtest.New(t)
	admin, practitioner, clerk := tagPractice(e, 60)
	counter := e.CountStatements(t)
	// The page's statement carries a count that the kept counts answer
	// (the admin's, the clerk's); the practitioner's visits the clients in
	// a statement of its own.
	want := map[*ent.Member]map[string]int64{
		admin:        {"page": 2, "pageWithTotalCount": 2},
		practitioner: {"page": 2, "pageWithTotalCount": 3},
		clerk:        {"page": 2, "pageWithTotalCount": 2},
	}
	for _, m := range []*ent.Member{admin, practitioner, clerk} {
		token := e.Token(m)
		e.Do(token, caseloadPage, map[string]any{"n": 1}).RequireNoErrors(t)
		for name, query := range map[string]string{"page": caseloadPageNoCount, "pageWithTotalCount": caseloadPage} {
			counts := map[int]int64{}
			for _, n := range []int{5, 50} {
				counter.Reset()
				e.Do(token, query, map[string]any{"n": n}).RequireNoErrors(t)
				counts[n] = counter.N()
			}
			if counts[5] != counts[50] {
				t.Fatalf("%s, %s: statements grow with the page: %v", describe(m), name, counts)
			}
			if counts[50] != want[m][name] {
				t.Errorf("%s, %s: %d statements per page, want %d", describe(m), name, counts[50], want[m][name])
			}
		}
	}
}

// tagPractice makes a practice of n clients, each tagged North, with the
// practitioner responsible and the admin on the care team, and returns its
// three kinds of viewer: the admin, the practitioner, and a clerk whose
// role gives every client tagged North (ACCESS_ALL_CLIENTS) at profile VIEW.
func tagPractice(e *graphtest.Env, n int) (admin, practitioner, clerk *ent.Member) {
	p := e.Practice()
	north := e.Tag(p, "North")
	restricted := e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View},
		[]access.Capability{access.AccessAllClients}, north)
	admin = e.Member(p, graphtest.Admin())
	practitioner = e.Member(p)
	clerk = e.Member(p, graphtest.Administrative(), graphtest.WithRole(restricted))
	for range n {
		c := e.NewClient(p, graphtest.ResponsibleIs(practitioner), graphtest.Tagged(north))
		e.Assign(c, admin)
	}
	return admin, practitioner, clerk
}

func describe(m *ent.Member) string {
	return fmt.Sprintf("admin=%v type=%s role=%v", m.Admin, m.AccountType, m.RoleID != nil)
}

// The caseload page shows each client's name, tags, responsible
// practitioner and viewerAccess, so its statements read none of the
// client's contact details, date of birth or address: viewerAccess is
// decided by ID in SQL (rule.DecisionOn), not from loaded columns
// (ent/entc_collect.go). The same holds through an alias and a fragment,
// and through nodes. A page that asks for the email reads it, which shows
// the check can see a column.
func TestCaseloadPage_ReadsNoColumnItDoesNotShow(t *testing.T) {
	e := graphtest.New(t)
	admin, practitioner, clerk := tagPractice(e, 3)
	counter := e.CountStatements(t)
	counter.Record()
	unshown := []string{clientrecord.FieldEmail, clientrecord.FieldPhone, clientrecord.FieldDateOfBirth,
		clientrecord.FieldAddress, clientrecord.FieldEmergencyContact}
	for _, m := range []*ent.Member{admin, practitioner, clerk} {
		token := e.Token(m)
		var ids struct {
			Clients struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		e.Do(token, `{ clients(first: 50) { edges { node { id } } } }`, nil).Decode(t, &ids)
		var idList []string
		for _, edge := range ids.Clients.Edges {
			idList = append(idList, edge.Node.ID)
		}
		vars := map[string]any{"n": 50, "ids": idList}
		for _, query := range []string{caseloadPageNoCount, caseloadPage,
			// The same fields through an alias and a fragment, and through nodes.
			`query($n: Int!) { mine: clients(first: $n) { edges { node { ...C } } } }
			 fragment C on Client { id name tags { name } viewerAccess { level sections { section level } } }`,
			`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Client { name viewerAccess { level canEdit } } } }`,
		} {
			counter.Reset()
			e.Do(token, query, vars).RequireNoErrors(t)
			for _, column := range unshown {
				if stmt := readingColumn(counter.Statements(), column); stmt != "" {
					t.Errorf("%s: %s\nreads the client's %s, which it does not show:\n%s", describe(m), query, column, stmt)
				}
			}
		}
		counter.Reset()
		e.Do(token, `{ clients(first: 50) { edges { node { email viewerAccess { level } } } } }`, nil).RequireNoErrors(t)
		if readingColumn(counter.Statements(), clientrecord.FieldEmail) == "" {
			t.Errorf("%s: a page showing the email read no email column: %q", describe(m), counter.Statements())
		}
	}
}

// readingColumn is the first statement that names column of the client
// table, quoted as either dialect quotes it, or "".
func readingColumn(statements []string, column string) string {
	for _, s := range statements {
		if !strings.Contains(s, clientrecord.Table) {
			continue
		}
		for _, quoted := range []string{`"` + column + `"`, "`" + column + "`"} {
			if strings.Contains(s, quoted) {
				return s
			}
		}
	}
	return ""
}

package policytest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"caseload/ent/schema/access"
	"caseload/graph/graphtest"
)

// Policy §4 serves every field the viewer may read. The server answers in
// one response, so a fragment under @defer is answered in it, exactly as
// without the directive (graph/inlinedefer): before, gqlgen set deferred
// resolver fields aside for a payload that never came and answered them
// null without an error.

// deferShapes are fragments under @defer in the places clients put them,
// with the directive written DEFER so that the test can remove it.
var deferShapes = []string{
	`id ... DEFER { name viewerAccess { level canEdit } tags { name } responsiblePractitioner { name } }`,
	`id ...F DEFER`,
	`id name viewerAccess { level ... DEFER { sections { section level } rules } }`,
	`id ... on Client DEFER { careTeam { name } } ... DEFER { phone }`,
}

const deferFragment = ` fragment F on Client { name viewerAccess { rules } tags { name } }`

func TestDefer_IsAnsweredInTheResponse_AsWithoutIt(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	other := e.Member(p)
	tag := e.Tag(p, "anxiety")
	mine := e.NewClient(p, graphtest.ResponsibleIs(m), graphtest.Tagged(tag))
	team := e.NewClient(p, graphtest.ResponsibleIs(other))
	e.Assign(team, m)
	shared := e.NewClient(p, graphtest.ResponsibleIs(other), graphtest.Restricted())
	e.Share(shared, m, access.View)
	hidden := e.NewClient(p, graphtest.ResponsibleIs(other), graphtest.Restricted())
	ids := quoted(graphtest.IDs(mine, team, shared, hidden)...)

	for _, shape := range deferShapes {
		for _, directive := range []string{`@defer`, `@defer(label: "later")`, `@defer(if: true)`, `@defer(if: false)`} {
			for _, path := range []string{
				`{ clients(first: 10) { totalCount edges { node { ` + shape + ` } } } }`,
				`{ client(id: "` + string(mine.ID) + `") { ` + shape + ` } }`,
				`{ nodes(ids: ` + ids + `) { ... on Client { ` + shape + ` } } }`,
			} {
				if strings.Contains(shape, "...F") {
					path += deferFragment
				}
				if strings.Contains(directive, "label") && strings.Count(path, "DEFER") > 1 {
					continue // two fragments may not share a label
				}
				deferred := e.As(m, strings.ReplaceAll(path, "DEFER", directive), nil)
				plain := e.As(m, strings.ReplaceAll(path, "DEFER", ""), nil)
				plain.RequireNoErrors(t)
				deferred.RequireNoErrors(t)
				var got, want any
				if err := json.Unmarshal(deferred.Data, &got); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(plain.Data, &want); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s\nwith %s: %s\nwithout: %s", path, directive, deferred.Data, plain.Data)
				}
				// Only the hidden client is null (nodes answers it so): any
				// other null would make the comparison prove little.
				nulls := 0
				if strings.Contains(path, "nodes(") {
					nulls = 1
				}
				if n := strings.Count(string(plain.Data), "null"); n != nulls {
					t.Fatalf("%s: %d nulls without @defer, want %d: %s", path, n, nulls, plain.Data)
				}
			}
		}
	}
}

func TestDefer_ForbiddenSectionUnderIt_IsNullWithForbidden(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	role := profileOnlyRole(e, p)
	m := e.Member(p, graphtest.Administrative(), graphtest.WithRole(role))
	c := e.NewClient(p)
	addHistory(t, e, c)
	for _, query := range []string{
		`query($id: ID!) { client(id: $id) { name ... @defer { medicalHistory { text } } } }`,
		`query($id: ID!) { client(id: $id) { name ... @defer(label: "a") { email ... @defer(label: "b") { medicalHistory { text } } } } }`,
		`query($id: ID!) { node(id: $id) { ... on Client @defer { name medicalHistory { text } } } }`,
	} {
		r := e.As(m, query, map[string]any{"id": c.ID})
		requireForbiddenSection(t, r, "medicalHistory", access.MedicalHistory)
		if !strings.Contains(string(r.Data), `"name":"`+c.Name+`"`) || !strings.Contains(string(r.Data), `"medicalHistory":null`) {
			t.Fatalf("%s: want the name and a null medicalHistory, got %s", query, r.Data)
		}
	}
}

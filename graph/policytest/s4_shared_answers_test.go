package policytest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

// Policy §4: viewerAccess. Equal answers within a request are written once
// and copied (graph/marshalonce); every client must still get exactly the
// answer it gets when asked for alone.

// fullAccess is one client's whole viewerAccess, asked for alone: one
// object in its response, so nothing in it can have been copied.
type fullAccess map[string]any

// pick is the part of a whose fields are named, with sections cut to the
// named section fields (prefixed "sections.").
func (a fullAccess) pick(fields ...string) map[string]any {
	out := map[string]any{}
	var sectionFields []string
	for _, f := range fields {
		if sf, ok := strings.CutPrefix(f, "sections."); ok {
			sectionFields = append(sectionFields, sf)
			continue
		}
		out[f] = a[f]
	}
	if len(sectionFields) > 0 {
		var sections []any
		for _, s := range a["sections"].([]any) {
			cut := map[string]any{}
			for _, sf := range sectionFields {
				cut[sf] = s.(map[string]any)[sf]
			}
			sections = append(sections, cut)
		}
		out["sections"] = sections
	}
	return out
}

// sharedAnswerShape is a selection of viewerAccess as front ends and
// analysts write them, and the answer it must give, from the whole one.
type sharedAnswerShape struct {
	sel  string
	vars map[string]any
	want func(a fullAccess) map[string]any
}

var sharedAnswerShapes = []sharedAnswerShape{
	{sel: `viewerAccess { level }`, want: func(a fullAccess) map[string]any {
		return map[string]any{"viewerAccess": a.pick("level")}
	}},
	{sel: `viewerAccess { canEdit canAssign canShare canChangeResponsible }`, want: func(a fullAccess) map[string]any {
		return map[string]any{"viewerAccess": a.pick("canEdit", "canAssign", "canShare", "canChangeResponsible")}
	}},
	{sel: `viewerAccess { sections { section level } rules }`, want: func(a fullAccess) map[string]any {
		return map[string]any{"viewerAccess": a.pick("sections.section", "sections.level", "rules")}
	}},
	{sel: `a: viewerAccess { level canEdit } b: viewerAccess { sections { level } rules }`, want: func(a fullAccess) map[string]any {
		return map[string]any{"a": a.pick("level", "canEdit"), "b": a.pick("sections.level", "rules")}
	}},
	{sel: `viewerAccess { level } ...F`, want: func(a fullAccess) map[string]any {
		return map[string]any{"viewerAccess": a.pick("level", "canAssign", "sections.section")}
	}},
	{sel: `viewerAccess { __typename level sections @include(if: $on) { section level } canEdit @skip(if: $on) }`,
		vars: map[string]any{"on": true}, want: func(a fullAccess) map[string]any {
			m := a.pick("level", "sections.section", "sections.level")
			m["__typename"] = "ViewerAccess"
			return map[string]any{"viewerAccess": m}
		}},
	{sel: `viewerAccess { __typename level sections @include(if: $on) { section level } canEdit @skip(if: $on) }`,
		vars: map[string]any{"on": false}, want: func(a fullAccess) map[string]any {
			m := a.pick("level", "canEdit")
			m["__typename"] = "ViewerAccess"
			return map[string]any{"viewerAccess": m}
		}},
	{sel: `viewerAccess { level ... @defer { sections { section level } } }`, want: func(a fullAccess) map[string]any {
		return map[string]any{"viewerAccess": a.pick("level", "sections.section", "sections.level")}
	}},
	{sel: `x: viewerAccess { rules } ... on Client { x: viewerAccess { level } viewerAccess { canShare } }`, want: func(a fullAccess) map[string]any {
		return map[string]any{"x": a.pick("rules", "level"), "viewerAccess": a.pick("canShare")}
	}},
}

const sharedAnswersFragment = ` fragment F on Client { viewerAccess { canAssign sections { section } } }`

func TestViewerAccess_SharedAnswers_EachClientGetsItsOwnInEveryShape(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	role := e.Role(p, access.Practitioner, access.SectionLevels{
		access.Profile: access.Edit, access.Scheduling: access.Edit, access.Billing: access.View,
		access.MedicalHistory: access.Edit, access.SessionNotes: access.Edit, access.Forms: access.None,
	}, nil)
	m := e.Member(p, graphtest.WithRole(role))
	other := e.Member(p)
	var clients []*ent.ClientRecord
	for range 3 { // responsible: EDIT, the same answer three times
		clients = append(clients, e.NewClient(p, graphtest.ResponsibleIs(m)))
	}
	for range 2 { // care team
		c := e.NewClient(p, graphtest.ResponsibleIs(other))
		e.Assign(c, m)
		clients = append(clients, c)
	}
	for _, level := range []access.Level{access.View, access.View, access.Edit} { // shares
		c := e.NewClient(p, graphtest.ResponsibleIs(other), graphtest.Restricted())
		e.Share(c, m, level)
		clients = append(clients, c)
	}
	both := e.NewClient(p, graphtest.ResponsibleIs(m)) // responsible and shared: two rules
	e.Share(both, m, access.View)
	clients = append(clients, both)

	full := map[pulid.ID]fullAccess{}
	distinct := map[string]bool{}
	for _, c := range clients {
		r := e.As(m, `query($id: ID!) { client(id: $id) { viewerAccess {
			level rules canEdit canAssign canShare canChangeResponsible sections { section level } } } }`,
			map[string]any{"id": c.ID})
		r.RequireNoErrors(t)
		var out struct {
			Client struct{ ViewerAccess fullAccess }
		}
		r.Decode(t, &out)
		full[c.ID] = out.Client.ViewerAccess
		b, _ := json.Marshal(out.Client.ViewerAccess)
		distinct[string(b)] = true
	}
	// The test means something only if the page repeats answers (which are
	// copied) beside different ones. For one viewer, sections and flags
	// follow from the level and the rules today (rule.SectionLevel,
	// rule.ClientActions), so no fixture can make them differ alone; the
	// resolver's key holds them anyway, for the day they do not.
	if n := len(distinct); n < 3 || n == len(clients) {
		t.Fatalf("%d distinct answers among %d clients", n, len(clients))
	}

	for _, shape := range sharedAnswerShapes {
		decl := ""
		if strings.Contains(shape.sel, "$on") {
			decl = "($on: Boolean!)"
		}
		fragment := ""
		if strings.Contains(shape.sel, "...F") {
			fragment = sharedAnswersFragment
		}
		for _, path := range []struct{ name, query string }{
			{"clients", `query` + decl + ` { clients(first: 50) { edges { node { id ` + shape.sel + ` } } } }`},
			{"nodes", `query` + decl + ` { nodes(ids: ` + quoted(graphtest.IDs(clients...)...) + `) { ... on Client { id ` + shape.sel + ` } } }`},
		} {
			r := e.As(m, path.query+fragment, shape.vars)
			r.RequireNoErrors(t)
			var out struct {
				Clients struct {
					Edges []struct{ Node map[string]any }
				}
				Nodes []map[string]any
			}
			r.Decode(t, &out)
			nodes := out.Nodes
			for _, edge := range out.Clients.Edges {
				nodes = append(nodes, edge.Node)
			}
			if len(nodes) != len(clients) {
				t.Fatalf("%s %s: %d clients, want %d", path.name, shape.sel, len(nodes), len(clients))
			}
			for _, node := range nodes {
				id := pulid.ID(node["id"].(string))
				delete(node, "id")
				if want := shape.want(full[id]); !reflect.DeepEqual(node, want) {
					t.Fatalf("%s %s %v: client %s is\n%v\nwant\n%v", path.name, shape.sel, shape.vars, id, node, want)
				}
			}
		}
	}
}

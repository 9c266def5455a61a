package differential

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

func pulidOf(s string) pulid.ID { return pulid.ID(s) }

// ---------------------------------------------------------------------------
// Request shapes. Field-level decisions once depended on which columns a
// selection loaded, so the shape of every request is drawn at random: the
// path to the clients, which fields, in which order, inside which fragments
// and under which aliases. A shape is data (labels, not IDs), so that a
// failing request replays on a shrunk scenario.

// The paths to a client.
const (
	pathList   = "clients"
	pathSearch = "clients(search:)"
	pathClient = "client(id:)"
	pathNode   = "node(id:)"
	pathNodes  = "nodes(ids:)"
	pathTags   = "tags.clients"
)

var paths = []string{pathList, pathSearch, pathClient, pathNode, pathNodes, pathTags}

// sectionFields maps each section-guarded field the test reads to its
// section (policy §4 table) and its selection.
var sectionFields = []struct {
	name, sel string
	section   access.Section
}{
	{"email", "email", access.Profile},
	{"phone", "phone", access.Profile},
	{"tags", "tags { id }", access.Profile},
	{"appointments", "appointments { id }", access.Scheduling},
	{"invoices", "invoices { id }", access.Billing},
	{"medicalHistory", "medicalHistory { id }", access.MedicalHistory},
	{"sessionNotes", "sessionNotes(first: 1) { totalCount }", access.SessionNotes},
	{"formResponses", "formResponses { id }", access.Forms},
}

func sectionOf(field string) (access.Section, bool) {
	for _, f := range sectionFields {
		if f.name == field {
			return f.section, true
		}
	}
	return "", false
}

var viewerAccessParts = []string{"level", "rules", "sections"}

// Where an item of the selection goes.
const (
	inDirect   = iota // in the client's selection set
	inFragment        // in `fragment F on Client`, spread as ...F
	inInline          // in an inline `... on Client { }`
)

// item is one field of a client's selection.
type item struct {
	Field string   // id, name, viewerAccess, or a section field
	Alias string   // "" for none
	In    int      // inDirect, inFragment or inInline
	VA    []string // viewerAccess: which of level, rules, sections
	// Merge is a second place (-1 none) where the very same field, under
	// the same response key, is selected again: GraphQL merges the two.
	Merge int
	// Deep selects, under responsiblePractitioner, an edge of the member
	// too (its role), which no join can answer.
	Deep bool
}

func (it item) key() string {
	if it.Alias != "" {
		return it.Alias
	}
	return it.Field
}

func (it item) render() string {
	sel := it.Field
	switch it.Field {
	case "viewerAccess":
		var parts []string
		for _, p := range it.VA {
			if p == "sections" {
				p = "sections { section level }"
			}
			parts = append(parts, p)
		}
		sel = "viewerAccess { " + strings.Join(parts, " ") + " }"
	case "responsiblePractitioner":
		sel = "responsiblePractitioner { id name }"
		if it.Deep {
			sel = "responsiblePractitioner { id role { id } }"
		}
	default:
		for _, f := range sectionFields {
			if f.name == it.Field {
				sel = f.sel
			}
		}
	}
	if it.Alias != "" {
		return it.Alias + ": " + sel
	}
	return sel
}

// request is one GraphQL request of a member: a path and a selection.
type request struct {
	Path      string
	Order     bool   // clients: orderBy NAME DESC
	RootAlias string // "" for none
	// Search is the label of the client whose name (or, with ByEmail,
	// email) is searched for, or "foreign".
	Search  string
	ByEmail bool
	// Targets are the client labels (or "foreign") that client(id:),
	// node(id:) and nodes(ids:) ask for.
	Targets    []string
	TotalCount bool
	Items      []item
	// Nodes (the full request) asks node(id:) { id } of each label too,
	// under the aliases n0, n1, ...
	Nodes []string
	// Shape names what was drawn, for the counts and the reports.
	Shape, Arrangement string
}

// identified reports whether the selection says which client an object is.
func (rq *request) identified() bool {
	return slices.ContainsFunc(rq.Items, func(it item) bool { return it.Field == "id" || it.Field == "name" })
}

// drawFull draws the request that checks everything about a member at once,
// as the test always has: every client they see, with every section field
// and viewerAccess, in a random arrangement, and node(id:) of hidden and
// foreign clients.
func drawFull(r *rand.Rand, s *scenario, verdicts []verdict, allHidden bool) request {
	rq := request{Path: pathList, Order: r.IntN(2) == 0, TotalCount: true, Shape: "all+viewerAccess (full)"}
	rq.Items = append(rq.Items, item{Field: "id"}, item{Field: "viewerAccess", VA: slices.Clone(viewerAccessParts)})
	for _, f := range sectionFields {
		rq.Items = append(rq.Items, item{Field: f.name})
	}
	arrange(r, &rq)
	var hidden []string
	for ci, v := range verdicts {
		if !v.visible() {
			hidden = append(hidden, s.Clients[ci].Label)
		}
	}
	if !allHidden {
		r.Shuffle(len(hidden), func(i, j int) { hidden[i], hidden[j] = hidden[j], hidden[i] })
		hidden = hidden[:min(2, len(hidden))]
	}
	rq.Nodes = hidden
	if s.Foreign > 0 {
		rq.Nodes = append(rq.Nodes, "foreign")
	}
	return rq
}

// drawTarget picks a client to ask for by ID or name: mostly one the member
// sees, sometimes a hidden one or another practice's.
func drawTarget(r *rand.Rand, s *scenario, verdicts []verdict) string {
	var vis, hid []string
	for ci, v := range verdicts {
		if v.visible() {
			vis = append(vis, s.Clients[ci].Label)
		} else {
			hid = append(hid, s.Clients[ci].Label)
		}
	}
	switch x := r.IntN(10); {
	case x < 6 && len(vis) > 0:
		return pickOne(r, vis...)
	case x < 9 && len(hid) > 0:
		return pickOne(r, hid...)
	case s.Foreign > 0:
		return "foreign"
	case len(vis) > 0:
		return pickOne(r, vis...)
	case len(hid) > 0:
		return pickOne(r, hid...)
	}
	return "foreign"
}

// drawRequest draws a request of any path and shape.
func drawRequest(r *rand.Rand, s *scenario, verdicts []verdict) request {
	rq := request{Path: pickOne(r, paths...)}
	switch rq.Path {
	case pathList:
		rq.Order = r.IntN(2) == 0
		rq.TotalCount = r.IntN(2) == 0
	case pathSearch:
		rq.Search = drawTarget(r, s, verdicts)
		rq.ByEmail = r.IntN(3) == 0
		rq.TotalCount = r.IntN(2) == 0
	case pathClient, pathNode:
		rq.Targets = []string{drawTarget(r, s, verdicts)}
	case pathNodes:
		for range 1 + r.IntN(6) {
			rq.Targets = append(rq.Targets, drawTarget(r, s, verdicts))
		}
	case pathTags:
		rq.TotalCount = r.IntN(2) == 0
	}
	if r.IntN(4) == 0 {
		rq.RootAlias = "root"
	}

	// Which fields.
	all := func() {
		for _, f := range sectionFields {
			rq.Items = append(rq.Items, item{Field: f.name})
		}
	}
	va := func(full bool) item {
		it := item{Field: "viewerAccess"}
		for _, p := range viewerAccessParts {
			if full || r.IntN(2) == 0 {
				it.VA = append(it.VA, p)
			}
		}
		if len(it.VA) == 0 {
			it.VA = []string{pickOne(r, viewerAccessParts...)}
		}
		return it
	}
	switch x := r.IntN(8); {
	case x < 3:
		f := sectionFields[r.IntN(len(sectionFields))]
		rq.Shape = f.name + " alone"
		rq.Items = append(rq.Items, item{Field: f.name})
	case x < 4:
		rq.Shape = "all sections"
		all()
	case x < 5:
		rq.Shape = "all sections+viewerAccess"
		all()
		rq.Items = append(rq.Items, va(true))
	default:
		rq.Shape = "subset"
		for _, f := range sectionFields {
			if r.IntN(2) == 0 {
				rq.Items = append(rq.Items, item{Field: f.name})
			}
		}
		if len(rq.Items) == 0 {
			rq.Items = append(rq.Items, item{Field: sectionFields[r.IntN(len(sectionFields))].name})
		}
		if r.IntN(2) == 0 {
			rq.Shape += "+viewerAccess"
			rq.Items = append(rq.Items, va(false))
		}
	}
	// What says which client an object is: needed where the answer's order
	// is not known; elsewhere sometimes left out, so that a section field can
	// be the whole selection.
	need := rq.Path == pathSearch || rq.Path == pathTags || (rq.Path == pathList && !rq.Order)
	if need || r.IntN(3) == 0 {
		rq.Items = append(rq.Items, item{Field: pickOne(r, "id", "name")})
	}
	// The responsible practitioner is loaded by the page's own statement
	// (ent/schema/joinload) when it is asked for with plain fields, by a
	// statement of its own otherwise: both shapes, now and then.
	if r.IntN(3) == 0 {
		rq.Items = append(rq.Items, item{Field: "responsiblePractitioner", Deep: r.IntN(2) == 0})
	}
	arrange(r, &rq)
	return rq
}

// arrange shuffles the items and places them: directly, in a named fragment,
// in an inline fragment or a mix, with aliases, an aliased duplicate, or the
// same field selected twice and merged.
func arrange(r *rand.Rand, rq *request) {
	r.Shuffle(len(rq.Items), func(i, j int) { rq.Items[i], rq.Items[j] = rq.Items[j], rq.Items[i] })
	mode := pickOne(r, "plain", "plain", "fragment", "inline", "mixed")
	aliasP := 10
	if r.IntN(3) == 0 {
		aliasP = 2
		mode += "+aliases"
	}
	for i := range rq.Items {
		it := &rq.Items[i]
		it.Merge = -1
		switch {
		case strings.HasPrefix(mode, "fragment"):
			it.In = inFragment
		case strings.HasPrefix(mode, "inline"):
			it.In = inInline
		case strings.HasPrefix(mode, "mixed"):
			it.In = r.IntN(3)
		}
		if r.IntN(aliasP) == 0 {
			it.Alias = fmt.Sprintf("%s_%d", it.Field, i)
		}
	}
	sections := func() []int {
		var out []int
		for i, it := range rq.Items {
			if _, ok := sectionOf(it.Field); ok {
				out = append(out, i)
			}
		}
		return out
	}
	if secIdx := sections(); len(secIdx) > 0 && r.IntN(4) == 0 {
		dup := rq.Items[pickOne(r, secIdx...)]
		dup.Alias = dup.Field + "_dup"
		dup.In = r.IntN(3)
		dup.Merge = -1
		rq.Items = slices.Insert(rq.Items, r.IntN(len(rq.Items)+1), dup)
		mode += "+duplicate"
	}
	if secIdx := sections(); len(secIdx) > 0 && r.IntN(6) == 0 {
		it := &rq.Items[pickOne(r, secIdx...)]
		it.Merge = (it.In + 1 + r.IntN(2)) % 3
		mode += "+merged"
	}
	rq.Arrangement = mode
}

// render writes the request as GraphQL with its variables; false when it
// names a client the (shrunk) scenario no longer has.
func (b *built) render(rq request) (string, map[string]any, bool) {
	vars := map[string]any{}
	var decl []string
	idOf := func(label string) (any, bool) {
		if label == "foreign" {
			if len(b.foreign) == 0 {
				return nil, false
			}
			return b.foreign[0].ID, true
		}
		ci := b.s.clientIndex(label)
		if ci < 0 {
			return nil, false
		}
		return b.clients[ci].ID, true
	}

	// The client's selection: direct items, an inline fragment and a
	// fragment spread, each group at the place of its first item.
	var stream, inline, frag []string
	placedInline, placedFrag := false, false
	put := func(in int, sel string) {
		switch in {
		case inDirect:
			stream = append(stream, sel)
		case inInline:
			inline = append(inline, sel)
			if !placedInline {
				stream, placedInline = append(stream, "\x00inline"), true
			}
		case inFragment:
			frag = append(frag, sel)
			if !placedFrag {
				stream, placedFrag = append(stream, "\x00frag"), true
			}
		}
	}
	for _, it := range rq.Items {
		put(it.In, it.render())
		if it.Merge >= 0 {
			put(it.Merge, it.render())
		}
	}
	for i, x := range stream {
		switch x {
		case "\x00inline":
			stream[i] = "... on Client { " + strings.Join(inline, " ") + " }"
		case "\x00frag":
			stream[i] = "...F"
		}
	}
	body := strings.Join(stream, " ")
	if rq.Path == pathNode || rq.Path == pathNodes {
		body = "... on Client { " + body + " }"
	}

	root := ""
	if rq.RootAlias != "" {
		root = rq.RootAlias + ": "
	}
	conn := func() string {
		tc := ""
		if rq.TotalCount {
			tc = "totalCount "
		}
		return "{ " + tc + "edges { node { " + body + " } } }"
	}
	switch rq.Path {
	case pathList:
		args := "first: 100"
		if rq.Order {
			args += ", orderBy: {field: NAME, direction: DESC}"
		}
		root += "clients(" + args + ") " + conn()
	case pathSearch:
		term, ok := b.searchTerm(rq)
		if !ok {
			return "", nil, false
		}
		vars["q"] = term
		decl = append(decl, "$q: String")
		root += "clients(first: 100, search: $q) " + conn()
	case pathClient, pathNode:
		id, ok := idOf(rq.Targets[0])
		if !ok {
			return "", nil, false
		}
		vars["id"] = id
		decl = append(decl, "$id: ID!")
		field := "client"
		if rq.Path == pathNode {
			field = "node"
		}
		root += field + "(id: $id) { " + body + " }"
	case pathNodes:
		var ids []any
		for _, l := range rq.Targets {
			if id, ok := idOf(l); ok {
				ids = append(ids, id)
			}
		}
		if len(ids) != len(rq.Targets) {
			return "", nil, false
		}
		vars["ids"] = ids
		decl = append(decl, "$ids: [ID!]!")
		root += "nodes(ids: $ids) { " + body + " }"
	case pathTags:
		root += "tags { id clients(first: 100) " + conn() + " }"
	}
	for i, l := range rq.Nodes {
		id, ok := idOf(l)
		if !ok {
			return "", nil, false
		}
		vars[fmt.Sprintf("n%d", i)] = id
		decl = append(decl, fmt.Sprintf("$n%d: ID!", i))
		root += fmt.Sprintf(" n%d: node(id: $n%d) { id }", i, i)
	}
	q := "query"
	if len(decl) > 0 {
		q += "(" + strings.Join(decl, ", ") + ")"
	}
	q += " { " + root + " }"
	if len(frag) > 0 {
		q += " fragment F on Client { " + strings.Join(frag, " ") + " }"
	}
	return q, vars, true
}

// searchTerm is the name or email searched for.
func (b *built) searchTerm(rq request) (string, bool) {
	if rq.Search == "foreign" {
		if len(b.foreign) == 0 {
			return "", false
		}
		if rq.ByEmail {
			return b.foreign[0].Email, true
		}
		return b.foreign[0].Name, true
	}
	ci := b.s.clientIndex(rq.Search)
	if ci < 0 {
		return "", false
	}
	if rq.ByEmail {
		return b.clients[ci].Email, true
	}
	return b.clients[ci].Name, true
}

// ---------------------------------------------------------------------------
// Mismatches and counts.

// mismatch is one disagreement between the API and the model. Member and
// Client are labels; Client is "" for a member-wide finding (totalCount,
// stray errors) and "foreign" for the other practice's clients.
type mismatch struct {
	Member, Client string
	What           string
	Want, Got      string
	GotRules       []string // viewerAccess.rules as the API explained itself, when known
	Round          string   // "initial" or the step after which the request was made
	State          *scenario
	Req            request
	Query, Vars    string
	Att            *attempt // the attempt (policy §6) the mismatch is about, if any
}

// extra is the request to ask again while shrinking, if the mismatch is
// about one.
func (m mismatch) extra() *request {
	if m.Req.Path == "" {
		return nil
	}
	return &m.Req
}

func (m mismatch) String() string {
	return fmt.Sprintf("member %s, client %s: %s: want %s, got %s", orDash(m.Member), orDash(m.Client), m.What, m.Want, m.Got)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// counts tally what a run compared, so that the log shows the test did real
// work and a change that silently skips checks is noticed.
type counts struct {
	Scenarios, Rounds, Steps, Requests, Inactive, Pairs, Visible              int
	SectionChecks, FieldChecks, Forbidden, RuleChecks, NodeChecks, ListChecks int
	Paths, Shapes, Arrangements, StepKinds                                    map[string]int
	// The members' attempts (policy §6): made, expected allowed, allowed
	// ones that hid the client from their author; by kind, and the refused
	// ones by the code expected.
	Mutations, MutAllowed, MutHidden      int
	MutKinds, MutKindsAllowed, MutRefused map[string]int
	MutTime                               time.Duration // spent on the attempts, their reads of the rows included
}

func newCounts() counts {
	return counts{Paths: map[string]int{}, Shapes: map[string]int{}, Arrangements: map[string]int{}, StepKinds: map[string]int{},
		MutKinds: map[string]int{}, MutKindsAllowed: map[string]int{}, MutRefused: map[string]int{}}
}

func (c *counts) add(o counts) {
	c.Scenarios += o.Scenarios
	c.Rounds += o.Rounds
	c.Steps += o.Steps
	c.Requests += o.Requests
	c.Inactive += o.Inactive
	c.Pairs += o.Pairs
	c.Visible += o.Visible
	c.SectionChecks += o.SectionChecks
	c.FieldChecks += o.FieldChecks
	c.Forbidden += o.Forbidden
	c.RuleChecks += o.RuleChecks
	c.NodeChecks += o.NodeChecks
	c.ListChecks += o.ListChecks
	c.Mutations += o.Mutations
	c.MutAllowed += o.MutAllowed
	c.MutHidden += o.MutHidden
	c.MutTime += o.MutTime
	for _, p := range []struct{ to, from map[string]int }{{c.Paths, o.Paths}, {c.Shapes, o.Shapes}, {c.Arrangements, o.Arrangements}, {c.StepKinds, o.StepKinds},
		{c.MutKinds, o.MutKinds}, {c.MutKindsAllowed, o.MutKindsAllowed}, {c.MutRefused, o.MutRefused}} {
		for k, v := range p.from {
			p.to[k] += v
		}
	}
}

func errList(errs []graphtest.Error) string {
	if len(errs) == 0 {
		return "none"
	}
	var parts []string
	for _, e := range errs {
		parts = append(parts, fmt.Sprintf("%s(section=%v) %q at %v", e.Code(), e.Extensions["section"], e.Message, e.Path))
	}
	return strings.Join(parts, "; ")
}

func isNull(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

// pathKey writes a response path as a map key; JSON numbers and Go ints
// give the same key.
func pathKey(p []any) string {
	var parts []string
	for _, x := range p {
		switch v := x.(type) {
		case float64:
			parts = append(parts, fmt.Sprint(int(v)))
		default:
			parts = append(parts, fmt.Sprint(v))
		}
	}
	return strings.Join(parts, "/")
}

func sub(p []any, more ...any) []any { return append(slices.Clone(p), more...) }

// ---------------------------------------------------------------------------
// Running a scenario: a round of requests, then each change and a round
// after it.

type runOpts struct {
	// focus, when set, are the only members asked, in every round, with the
	// full request (node(id:) of every hidden client) and extra.
	focus []int
	extra *request
}

// Requests per member: drawn shapes besides the full request.
const (
	drawnInitial = 4
	drawnAfter   = 2
)

func (b *built) run(opts runOpts) ([]mismatch, counts) {
	n := newCounts()
	var out []mismatch
	rng := rand.New(rand.NewPCG(b.s.Seed, 0x0de))
	steps, attempts := b.s.Steps, b.s.Attempts
	round := func(name string, members []int, drawn int) {
		n.Rounds++
		for _, mi := range members {
			out = append(out, b.checkMember(rng, mi, name, drawn, opts, &n)...)
		}
	}
	everyone := opts.focus
	if everyone == nil {
		for mi := range b.s.Members {
			everyone = append(everyone, mi)
		}
	}
	// Each round: the members' attempts of the round (policy §6), then
	// their requests, which see what the attempts changed.
	out = append(out, b.attemptsOf(0, "initial", attempts, &n)...)
	round("initial", everyone, drawnInitial)
	for k, st := range steps {
		name := fmt.Sprintf("after step %d (%s)", k+1, st)
		applied, err := b.change(st)
		if err != nil {
			out = append(out, mismatch{What: "step " + fmt.Sprint(k+1) + " through the API", Want: "accepted", Got: err.Error(), Round: name, State: b.s})
		}
		out = append(out, b.attemptsOf(k+1, name, attempts, &n)...)
		if err != nil || !applied {
			continue
		}
		n.Steps++
		n.StepKinds[st.Kind]++
		members := opts.focus
		if members == nil {
			// A random half of the members, the one just deactivated always.
			for mi, m := range b.s.Members {
				if rng.IntN(2) == 0 || (st.Kind == stepDeactivate && m.Label == st.Member) {
					members = append(members, mi)
				}
			}
		}
		round(name, members, drawnAfter)
	}
	return out, n
}

// checkMember sends a member's requests of one round and compares them.
// Inactive members must be refused outright (policy §2), and are checked
// for that only, with the token they held and with a new one.
func (b *built) checkMember(rng *rand.Rand, mi int, round string, drawn int, opts runOpts, n *counts) []mismatch {
	s := b.s
	m := s.Members[mi]
	var out []mismatch
	verdicts := make([]verdict, len(s.Clients))
	for ci := range s.Clients {
		verdicts[ci] = s.expect(mi, ci)
	}
	if !m.Active {
		n.Inactive++
		rq := drawRequest(rng, s, verdicts)
		q, vars, ok := b.render(rq)
		if !ok {
			q, vars = `{ clients(first: 100) { totalCount } }`, nil
		}
		for _, tok := range []string{b.tokens[mi], b.e.Token(b.members[mi])} {
			n.Requests++
			r := b.e.Do(tok, q, vars)
			if r.Status != 401 || len(r.Errors) != 1 || r.Errors[0].Code() != "UNAUTHENTICATED" || !isNull(r.Data) {
				out = append(out, mismatch{Member: m.Label, What: "inactive member's request", Want: "HTTP 401 with one UNAUTHENTICATED error and no data",
					Got: fmt.Sprintf("HTTP %d, errors %s, data %s", r.Status, errList(r.Errors), r.Data), Round: round, State: s, Req: rq, Query: q})
			}
		}
		return out
	}
	var reqs []request
	if opts.focus != nil {
		reqs = append(reqs, drawFull(rng, s, verdicts, true))
		if opts.extra != nil {
			reqs = append(reqs, *opts.extra)
		}
	} else {
		reqs = append(reqs, drawFull(rng, s, verdicts, false))
		for range drawn {
			reqs = append(reqs, drawRequest(rng, s, verdicts))
		}
	}
	for _, rq := range reqs {
		q, vars, ok := b.render(rq)
		if !ok {
			continue
		}
		n.Requests++
		n.Paths[rq.Path]++
		n.Shapes[rq.Shape]++
		n.Arrangements[rq.Arrangement]++
		r := b.e.Do(b.tokens[mi], q, vars)
		ev := &eval{b: b, mi: mi, verdicts: verdicts, rq: rq, n: n, errs: map[string][]graphtest.Error{}}
		ev.compare(r)
		vj, _ := json.Marshal(vars)
		for i := range ev.out {
			ev.out[i].Round, ev.out[i].State, ev.out[i].Req, ev.out[i].Query, ev.out[i].Vars = round, s, rq, q, string(vj)
		}
		out = append(out, ev.out...)
	}
	return out
}

// ---------------------------------------------------------------------------
// Comparing one answer with the model.

type eval struct {
	b        *built
	mi       int
	verdicts []verdict
	rq       request
	n        *counts
	errs     map[string][]graphtest.Error // by path, taken as they are explained
	out      []mismatch
}

func (ev *eval) bad(client, what, want, got string, rules []string) {
	ev.out = append(ev.out, mismatch{Member: ev.b.s.Members[ev.mi].Label, Client: client, What: what, Want: want, Got: got, GotRules: rules})
}

// take removes and returns the errors at exactly path p.
func (ev *eval) take(p []any) []graphtest.Error {
	k := pathKey(p)
	e := ev.errs[k]
	delete(ev.errs, k)
	return e
}

// takeUnder removes and returns the errors at p or below it.
func (ev *eval) takeUnder(p []any) []graphtest.Error {
	k := pathKey(p)
	var out []graphtest.Error
	for key, es := range ev.errs {
		if key == k || strings.HasPrefix(key, k+"/") {
			out = append(out, es...)
			delete(ev.errs, key)
		}
	}
	return out
}

func (ev *eval) compare(r *graphtest.Response) {
	if r.Status != 200 {
		ev.bad("", "HTTP status", "200", fmt.Sprintf("%d %s", r.Status, errList(r.Errors)), nil)
		return
	}
	for _, e := range r.Errors {
		k := pathKey(e.Path)
		ev.errs[k] = append(ev.errs[k], e)
	}
	var data map[string]json.RawMessage
	if err := json.Unmarshal(r.Data, &data); err != nil || data == nil {
		ev.bad("", "response", "data", fmt.Sprintf("%s (errors %s)", r.Data, errList(r.Errors)), nil)
		return
	}
	rootKey := map[string]string{pathList: "clients", pathSearch: "clients", pathClient: "client", pathNode: "node", pathNodes: "nodes", pathTags: "tags"}[ev.rq.Path]
	if ev.rq.RootAlias != "" {
		rootKey = ev.rq.RootAlias
	}
	raw, present := data[rootKey]
	if !present {
		ev.bad("", "answer", "the field "+rootKey, string(r.Data), nil)
		return
	}
	root := []any{rootKey}
	s := ev.b.s
	switch ev.rq.Path {
	case pathList, pathSearch:
		var want []int
		for ci, v := range ev.verdicts {
			if v.visible() && (ev.rq.Path == pathList || ev.matchesSearch(ci)) {
				want = append(want, ci)
			}
		}
		ev.connection(raw, root, want, ev.rq.Path == pathList && ev.rq.Order)
	case pathClient, pathNode:
		ev.single(raw, root, ev.rq.Targets[0])
	case pathNodes:
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil || len(list) != len(ev.rq.Targets) {
			ev.bad("", "nodes(ids:)", fmt.Sprintf("a list of %d", len(ev.rq.Targets)), string(raw)+" errors "+errList(ev.takeUnder(root)), nil)
			break
		}
		for i, l := range ev.rq.Targets {
			ev.single(list[i], sub(root, i), l)
		}
	case pathTags:
		ev.tags(raw, root)
	}
	for i, l := range ev.rq.Nodes {
		ev.n.NodeChecks++
		key := fmt.Sprintf("n%d", i)
		raw := data[key]
		errs := ev.takeUnder([]any{key})
		ci := s.clientIndex(l)
		if l != "foreign" && ci >= 0 && ev.verdicts[ci].visible() {
			var got struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(raw, &got) != nil || got.ID != string(ev.b.clients[ci].ID) || len(errs) > 0 {
				ev.bad(l, "node(id:) of a visible client", "the client", string(raw)+" errors "+errList(errs), nil)
			}
			continue
		}
		if !isNull(raw) || len(errs) > 0 {
			what := "node(id:) of a hidden client"
			if l == "foreign" {
				what = "node(id:) of another practice's client"
			}
			ev.bad(l, what, "null, no error", orDash(string(raw))+", errors "+errList(errs), nil)
		}
	}
	var stray []graphtest.Error
	for _, es := range ev.errs {
		stray = append(stray, es...)
	}
	if len(stray) > 0 {
		ev.bad("", "errors not explained by a denied section field", "none", errList(stray), nil)
	}
}

// matchesSearch: the search term is a client's whole name or email, and
// matches a client the member sees by name, or by email only where the
// member's effective PROFILE level reaches VIEW (§4: a filter must never let
// M learn a value M could not read).
func (ev *eval) matchesSearch(ci int) bool {
	term, _ := ev.b.searchTerm(ev.rq)
	rec := ev.b.clients[ci]
	if strings.Contains(strings.ToLower(rec.Name), strings.ToLower(term)) {
		return true
	}
	return rank(ev.verdicts[ci].Sections[access.Profile]) >= rank(access.View) &&
		strings.Contains(strings.ToLower(rec.Email), strings.ToLower(term))
}

// single checks client(id:), node(id:) or an entry of nodes(ids:): the
// client if the member sees it, else null with no error.
func (ev *eval) single(raw json.RawMessage, p []any, label string) {
	ci := ev.b.s.clientIndex(label)
	if label == "foreign" || ci < 0 || !ev.verdicts[ci].visible() {
		ev.n.NodeChecks++
		errs := ev.takeUnder(p)
		if !isNull(raw) || len(errs) > 0 {
			what := ev.rq.Path + " of a hidden client"
			if label == "foreign" {
				what = ev.rq.Path + " of another practice's client"
			}
			ev.bad(label, what, "null, no error", orDash(string(raw))+", errors "+errList(errs), nil)
		}
		return
	}
	ev.n.Pairs++
	if isNull(raw) {
		ev.bad(label, ev.rq.Path+" of a visible client", "the client", "null, errors "+errList(ev.takeUnder(p)), nil)
		return
	}
	ev.object(raw, p, ci)
}

// connectionAnswer is a ClientConnection as the test selects it.
type connectionAnswer struct {
	TotalCount *int `json:"totalCount"`
	Edges      []struct {
		Node json.RawMessage `json:"node"`
	} `json:"edges"`
}

// connection checks a list of clients: exactly want, each once, in
// descending name order when ordered, every object served.
func (ev *eval) connection(raw json.RawMessage, p []any, want []int, ordered bool) {
	s, b := ev.b.s, ev.b
	ev.n.ListChecks++
	var conn *connectionAnswer
	if err := json.Unmarshal(raw, &conn); err != nil || conn == nil {
		ev.bad("", ev.rq.Path, "a client connection", orDash(string(raw))+", errors "+errList(ev.takeUnder(p)), nil)
		return
	}
	if ev.rq.TotalCount && (conn.TotalCount == nil || *conn.TotalCount != len(want)) {
		got := "none"
		if conn.TotalCount != nil {
			got = fmt.Sprint(*conn.TotalCount)
		}
		ev.bad("", ev.rq.Path+".totalCount", fmt.Sprint(len(want)), got, nil)
	}
	if ordered {
		slices.SortFunc(want, func(x, y int) int { return strings.Compare(b.clients[y].Name, b.clients[x].Name) })
	}
	// Which client each edge is: by id or name, or by position in a list
	// whose order the model knows.
	idKey, nameKey := "", ""
	for _, it := range ev.rq.Items {
		switch it.Field {
		case "id":
			idKey = it.key()
		case "name":
			nameKey = it.key()
		}
	}
	if idKey == "" && nameKey == "" && len(conn.Edges) != len(want) {
		var labels []string
		for _, ci := range want {
			labels = append(labels, s.Clients[ci].Label)
		}
		ev.bad("", ev.rq.Path+" (ordered, not identified)", fmt.Sprintf("%d clients %v", len(want), labels), fmt.Sprintf("%d edges", len(conn.Edges)), nil)
		ev.takeUnder(sub(p, "edges"))
		return
	}
	listed := map[int]int{} // client index -> edge index
	var order []int
	var nullNodes []string
	for ei, edge := range conn.Edges {
		np := sub(p, "edges", ei, "node")
		if isNull(edge.Node) {
			nullNodes = append(nullNodes, fmt.Sprintf("edges[%d] with errors %s", ei, errList(ev.takeUnder(np))))
			continue
		}
		ci := -1
		if idKey == "" && nameKey == "" {
			ci = want[ei]
		} else {
			var obj map[string]json.RawMessage
			_ = json.Unmarshal(edge.Node, &obj)
			var id, name string
			_ = json.Unmarshal(obj[idKey], &id)
			_ = json.Unmarshal(obj[nameKey], &name)
			foreign := false
			for _, f := range b.foreign {
				foreign = foreign || string(f.ID) == id || f.Name == name
			}
			if x, ok := b.byID[pulidOf(id)]; ok && idKey != "" {
				ci = x
			} else if x, ok := b.byName[name]; ok && nameKey != "" && idKey == "" {
				ci = x
			}
			switch {
			case ci < 0 && foreign:
				ev.bad("foreign", "listed in "+ev.rq.Path, "absent (another practice, policy §1)", "listed", nil)
			case ci < 0:
				ev.bad("", "listed in "+ev.rq.Path, "only clients of the scenario", string(edge.Node), nil)
			}
			if ci < 0 {
				ev.takeUnder(np)
				continue
			}
		}
		if _, dup := listed[ci]; dup {
			ev.bad(s.Clients[ci].Label, "listed in "+ev.rq.Path, "once", "twice", nil)
			ev.takeUnder(np)
			continue
		}
		listed[ci] = ei
		order = append(order, ci)
		if !slices.Contains(want, ci) {
			ev.bad(s.Clients[ci].Label, "listed in "+ev.rq.Path, "false", "true", ev.rulesIn(edge.Node))
			ev.takeUnder(np)
			continue
		}
		ev.object(edge.Node, np, ci)
	}
	if len(nullNodes) > 0 {
		ev.bad("", "client nodes in "+ev.rq.Path, "every listed client served, a denied field being null on its own (policy §4)",
			fmt.Sprintf("%d null node(s): %s", len(nullNodes), strings.Join(nullNodes, "; ")), nil)
	}
	for _, ci := range want {
		ev.n.Pairs++
		if _, ok := listed[ci]; !ok {
			got := "false"
			if len(nullNodes) > 0 {
				got += fmt.Sprintf(" (the list has %d null node(s), one may be this client)", len(nullNodes))
			}
			ev.bad(s.Clients[ci].Label, "listed in "+ev.rq.Path, "true", got, nil)
		}
	}
	if ordered && len(order) == len(want) && !slices.Equal(order, want) {
		ev.bad("", ev.rq.Path+" order", "names descending", fmt.Sprint(ev.labels(order)), nil)
	}
}

func (ev *eval) labels(cis []int) []string {
	var out []string
	for _, ci := range cis {
		out = append(out, ev.b.s.Clients[ci].Label)
	}
	return out
}

// rulesIn reads viewerAccess.rules from an object, when selected.
func (ev *eval) rulesIn(raw json.RawMessage) []string {
	var obj map[string]json.RawMessage
	_ = json.Unmarshal(raw, &obj)
	for _, it := range ev.rq.Items {
		if it.Field == "viewerAccess" && slices.Contains(it.VA, "rules") {
			var va struct {
				Rules []string `json:"rules"`
			}
			_ = json.Unmarshal(obj[it.key()], &va)
			return va.Rules
		}
	}
	return nil
}

// tags checks tags { id clients { ... } }: every tag of the practice, and
// under each the clients carrying it that the member sees, or a FORBIDDEN
// PROFILE error where the member may not read tags.
func (ev *eval) tags(raw json.RawMessage, p []any) {
	s, b := ev.b.s, ev.b
	var list []struct {
		ID      string          `json:"id"`
		Clients json.RawMessage `json:"clients"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		ev.bad("", "tags", "a list of tags", string(raw)+" errors "+errList(ev.takeUnder(p)), nil)
		return
	}
	seen := map[int]bool{}
	readable := s.tagClientsReadable(ev.mi)
	for i, tg := range list {
		cp := sub(p, i, "clients")
		ti, ok := b.tagByID[pulidOf(tg.ID)]
		if !ok {
			ev.bad("", "tags", "only the practice's tags", "tag "+tg.ID, nil)
			ev.takeUnder(cp)
			continue
		}
		seen[ti] = true
		if !readable {
			ev.n.FieldChecks++
			ev.n.Forbidden++
			errs := ev.take(cp)
			if !isNull(tg.Clients) || len(errs) != 1 || errs[0].Code() != "FORBIDDEN" || errs[0].Extensions["section"] != string(access.Profile) {
				ev.bad("", fmt.Sprintf("t%d.clients (PROFILE)", ti), "null with one FORBIDDEN error naming PROFILE",
					fmt.Sprintf("value %s, errors %s", orDash(string(tg.Clients)), errList(errs)), nil)
			}
			ev.takeUnder(cp)
			continue
		}
		var want []int
		for ci, v := range ev.verdicts {
			if v.visible() && rank(v.Sections[access.Profile]) >= rank(access.View) && slices.Contains(s.Clients[ci].Tags, ti) {
				want = append(want, ci)
			}
		}
		ev.connection(tg.Clients, cp, want, false)
	}
	for ti := range s.Tags {
		if !seen[ti] {
			ev.bad("", "tags", fmt.Sprintf("tag t%d listed", ti), "absent", nil)
		}
	}
}

// object checks one client object the member sees against the model: its
// identity, viewerAccess, and each section field, served exactly when the
// effective level is at least VIEW, else null with one FORBIDDEN error
// naming the section at its path.
func (ev *eval) object(raw json.RawMessage, p []any, ci int) {
	s, b := ev.b.s, ev.b
	v := ev.verdicts[ci]
	label := s.Clients[ci].Label
	ev.n.Visible++
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		ev.bad(label, "client object", "an object", string(raw), nil)
		return
	}
	rules := ev.rulesIn(raw)
	report := func(what, want, got string) { ev.bad(label, what, want, got, rules) }
	checked := map[access.Section]bool{}
	done := map[string]bool{}
	for _, it := range ev.rq.Items {
		key := it.key()
		if done[key] {
			continue
		}
		done[key] = true
		val, present := obj[key]
		fp := sub(p, key)
		if !present {
			report(key, "present in the answer", "absent")
			continue
		}
		switch it.Field {
		case "id":
			var id string
			if json.Unmarshal(val, &id) != nil || id != string(b.clients[ci].ID) {
				report("id", string(b.clients[ci].ID), string(val))
			}
			if errs := ev.takeUnder(fp); len(errs) > 0 {
				report("id", "no error", errList(errs))
			}
		case "name":
			var name string
			if json.Unmarshal(val, &name) != nil || name != b.clients[ci].Name {
				report("name", b.clients[ci].Name, string(val))
			}
			if errs := ev.takeUnder(fp); len(errs) > 0 {
				report("name", "no error", errList(errs))
			}
		case "responsiblePractitioner":
			want := "null"
			if r := s.Clients[ci].Responsible; r >= 0 {
				want = string(b.members[r].ID)
			}
			var got struct {
				ID string `json:"id"`
			}
			if isNull(val) {
				got.ID = "null"
			} else {
				_ = json.Unmarshal(val, &got)
			}
			if errs := ev.takeUnder(fp); got.ID != want || len(errs) > 0 {
				report("responsiblePractitioner", want, fmt.Sprintf("%s, errors %s", orDash(string(val)), errList(errs)))
			}
		case "viewerAccess":
			if errs := ev.takeUnder(fp); len(errs) > 0 || isNull(val) {
				report("viewerAccess", "served, no error", fmt.Sprintf("value %s, errors %s", orDash(string(val)), errList(errs)))
				continue
			}
			var va struct {
				Level    string   `json:"level"`
				Rules    []string `json:"rules"`
				Sections []struct {
					Section string `json:"section"`
					Level   string `json:"level"`
				} `json:"sections"`
			}
			_ = json.Unmarshal(val, &va)
			for _, part := range it.VA {
				switch part {
				case "level":
					if va.Level != string(v.Level) {
						report("viewerAccess.level", string(v.Level), va.Level)
					}
				case "rules":
					ev.n.RuleChecks++
					if !slices.Equal(va.Rules, v.Rules) {
						report("viewerAccess.rules", fmt.Sprint(v.Rules), fmt.Sprint(va.Rules))
					}
				case "sections":
					got := map[string]string{}
					for _, sl := range va.Sections {
						got[sl.Section] = sl.Level
					}
					if len(got) != len(access.Sections) || len(va.Sections) != len(access.Sections) {
						report("viewerAccess.sections", fmt.Sprintf("one entry per section (%d)", len(access.Sections)), fmt.Sprint(va.Sections))
					}
					for _, sec := range access.Sections {
						checked[sec] = true
						if g := got[string(sec)]; g != string(v.Sections[sec]) {
							report("viewerAccess.sections "+string(sec), string(v.Sections[sec]), orDash(g))
						}
					}
				}
			}
		default:
			sec, _ := sectionOf(it.Field)
			checked[sec] = true
			ev.n.FieldChecks++
			want := v.Sections[sec]
			errs := ev.take(fp)
			deeper := ev.takeUnder(fp)
			what := key + " (" + string(sec) + ")"
			if want == access.None {
				ev.n.Forbidden++
				if !isNull(val) || len(errs) != 1 || errs[0].Code() != "FORBIDDEN" || errs[0].Extensions["section"] != string(sec) || len(deeper) > 0 {
					report(what, "null with one FORBIDDEN error naming "+string(sec),
						fmt.Sprintf("value %s, errors %s", orDash(string(val)), errList(append(errs, deeper...))))
				}
				continue
			}
			if len(errs) > 0 || len(deeper) > 0 || isNull(val) {
				report(what, "readable at "+string(want),
					fmt.Sprintf("value %s, errors %s", orDash(string(val)), errList(append(errs, deeper...))))
				continue
			}
			if err := ev.content(it.Field, val, ci); err != nil {
				report(what, "the client's data", err.Error())
			}
		}
	}
	ev.n.SectionChecks += len(checked)
	// What is left under this object is unexplained: compare() reports it.
}

// content checks that a readable field returned the client's row, so that
// "readable" means the data came back and not merely that no error did.
func (ev *eval) content(name string, raw json.RawMessage, ci int) error {
	b := ev.b
	type idOnly struct {
		ID string `json:"id"`
	}
	switch name {
	case "email", "phone":
		want := b.clients[ci].Email
		if name == "phone" {
			want = b.clients[ci].Phone
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || s != want {
			return fmt.Errorf("%s %s, want %q", name, raw, want)
		}
	case "tags":
		var got []idOnly
		_ = json.Unmarshal(raw, &got)
		var ids, want []string
		for _, g := range got {
			ids = append(ids, g.ID)
		}
		for _, ti := range b.s.Clients[ci].Tags {
			want = append(want, string(b.tags[ti].ID))
		}
		slices.Sort(ids)
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			return fmt.Errorf("tags %s, want %v", raw, want)
		}
	case "appointments", "invoices", "formResponses":
		var got []idOnly
		if err := json.Unmarshal(raw, &got); err != nil || len(got) != 1 || got[0].ID == "" {
			return fmt.Errorf("%s %s, want the client's one row", name, raw)
		}
	case "medicalHistory":
		var got idOnly
		if err := json.Unmarshal(raw, &got); err != nil || got.ID == "" {
			return fmt.Errorf("medicalHistory %s, want the client's history", raw)
		}
	case "sessionNotes":
		var got struct {
			TotalCount int `json:"totalCount"`
		}
		if err := json.Unmarshal(raw, &got); err != nil || got.TotalCount != 1 {
			return fmt.Errorf("sessionNotes %s, want totalCount 1", raw)
		}
	}
	return nil
}

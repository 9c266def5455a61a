package differential

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"caseload/ent/clientrecord"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

// ---------------------------------------------------------------------------
// Policy §6 through the API: a member's attempt, its answer, and what the
// database holds before and after it.

// clientAnswer is the selection of every mutation that answers a Client:
// the fields every viewer of a client sees, viewerAccess.level and one
// PROFILE field, so that an answer about a client the change hid from its
// author (§6) shows what it must.
const clientAnswer = `{ id name visibility restricted responsiblePractitioner { id } careTeam { id } viewerAccess { level } phone }`

// newPhone, newName and newHistory are an attempt's new values, named after
// it so that a replay writes the same.
func newPhone(a attempt) string { return "0499 " + strings.TrimPrefix(a.Label, "a") }

func (b *built) newName(ci int, a attempt) string { return b.baseNames[ci] + " " + a.Label }

func newHistory(a attempt) string { return "history written by " + a.Label }

// memberID is the ID of a target label ("foreign": the other practice's).
func (b *built) memberID(label string) pulid.ID {
	if label == foreignLabel {
		return b.foreignMember.ID
	}
	return b.members[b.s.memberIndex(label)].ID
}

// clientID is the ID of a client label ("foreign": the other practice's).
func (b *built) clientID(label string) pulid.ID {
	if label == foreignLabel {
		return b.foreign[0].ID
	}
	return b.clients[b.s.clientIndex(label)].ID
}

// renderAttempt writes the attempt as a GraphQL mutation on the client id,
// with its variables; $c is the client's ID, or revokeShare's share ID.
func (b *built) renderAttempt(a attempt, id pulid.ID) (string, map[string]any) {
	vars := map[string]any{"c": id}
	var q string
	switch a.Kind {
	case mutShare:
		q = `mutation($c: ID!, $m: ID!, $l: AccessLevel!) { shareClient(clientId: $c, memberId: $m, level: $l) { id level member { id } } }`
		vars["m"], vars["l"] = b.memberID(a.Target), a.Level
	case mutRevoke:
		q = `mutation($c: ID!) { revokeShare(id: $c) }`
		vars["c"] = b.shares[a.Share]
	case mutVisibility:
		q = `mutation($c: ID!, $v: ClientVisibility!) { setClientVisibility(clientId: $c, visibility: $v) ` + clientAnswer + ` }`
		vars["v"] = a.Visibility
	case mutRestricted:
		q = `mutation($c: ID!, $r: Boolean!) { setClientRestricted(clientId: $c, restricted: $r) ` + clientAnswer + ` }`
		vars["r"] = a.Restricted
	case mutResponsible, mutAssign, mutUnassign:
		q = `mutation($c: ID!, $p: ID!, $why: String) { ` + a.Kind + `(clientId: $c, practitionerId: $p, reason: $why) ` + clientAnswer + ` }`
		vars["p"], vars["why"] = b.memberID(a.Target), "differential "+a.Label
	case mutAddTags, mutRemoveTags:
		q = `mutation($c: ID!, $t: [ID!]!) { ` + a.Kind + `(clientId: $c, tagIds: $t) ` + clientAnswer + ` }`
		var ids []pulid.ID
		for _, t := range a.Tags {
			ids = append(ids, b.tags[t].ID)
		}
		vars["t"] = ids
	case mutPhone, mutName:
		q = `mutation($c: ID!, $in: UpdateClientInput!) { updateClient(id: $c, input: $in) ` + clientAnswer + ` }`
		if a.Kind == mutPhone {
			vars["in"] = map[string]any{"phone": newPhone(a)}
		} else {
			ci := max(b.s.clientIndex(a.Client), 0) // another practice's client: any name
			vars["in"] = map[string]any{"name": b.newName(ci, a)}
		}
	case mutHistory:
		q = `mutation($c: ID!, $t: String!) { updateMedicalHistory(clientId: $c, text: $t) ` + clientAnswer + ` }`
		vars["t"] = newHistory(a)
	}
	return q, vars
}

// rootField is the answer's root field of an attempt.
func rootField(kind string) string {
	if kind == mutPhone || kind == mutName {
		return "updateClient"
	}
	return kind
}

// unknownID is an ID of the right kind that was never issued: id with its
// random tail replaced.
func unknownID(id pulid.ID) pulid.ID {
	s := string(id)
	return pulid.ID(s[:len(s)-6] + "ZZZZZZ")
}

// rows is what the database holds about one client, read past privacy: the
// row, its tags, every assignment and share row, and, for an attempt on it,
// its medical history. Timestamps are kept exactly; a refused attempt must
// leave all of it as it was.
type rows struct {
	Name, Phone string
	Visibility  access.ClientVisibility
	Restricted  bool
	Responsible string
	Tags        []string
	Assignments []assignmentRow
	Shares      []shareRow
	History     string
}

type assignmentRow struct{ ID, Member, Kind, Ended string }

type shareRow struct {
	ID, Member       string
	Level            access.Level
	Expires, Revoked string
}

// isSet: a timestamp the change wrote, in an expected state.
const isSet = "(set)"

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func (b *built) rowsOf(id pulid.ID, history bool) (rows, error) {
	q := b.e.Client().ClientRecord.Query().Where(clientrecord.IDEQ(id)).WithTags().WithAssignments().WithShares()
	if history {
		q.WithMedicalHistory()
	}
	c, err := q.Only(b.e.Ctx)
	if err != nil {
		return rows{}, err
	}
	out := rows{Name: c.Name, Phone: c.Phone, Visibility: c.Visibility, Restricted: c.Restricted}
	if c.ResponsibleID != nil {
		out.Responsible = string(*c.ResponsibleID)
	}
	for _, t := range c.Edges.Tags {
		out.Tags = append(out.Tags, string(t.ID))
	}
	for _, a := range c.Edges.Assignments {
		out.Assignments = append(out.Assignments, assignmentRow{string(a.ID), string(a.MemberID), string(a.Kind), stamp(a.EndedAt)})
	}
	for _, s := range c.Edges.Shares {
		out.Shares = append(out.Shares, shareRow{string(s.ID), string(s.MemberID), s.Level, stamp(s.ExpiresAt), stamp(s.RevokedAt)})
	}
	if h := c.Edges.MedicalHistory; h != nil {
		out.History = h.Text
	}
	out.sort()
	return out, nil
}

func (r *rows) sort() {
	// Empty is empty, however it came to be.
	if len(r.Tags) == 0 {
		r.Tags = nil
	}
	if len(r.Assignments) == 0 {
		r.Assignments = nil
	}
	if len(r.Shares) == 0 {
		r.Shares = nil
	}
	slices.Sort(r.Tags)
	slices.SortFunc(r.Assignments, func(x, y assignmentRow) int {
		return strings.Compare(x.ID+x.Member+x.Kind+x.Ended, y.ID+y.Member+y.Kind+y.Ended)
	})
	slices.SortFunc(r.Shares, func(x, y shareRow) int {
		return strings.Compare(x.ID+x.Member+string(x.Level), y.ID+y.Member+string(y.Level))
	})
}

func (r rows) clone() rows {
	r.Tags = slices.Clone(r.Tags)
	r.Assignments = slices.Clone(r.Assignments)
	r.Shares = slices.Clone(r.Shares)
	return r
}

func (r rows) String() string {
	j, _ := json.Marshal(r)
	return string(j)
}

// normalized is after as compared with an expectation built from before:
// rows that before did not have are "new", and timestamps before did not
// have are isSet.
func normalized(before, after rows) rows {
	out := after.clone()
	oldA := map[string]assignmentRow{}
	for _, a := range before.Assignments {
		oldA[a.ID] = a
	}
	for i, a := range out.Assignments {
		if o, ok := oldA[a.ID]; !ok {
			out.Assignments[i].ID = "new"
		} else if o.Ended == "" && a.Ended != "" {
			out.Assignments[i].Ended = isSet
		}
	}
	oldS := map[string]shareRow{}
	for _, s := range before.Shares {
		oldS[s.ID] = s
	}
	for i, s := range out.Shares {
		if o, ok := oldS[s.ID]; !ok {
			out.Shares[i].ID = "new"
		} else if o.Revoked == "" && s.Revoked != "" {
			out.Shares[i].Revoked = isSet
		}
	}
	out.sort()
	return out
}

// expectedRows is before with the attempt's change written, in the terms
// of normalized; the history of §6 included: an assignment or a change of
// responsible practitioner adds a row, and ends rows rather than deleting
// them.
func (b *built) expectedRows(before rows, a attempt, ci int) rows {
	want := before.clone()
	target := ""
	if a.Target != "" {
		target = string(b.memberID(a.Target))
	}
	switch a.Kind {
	case mutShare:
		want.Shares = append(want.Shares, shareRow{ID: "new", Member: target, Level: a.Level})
	case mutRevoke:
		for i, s := range want.Shares {
			if s.ID == string(b.shares[a.Share]) {
				want.Shares[i].Revoked = isSet
			}
		}
	case mutVisibility:
		want.Visibility = a.Visibility
	case mutRestricted:
		want.Restricted = a.Restricted
	case mutResponsible:
		want.Responsible = target
		for i, as := range want.Assignments {
			if as.Kind == "RESPONSIBLE" && as.Ended == "" {
				want.Assignments[i].Ended = isSet
			}
		}
		want.Assignments = append(want.Assignments, assignmentRow{ID: "new", Member: target, Kind: "RESPONSIBLE"})
	case mutAssign:
		want.Assignments = append(want.Assignments, assignmentRow{ID: "new", Member: target, Kind: "CARE_TEAM"})
	case mutUnassign:
		for i, as := range want.Assignments {
			if as.Kind == "CARE_TEAM" && as.Ended == "" && as.Member == target {
				want.Assignments[i].Ended = isSet
			}
		}
	case mutAddTags, mutRemoveTags:
		for _, t := range a.Tags {
			id := string(b.tags[t].ID)
			want.Tags = slices.DeleteFunc(want.Tags, func(x string) bool { return x == id })
			if a.Kind == mutAddTags {
				want.Tags = append(want.Tags, id)
			}
		}
	case mutPhone:
		want.Phone = newPhone(a)
	case mutName:
		want.Name = b.newName(ci, a)
	case mutHistory:
		want.History = newHistory(a)
	}
	want.sort()
	return want
}

// attemptsOf makes the attempts of one round, in order.
func (b *built) attemptsOf(round int, name string, all []attempt, n *counts) []mismatch {
	start := time.Now()
	defer func() { n.MutTime += time.Since(start) }()
	var out []mismatch
	for _, a := range all {
		if a.Round == round {
			out = append(out, b.try(a, name, n)...)
		}
	}
	return out
}

// try makes one attempt, if it still applies, and compares the answer and
// the database with the model; an attempt the API carried out is mirrored
// in the model, whatever the model said, so that the rest of the scenario
// is checked against what the database holds.
func (b *built) try(a attempt, round string, n *counts) []mismatch {
	s := b.s
	if !s.applicable(a) {
		return nil
	}
	mi, ci := s.memberIndex(a.Member), s.clientIndex(a.Client)
	want := s.decide(a)
	id := b.clientID(a.Client)
	q, vars := b.renderAttempt(a, id)
	before, err := b.rowsOf(id, a.Kind == mutHistory)
	var out []mismatch
	bad := func(what, w, g string) {
		vj, _ := json.Marshal(vars)
		out = append(out, mismatch{Member: a.Member, Client: a.Client, What: a.String() + ": " + what, Want: w, Got: g,
			Round: round, State: s, Att: &a, Query: q, Vars: string(vj)})
	}
	if err != nil {
		bad("reading the client's rows before", "the rows", err.Error())
		return out
	}
	n.Mutations++
	n.MutKinds[a.Kind]++
	r := b.e.Do(b.tokens[mi], q, vars)
	after, err := b.rowsOf(id, a.Kind == mutHistory)
	if err != nil {
		bad("reading the client's rows after", "the rows", err.Error())
		return out
	}
	// Carried out: the root field answered. A field of the answer the
	// author may not read is null with its own error (checkAnswer).
	field := rootField(a.Kind)
	var data map[string]json.RawMessage
	_ = json.Unmarshal(r.Data, &data)
	ok := r.Status == 200 && !isNull(data[field])
	if want.allowed() {
		n.MutAllowed++
		n.MutKindsAllowed[a.Kind]++
	} else {
		n.MutRefused[want.Code]++
	}

	// The answer.
	switch {
	case !want.allowed() && ok:
		bad("answer", want.String(), "success: "+string(r.Data))
	case !want.allowed():
		b.checkRefusal(a, want, r, q, vars, bad)
	case !ok:
		bad("answer", want.String(), fmt.Sprintf("HTTP %d, errors %s, data %s", r.Status, errList(r.Errors), r.Data))
	}

	// The database.
	if !ok {
		if !reflect.DeepEqual(before, after) {
			bad("rows after a refusal", "unchanged "+before.String(), after.String())
		}
		return out
	}
	if ci < 0 {
		return out // another practice's client, "changed": reported above
	}
	if w, g := b.expectedRows(before, a, ci), normalized(before, after); !reflect.DeepEqual(w, g) {
		bad("rows after the change", w.String(), g.String())
	}
	next := s.clone()
	next.applyAttempt(a)
	b.s = next
	b.committed(a, ci, after, before)
	if want.allowed() {
		b.checkAnswer(a, field, r, bad, n)
	}
	return out
}

// committed updates what the fixture records of a change the API made: a
// new share's ID, a client's name and phone.
func (b *built) committed(a attempt, ci int, after, before rows) {
	switch a.Kind {
	case mutShare:
		for _, sh := range after.Shares {
			if !slices.ContainsFunc(before.Shares, func(x shareRow) bool { return x.ID == sh.ID }) {
				b.shares[b.s.Clients[ci].Label+"."+a.Label] = pulid.ID(sh.ID)
			}
		}
	case mutName:
		delete(b.byName, b.clients[ci].Name)
		b.clients[ci].Name = after.Name
		b.byName[after.Name] = ci
	case mutPhone:
		b.clients[ci].Phone = after.Phone
	}
}

// checkRefusal: one error with the expected code at the root field, and no
// data; a section's refusal names the section, no other does; NOT_FOUND is
// exactly the answer to an ID never issued (policy §3).
func (b *built) checkRefusal(a attempt, want outcome, r *graphtest.Response, q string, vars map[string]any, bad func(string, string, string)) {
	field := rootField(a.Kind)
	got := fmt.Sprintf("HTTP %d, errors %s, data %s", r.Status, errList(r.Errors), r.Data)
	if r.Status != 200 || len(r.Errors) != 1 {
		bad("answer", want.String(), got)
		return
	}
	e := r.Errors[0]
	section, _ := e.Extensions["section"].(string)
	if e.Code() != want.Code || section != string(want.Section) || pathKey(e.Path) != field || !(isNull(r.Data) || string(r.Data) == fmt.Sprintf(`{"%s":null}`, field)) {
		bad("answer", want.String(), got)
		return
	}
	if want.Code != "NOT_FOUND" {
		return
	}
	unknown := maps.Clone(vars)
	unknown["c"] = unknownID(vars["c"].(pulid.ID))
	mi := b.s.memberIndex(a.Member)
	u := b.e.Do(b.tokens[mi], q, unknown)
	if !reflect.DeepEqual(u.Errors, r.Errors) || string(u.Data) != string(r.Data) || u.Status != r.Status {
		bad("answer compared with an ID never issued", fmt.Sprintf("the same: HTTP %d, errors %s, data %s", u.Status, errList(u.Errors), u.Data), got)
	}
}

// checkAnswer compares the answer of an allowed attempt with the model's
// state after it: the client as written, read as the author now may (with
// viewerAccess.level NONE and its PROFILE field FORBIDDEN when the change
// hid it from them, policy §6), the share created, or the share revoked.
func (b *built) checkAnswer(a attempt, field string, r *graphtest.Response, bad func(string, string, string), n *counts) {
	var data map[string]json.RawMessage
	_ = json.Unmarshal(r.Data, &data)
	raw := data[field]
	switch a.Kind {
	case mutRevoke, mutShare:
		if len(r.Errors) > 0 {
			bad("answer's errors", "none", errList(r.Errors))
		}
	}
	switch a.Kind {
	case mutRevoke:
		var id string
		if json.Unmarshal(raw, &id) != nil || id != string(b.shares[a.Share]) {
			bad("answer", "the share's id "+string(b.shares[a.Share]), string(raw))
		}
		return
	case mutShare:
		var sh struct {
			ID     string       `json:"id"`
			Level  access.Level `json:"level"`
			Member struct {
				ID string `json:"id"`
			} `json:"member"`
		}
		label := a.Client + "." + a.Label
		if json.Unmarshal(raw, &sh) != nil || sh.ID != string(b.shares[label]) || sh.Level != a.Level || sh.Member.ID != string(b.memberID(a.Target)) {
			bad("answer", fmt.Sprintf("the share %s: id %s, %s, member %s", label, b.shares[label], a.Level, b.memberID(a.Target)), string(raw))
		}
		return
	}
	s := b.s
	mi, ci := s.memberIndex(a.Member), s.clientIndex(a.Client)
	c := s.Clients[ci]
	v := s.expect(mi, ci)
	var got struct {
		ID          string                  `json:"id"`
		Name        string                  `json:"name"`
		Visibility  access.ClientVisibility `json:"visibility"`
		Restricted  bool                    `json:"restricted"`
		Responsible *struct {
			ID string `json:"id"`
		} `json:"responsiblePractitioner"`
		CareTeam []struct {
			ID string `json:"id"`
		} `json:"careTeam"`
		ViewerAccess *struct {
			Level access.Level `json:"level"`
		} `json:"viewerAccess"`
		Phone *string `json:"phone"`
	}
	if json.Unmarshal(raw, &got) != nil || isNull(raw) {
		bad("answer", "the client", string(r.Data))
		return
	}
	wantResp, gotResp := "", ""
	if c.Responsible >= 0 {
		wantResp = string(b.members[c.Responsible].ID)
	}
	if got.Responsible != nil {
		gotResp = got.Responsible.ID
	}
	var wantTeam, gotTeam []string
	for _, as := range c.CareTeam {
		if !as.Ended {
			wantTeam = append(wantTeam, string(b.members[as.Member].ID))
		}
	}
	for _, m := range got.CareTeam {
		gotTeam = append(gotTeam, m.ID)
	}
	slices.Sort(wantTeam)
	slices.Sort(gotTeam)
	level := access.Level("(none)")
	if got.ViewerAccess != nil {
		level = got.ViewerAccess.Level
	}
	if !v.visible() {
		n.MutHidden++
	}
	wantDesc := fmt.Sprintf("id %s name %q visibility %s restricted %v responsible %q careTeam %v viewerAccess.level %s",
		b.clients[ci].ID, b.clients[ci].Name, c.Visibility, c.Restricted, wantResp, wantTeam, v.Level)
	gotDesc := fmt.Sprintf("id %s name %q visibility %s restricted %v responsible %q careTeam %v viewerAccess.level %s",
		got.ID, got.Name, got.Visibility, got.Restricted, gotResp, gotTeam, level)
	if wantDesc != gotDesc {
		what := "answer"
		if !v.visible() {
			what = "answer of a change that hid the client from its author (§6: the client as written, viewerAccess.level NONE)"
		}
		bad(what, wantDesc, gotDesc)
	}
	// The one section field: readable at the effective PROFILE level, else
	// null with one FORBIDDEN error naming PROFILE; no other error.
	var phoneErrs, other []graphtest.Error
	for _, e := range r.Errors {
		if pathKey(e.Path) == field+"/phone" {
			phoneErrs = append(phoneErrs, e)
		} else {
			other = append(other, e)
		}
	}
	if len(other) > 0 {
		bad("answer's errors", "none besides phone's", errList(other))
	}
	if v.Sections[access.Profile] == access.None {
		if got.Phone != nil || len(phoneErrs) != 1 || phoneErrs[0].Code() != "FORBIDDEN" || phoneErrs[0].Extensions["section"] != string(access.Profile) {
			bad("answer's phone (PROFILE "+string(v.Sections[access.Profile])+")", "null with one FORBIDDEN error naming PROFILE",
				fmt.Sprintf("%v, errors %s", deref(got.Phone), errList(phoneErrs)))
		}
	} else if got.Phone == nil || *got.Phone != b.clients[ci].Phone || len(phoneErrs) > 0 {
		bad("answer's phone (PROFILE "+string(v.Sections[access.Profile])+")", b.clients[ci].Phone,
			fmt.Sprintf("%v, errors %s", deref(got.Phone), errList(phoneErrs)))
	}
}

func deref(p *string) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprintf("%q", *p)
}

package graph

// How resolvers load what they act on and what they answer: through the
// viewer's privacy, so a hidden record is NOT_FOUND exactly like an ID never
// issued, and after a change that hid it, as written (policy §6).

import (
	"context"
	"slices"
	"strings"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/share"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
	"caseload/graph/marshalonce"
	"caseload/graph/model"
)

// visibleClient loads a client the viewer sees, or NOT_FOUND.
func (r *Resolver) visibleClient(ctx context.Context, id pulid.ID) (*ent.ClientRecord, error) {
	c, err := r.db(ctx).ClientRecord.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errcode.NotFoundError()
	}
	return c, err
}

// lockedClient loads a client the viewer sees, or NOT_FOUND, and locks its
// row until the mutation's transaction ends: every change of a client's
// responsibility or care team takes the lock first, so that its checks and
// its write see one state and two racing changes queue (on SQLite every
// write transaction is exclusive already).
func (r *Resolver) lockedClient(ctx context.Context, id pulid.ID) (*ent.ClientRecord, error) {
	c, err := r.db(ctx).ClientRecord.Query().Where(clientrecord.IDEQ(id)).Modify(rule.LockRows).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errcode.NotFoundError()
	}
	return c, err
}

// answerClient is a mutation's answer about a client it changed, read after
// the write: through the viewer's privacy while they still see the client.
// When the change hid it from them (policy §6, "Changes that hide the client
// from their author"), the change stands and the answer is the client as
// written, read past privacy with its care team: the fields every viewer of a
// client sees. Its section fields still answer FORBIDDEN and
// viewerAccess.level NONE, because those are decided from its id alone.
func (r *Resolver) answerClient(ctx context.Context, id pulid.ID) (*ent.ClientRecord, error) {
	cs, err := r.answerClients(ctx, []pulid.ID{id})
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, errcode.NotFoundError()
	}
	return cs[0], nil
}

// answerClients is answerClient for the clients a mutation changed, by name.
func (r *Resolver) answerClients(ctx context.Context, ids []pulid.ID) ([]*ent.ClientRecord, error) {
	db := r.db(ctx)
	seen, err := db.ClientRecord.Query().Where(clientrecord.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, err
	}
	if len(seen) < len(ids) {
		have := make(map[pulid.ID]bool, len(seen))
		for _, c := range seen {
			have[c.ID] = true
		}
		var hidden []pulid.ID
		for _, id := range ids {
			if !have[id] {
				hidden = append(hidden, id)
			}
		}
		written, err := db.ClientRecord.Query().
			Where(clientrecord.IDIn(hidden...)).
			WithAssignments(func(q *ent.AssignmentQuery) {
				q.Where(assignment.KindEQ(assignment.KindCARE_TEAM), assignment.EndedAtIsNil()).WithMember()
			}).
			All(viewer.Bypass(ctx, "policy §6: a change that hid the client answers it as written"))
		if err != nil {
			return nil, err
		}
		seen = append(seen, written...)
	}
	slices.SortFunc(seen, func(a, b *ent.ClientRecord) int { return strings.Compare(a.Name, b.Name) })
	return seen, nil
}

// visibleNote loads a note the viewer sees (through its client), or
// NOT_FOUND exactly as for an ID never issued.
func (r *Resolver) visibleNote(ctx context.Context, id pulid.ID) (*ent.SessionNote, error) {
	n, err := r.db(ctx).SessionNote.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errcode.NotFoundError()
	}
	return n, err
}

// careTeamOf lists the members of loaded active care-team assignments, by
// name, as Client.careTeam does.
func careTeamOf(team []*ent.Assignment) []*ent.Member {
	out := make([]*ent.Member, 0, len(team))
	for _, a := range team {
		if m := a.Edges.Member; m != nil {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b *ent.Member) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// clientShares lists a client's active shares (the directive has checked
// that the viewer manages access to it).
func clientShares(ctx context.Context, c *ent.ClientRecord) ([]*ent.Share, error) {
	v := viewer.FromContext(ctx)
	return c.QueryShares().
		Where(share.RevokedAtIsNil(), share.Or(share.ExpiresAtIsNil(), share.ExpiresAtGT(v.Now))).
		Order(ent.Desc(share.FieldCreatedAt)).
		All(ctx)
}

// viewerAccess reports what the viewer may do with a client (policy §4), from
// the same decision the directives and mutations use. Equal answers within a
// request are one value (marshalonce.Intern), which the executor writes once:
// a page's clients mostly share theirs.
func viewerAccess(ctx context.Context, c *ent.ClientRecord) (*model.ViewerAccess, error) {
	v := viewer.FromContext(ctx)
	d, err := rule.DecisionOn(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	sections := make([]access.Level, len(access.Sections))
	for i, s := range access.Sections {
		sections[i] = rule.SectionLevel(v, d, s)
	}
	acts := rule.ClientActions(v, d)
	// The key holds every value the answer shows, each ended by a byte no
	// enum value contains.
	key := make([]byte, 0, 128)
	key = append(append(key, d.Level...), 0)
	for _, r := range d.Rules {
		key = append(append(key, r.Rule...), 0)
	}
	key = append(key, 1)
	for _, l := range sections {
		key = append(append(key, l...), 0)
	}
	for _, b := range []bool{acts.Edit, acts.Assign, acts.Share, acts.ChangeResponsible} {
		key = append(key, boolByte(b))
	}
	return marshalonce.Intern(ctx, key, func() *model.ViewerAccess {
		out := &model.ViewerAccess{Level: d.Level, Rules: make([]access.Rule, 0, len(d.Rules)),
			Sections: make([]*model.SectionLevel, 0, len(access.Sections))}
		for i, s := range access.Sections {
			out.Sections = append(out.Sections, &model.SectionLevel{Section: s, Level: sections[i]})
		}
		for _, r := range d.Rules {
			out.Rules = append(out.Rules, r.Rule)
		}
		out.CanEdit, out.CanAssign, out.CanShare, out.CanChangeResponsible = acts.Edit, acts.Assign, acts.Share, acts.ChangeResponsible
		return out
	}), nil
}

// boolByte is b as a byte of a key.
func boolByte(b bool) byte {
	if b {
		return 't'
	}
	return 'f'
}

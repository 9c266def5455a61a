package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/emergencyaccess"
	"caseload/ent/privacy"
	"caseload/ent/schema/pulid"
	"caseload/ent/share"
	"caseload/ent/tag"
	"caseload/ent/viewer"
)

// LoadFacts reads what the rules consult about the given clients of the
// viewer's practice, in a fixed number of queries whatever the number of
// clients: the clients, then their tags, active assignments, and the viewer's
// shares and emergency grants.
func LoadFacts(ctx context.Context, client *ent.Client, v *viewer.Viewer, ids []pulid.ID) (map[pulid.ID]*ClientFacts, error) {
	// Internal look-up: the facts feed the decision itself, so they are read
	// past the privacy rules; only derived levels leave this package.
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	// The clients read here are not the request's results: keep them out of
	// the decision cache, which may be the caller holding its lock.
	ctx = withoutDecisions(ctx)
	clients, err := client.ClientRecord.Query().
		Where(clientrecord.IDIn(ids...), clientrecord.PracticeIDEQ(v.PracticeID)).
		WithTags(func(q *ent.TagQuery) { q.Select(tag.FieldID) }).
		WithAssignments(func(q *ent.AssignmentQuery) {
			q.Where(assignment.EndedAtIsNil()).Select(assignment.FieldMemberID)
		}).
		WithShares(func(q *ent.ShareQuery) { q.Where(share.MemberIDEQ(v.MemberID)) }).
		WithEmergencyAccesses(func(q *ent.EmergencyAccessQuery) {
			q.Where(emergencyaccess.MemberIDEQ(v.MemberID))
		}).
		All(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[pulid.ID]*ClientFacts, len(clients))
	for _, c := range clients {
		f := &ClientFacts{
			ID:          c.ID,
			PracticeID:  c.PracticeID,
			Responsible: c.ResponsibleID,
			Visibility:  c.Visibility,
			Restricted:  c.Restricted,
		}
		for _, t := range c.Edges.Tags {
			f.Tags = append(f.Tags, t.ID)
		}
		for _, a := range c.Edges.Assignments {
			f.CareTeam = append(f.CareTeam, a.MemberID)
		}
		for _, s := range c.Edges.Shares {
			f.Shares = append(f.Shares, ShareFact{Member: s.MemberID, Level: s.Level, ExpiresAt: s.ExpiresAt, Revoked: s.RevokedAt != nil})
		}
		for _, e := range c.Edges.EmergencyAccesses {
			f.Emergency = append(f.Emergency, EmergencyFact{Member: e.MemberID, ExpiresAt: e.ExpiresAt})
		}
		out[c.ID] = f
	}
	return out, nil
}

// Decide loads one client's facts and evaluates the viewer's decision on it.
// A client of another practice, or none at all, gives NONE.
func Decide(ctx context.Context, client *ent.Client, v *viewer.Viewer, id pulid.ID) (Decision, error) {
	d, _, err := decideWithFacts(ctx, client, v, id)
	return d, err
}

// decideWithFacts is Decide that also returns the facts it decided on (nil
// for a client that does not exist for the viewer).
func decideWithFacts(ctx context.Context, client *ent.Client, v *viewer.Viewer, id pulid.ID) (Decision, *ClientFacts, error) {
	facts, err := LoadFacts(ctx, client, v, []pulid.ID{id})
	if err != nil {
		return Decision{}, nil, err
	}
	f, ok := facts[id]
	if !ok {
		return Decision{Level: "NONE"}, nil, nil
	}
	return Evaluate(v, f), f, nil
}

// ActionsOn decides what the viewer may do with a client (policy §6).
func ActionsOn(ctx context.Context, client *ent.Client, v *viewer.Viewer, id pulid.ID) (Decision, Actions, error) {
	d, f, err := decideWithFacts(ctx, client, v, id)
	if err != nil || f == nil {
		return d, Actions{}, err
	}
	return d, ClientActions(v, d, f), nil
}

package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/clienttag"
	"caseload/ent/emergencyaccess"
	"caseload/ent/schema/pulid"
	"caseload/ent/share"
	"caseload/ent/viewer"
)

// LoadFacts reads what the rules consult about the given clients of the
// viewer's practice, in a fixed number of queries whatever the number of
// clients.
func LoadFacts(ctx context.Context, client *ent.Client, v *viewer.Viewer, ids []pulid.ID) (map[pulid.ID]*ClientFacts, error) {
	rows, err := client.ClientRecord.Query().
		Where(clientrecord.IDIn(ids...), clientrecord.PracticeIDEQ(v.PracticeID)).
		All(InternalLookup(ctx))
	if err != nil {
		return nil, err
	}
	return factsFor(ctx, client, v, rows)
}

// factsFor completes the facts of client rows already loaded: the edges the
// rules consult, each in one query, and only those this viewer's rules can
// use (tags only under a tag restriction).
func factsFor(ctx context.Context, client *ent.Client, v *viewer.Viewer, rows []*ent.ClientRecord) (map[pulid.ID]*ClientFacts, error) {
	// Internal look-up: the facts feed the decision itself, so they are read
	// past the privacy rules; only derived levels leave this package. The
	// request's decision cache is hidden: its caller may hold its lock.
	ctx = InternalLookup(ctx)
	out := make(map[pulid.ID]*ClientFacts, len(rows))
	ids := make([]pulid.ID, 0, len(rows))
	for _, c := range rows {
		if c.PracticeID != v.PracticeID {
			continue
		}
		ids = append(ids, c.ID)
		out[c.ID] = &ClientFacts{ID: c.ID, PracticeID: c.PracticeID, Responsible: c.ResponsibleID, Visibility: c.Visibility, Restricted: c.Restricted}
	}
	if len(ids) == 0 {
		return out, nil
	}
	if v.TagRestricted() {
		// A page that shows tags has loaded them already (the edge carries
		// no filter): use those, and read only the clients that lack them.
		var missing []pulid.ID
		for _, c := range rows {
			f, ok := out[c.ID]
			if !ok {
				continue
			}
			tags, err := c.NamedTags("tags")
			if err != nil {
				missing = append(missing, c.ID)
				continue
			}
			for _, t := range tags {
				f.Tags = append(f.Tags, t.ID)
			}
		}
		if len(missing) > 0 {
			tags, err := client.ClientTag.Query().Where(clienttag.ClientIDIn(missing...)).All(ctx)
			if err != nil {
				return nil, err
			}
			for _, t := range tags {
				out[t.ClientID].Tags = append(out[t.ClientID].Tags, t.TagID)
			}
		}
	}
	assignments, err := client.Assignment.Query().
		Where(assignment.ClientIDIn(ids...), assignment.EndedAtIsNil()).
		Select(assignment.FieldClientID, assignment.FieldMemberID).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range assignments {
		out[a.ClientID].CareTeam = append(out[a.ClientID].CareTeam, a.MemberID)
	}
	shares, err := client.Share.Query().Where(share.ClientIDIn(ids...), share.MemberIDEQ(v.MemberID)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range shares {
		out[s.ClientID].Shares = append(out[s.ClientID].Shares, ShareFact{Member: s.MemberID, Level: s.Level, ExpiresAt: s.ExpiresAt, Revoked: s.RevokedAt != nil})
	}
	grants, err := client.EmergencyAccess.Query().Where(emergencyaccess.ClientIDIn(ids...), emergencyaccess.MemberIDEQ(v.MemberID)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range grants {
		out[e.ClientID].Emergency = append(out[e.ClientID].Emergency, EmergencyFact{Member: e.MemberID, ExpiresAt: e.ExpiresAt})
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

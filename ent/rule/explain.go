package rule

import (
	"context"
	"errors"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// Policy §10: "For any member and client, the API can say whether the member
// sees the client, through which rules of section 3, which rule was cut and
// by what, and the effective level per section. Admins may ask about anyone;
// a member may ask about themselves and a client they can see. A member or
// client of another practice, or a client the asking member cannot see,
// gives NOT_FOUND exactly as an unknown ID."
//
// The explanation is decided by ExplainClient, the statement that decides
// every access with the near misses added, for the member's own viewer as
// their requests load it (viewer.LoadMember): what it says is what the API
// serves that member.

// Explanation is the answer of policy §10 for one member and one client.
type Explanation struct {
	// Member is the viewer the member's own requests would have.
	Member *viewer.Viewer
	// Decision is their relationship to the client, with every cut.
	Decision Decision
}

// SectionExplanation explains the effective level of one section (policy §4):
// the lower of the role level and the relationship level.
type SectionExplanation struct {
	Section                             access.Section
	Level, RoleLevel, RelationshipLevel access.Level
}

// Sections explains every section, in the policy's order.
func (e *Explanation) Sections() []SectionExplanation {
	out := make([]SectionExplanation, 0, len(access.Sections))
	for _, s := range access.Sections {
		out = append(out, SectionExplanation{
			Section:           s,
			Level:             SectionLevel(e.Member, e.Decision, s),
			RoleLevel:         e.Member.RoleLevel(s),
			RelationshipLevel: e.Decision.Level,
		})
	}
	return out
}

// Actions are what the member may do with the client (policy §6).
func (e *Explanation) Actions() Actions { return ClientActions(e.Member, e.Decision) }

// Explain explains member memberID's access to client clientID to the
// viewer, or ErrHidden (NOT_FOUND) when the viewer may not ask: a non-admin
// about another member, anyone about a client they cannot see, and any id
// of another practice or never issued, all alike.
func Explain(ctx context.Context, client *ent.Client, memberID, clientID pulid.ID) (*Explanation, error) {
	asker := viewer.FromContext(ctx)
	if asker == nil || !asker.Active || (!asker.Admin && memberID != asker.MemberID) {
		return nil, ErrHidden
	}
	seen, err := DecisionOn(ctx, clientID)
	if err != nil {
		return nil, err
	}
	if !seen.Visible() {
		return nil, ErrHidden
	}
	subject := asker
	if memberID != asker.MemberID {
		subject, err = viewer.LoadMember(ctx, client, memberID, asker.PracticeID, asker.Now)
		if errors.Is(err, viewer.ErrNoMember) {
			return nil, ErrHidden
		}
		if err != nil {
			return nil, err
		}
	}
	d, err := ExplainClient(ctx, client, subject, clientID)
	if err != nil {
		return nil, err
	}
	return &Explanation{Member: subject, Decision: d}, nil
}

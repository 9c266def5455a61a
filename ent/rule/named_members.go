package rule

import (
	"context"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// Policy §2: "Only active PRACTITIONERs can be made a client's responsible
// practitioner, be assigned to a client, own a calendar"; §6: "Only active
// members of the same practice can receive a share". This file says, once,
// which fields of which writes name a member and what that member must be;
// the tenancy policy runs the check on every write, whatever the path.

// MemberKind is what a member named by a write must be.
type MemberKind int

// The kinds of member a write may name.
const (
	// ActiveMember is any active member of the viewer's practice.
	ActiveMember MemberKind = iota
	// ActivePractitioner is an active PRACTITIONER of the viewer's practice.
	ActivePractitioner
)

type namedMember struct {
	field  string
	kind   MemberKind
	refuse string
}

// namedMembers are, per Ent type, the fields naming a member.
var namedMembers = map[string][]namedMember{
	"ClientRecord": {{"responsible_id", ActivePractitioner, "the responsible practitioner must be an active practitioner of the practice"}},
	"Assignment":   {{"member_id", ActivePractitioner, "only an active practitioner of the practice can be on a client's care team"}},
	"Availability": {{"member_id", ActivePractitioner, "only an active practitioner of the practice has a schedule"}},
	"Leave":        {{"member_id", ActivePractitioner, "only an active practitioner of the practice has a schedule"}},
	"Share":        {{"member_id", ActiveMember, "a client can be shared only with an active member of the practice"}},
	"Appointment":  {{"practitioner_id", ActivePractitioner, "an appointment is with an active practitioner of the practice"}},
	"IntakeForm":   {{"default_practitioner_id", ActivePractitioner, "a form's default practitioner must be an active practitioner of the practice"}},
	"IntakeRule":   {{"practitioner_id", ActivePractitioner, "a form rule must name an active practitioner of the practice"}},
	"IntakeLink":   {{"practitioner_id", ActivePractitioner, "a form link can be made only for an active practitioner of the practice"}},
	"TeamAccess": {
		{"member_id", ActiveMember, "team member access is granted to an active member of the practice"},
		{"target_member_id", ActivePractitioner, "team member access reaches the care teams of an active practitioner of the practice"},
	},
}

// DenyUnlessNamedMembersQualify refuses a write that names a member who is
// not what the policy requires in that place. It runs before any rule that
// allows, admins included.
func DenyUnlessNamedMembersQualify() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		c, ok := m.(interface{ Client() *ent.Client })
		if v == nil || !ok {
			return privacy.Skip
		}
		for _, n := range namedMembers[m.Type()] {
			value, set := m.Field(n.field)
			id, _ := value.(pulid.ID)
			if !set || id == "" {
				continue
			}
			if err := CheckNamedMember(ctx, c.Client(), v, n.kind, id, n.refuse); err != nil {
				return err
			}
		}
		return privacy.Skip
	})
}

// CheckNamedMember returns an Invalid denial with the reason refuse unless id
// is a member of the viewer's practice of the given kind. Resolvers that
// must refuse before anything is written (a hand-over that may move no
// client) ask it too, so the answer is the same as the write's.
func CheckNamedMember(ctx context.Context, client *ent.Client, v *viewer.Viewer, kind MemberKind, id pulid.ID, refuse string) error {
	q := client.Member.Query().Where(member.IDEQ(id), member.PracticeIDEQ(v.PracticeID), member.Active(true))
	if kind == ActivePractitioner {
		q.Where(member.AccountTypeEQ(access.Practitioner))
	}
	ok, err := q.Exist(viewer.Bypass(ctx, "whether a named member qualifies is the rule's own question"))
	if err != nil {
		return err
	}
	if !ok {
		return &Invalid{Reason: refuse}
	}
	return nil
}

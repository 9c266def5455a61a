package rule

import (
	"context"

	"entgo.io/ent/entql"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/privacy"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// AllowOwnSchedule lets a practitioner set their own weekly availability and
// leave (policy §7: capacity comes from each practitioner's availability). A
// create must name the viewer; an update or delete is narrowed to the
// viewer's own rows, so it cannot touch anyone else's.
func AllowOwnSchedule() privacy.MutationRule {
	type memberFilter interface{ WhereMemberID(entql.StringP) }
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := viewer.FromContext(ctx)
		if v == nil {
			return privacy.Skip
		}
		if m.Op().Is(ent.OpCreate) {
			if owner, ok := m.Field("member_id"); ok {
				if id, _ := owner.(pulid.ID); CanManageSchedule(v, id) {
					return privacy.Allow
				}
			}
			return privacy.Skip
		}
		return privacy.FilterFunc(func(_ context.Context, f privacy.Filter) error {
			mf, ok := f.(memberFilter)
			if !ok {
				return privacy.Skip
			}
			mf.WhereMemberID(entql.StringEQ(string(v.MemberID)))
			return privacy.Allow
		}).EvalMutation(ctx, m)
	})
}

// FilterOwnScheduleRows shows a member only their own schedule rows
// (availability, leave: a leave's reason can be personal). Those who see team
// capacity (policy §7) are allowed before this rule runs.
func FilterOwnScheduleRows() privacy.QueryRule {
	type memberFilter interface{ WhereMemberID(entql.StringP) }
	return privacy.FilterFunc(func(ctx context.Context, f privacy.Filter) error {
		v := viewer.FromContext(ctx)
		mf, ok := f.(memberFilter)
		if v == nil || !ok {
			return privacy.Denyf("schedule rows need a viewer")
		}
		mf.WhereMemberID(entql.StringEQ(string(v.MemberID)))
		return privacy.Allow
	})
}

// SeesTeamCapacity reports whether the viewer may see the team's capacity
// and schedules (policy §7): admins, VIEW_TEAM or ASSIGN_PRACTITIONERS.
func SeesTeamCapacity(v *viewer.Viewer) bool {
	return v != nil && (v.Can(access.ViewTeam) || v.Can(access.AssignPractitioners))
}

// SeesScheduleOf reports whether the viewer may read a practitioner's
// schedule (availability, leave): those who see team capacity (policy §7),
// those who may change any schedule (MANAGE_TEAM), and the practitioner
// themself. The schedule rows' own policy admits the same readers.
func SeesScheduleOf(v *viewer.Viewer, practitioner pulid.ID) bool {
	return SeesTeamCapacity(v) || CanManageSchedule(v, practitioner)
}

// AllowIfSeesTeamCapacity allows reading schedules to those who see capacity.
func AllowIfSeesTeamCapacity() privacy.QueryRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if SeesTeamCapacity(viewer.FromContext(ctx)) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// AllowOwnSlotLength lets a practitioner change their own slot length, and
// nothing else about their account (policy §7).
func AllowOwnSlotLength() privacy.MutationRule {
	return privacy.MemberMutationRuleFunc(func(ctx context.Context, m *ent.MemberMutation) error {
		v := viewer.FromContext(ctx)
		id, ok := m.ID()
		if v == nil || !ok || id != v.MemberID || !m.Op().Is(ent.OpUpdateOne) {
			return privacy.Skip
		}
		for _, f := range m.Fields() {
			if f != member.FieldSlotMinutes {
				return privacy.Skip
			}
		}
		if len(m.ClearedFields()) > 0 || len(m.AddedEdges()) > 0 || len(m.RemovedEdges()) > 0 || len(m.ClearedEdges()) > 0 {
			return privacy.Skip
		}
		return privacy.Allow
	})
}

// CanManageSchedule reports whether the viewer may change a practitioner's
// schedule: the team's managers, or the practitioner themself. Mutations ask
// it first so that a refusal is an error, not a silently narrowed write.
func CanManageSchedule(v *viewer.Viewer, practitioner pulid.ID) bool {
	return v != nil && (v.Can(access.ManageTeam) || v.MemberID == practitioner)
}

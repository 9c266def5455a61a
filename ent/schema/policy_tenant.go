//go:build !bootstrap

package schema

import (
	"caseload/ent/audit"
	"caseload/ent/privacy"
	"caseload/ent/rule"
	"caseload/ent/schema/access"

	"entgo.io/ent"
)

// The privacy policies are in files of their own, built without the
// "bootstrap" tag, because they import packages generated from these schemas
// (see ent/entc.go).

// Policy of every tenant table (policy §1, §2): no viewer, an inactive viewer
// or another practice's rows are never reached. Schema policies run after it
// and each ends in an explicit decision.
func (TenantMixin) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.DenyIfNoViewer(),
			rule.DenyIfInactive(),
			rule.FilterTenant(),
		},
		Mutation: privacy.MutationPolicy{
			rule.DenyIfNoViewer(),
			rule.DenyIfInactive(),
			rule.FilterTenant(),
			rule.DenyIfOtherPractice(),
			rule.DenyUnlessNamedMembersQualify(),
		},
	}
}

// teamAdministration is the policy of the practice's own administration
// (roles, tags, team, grants, invitations): everyone in the practice reads
// it; admins and MANAGE_TEAM change it (policy §6).
//
// denies run first: they are the limits of §6 and §2 that hold for everyone
// (the last active admin) or for managers (what they may hand out; these
// skip admins themselves); allows admit more than managers.
func teamAdministration(denies []privacy.MutationRule, allows ...privacy.MutationRule) ent.Policy {
	mutation := append(append(privacy.MutationPolicy{}, denies...), rule.AllowIfAdmin(), rule.AllowIfCapable(access.ManageTeam))
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			// The tenancy filter of TenantMixin has decided what is visible.
			privacy.AlwaysAllowRule(),
		},
		Mutation: append(append(mutation, allows...), privacy.AlwaysDenyRule()),
	}
}

// Policy of Member: team administration, a practitioner's own slot length,
// and a member's own password, which no one else sets.
func (Member) Policy() ent.Policy {
	return teamAdministration(
		[]privacy.MutationRule{rule.DenyLosingLastActiveAdmin(), rule.DenyAdminChangeUnlessAdmin(), rule.DenyRoleGrantBeyondHeld(), rule.DenyPasswordOfOthers()},
		rule.AllowOwnSlotLength(),
		rule.AllowOwnPassword(),
	)
}

// Policy of Role.
func (Role) Policy() ent.Policy {
	return teamAdministration([]privacy.MutationRule{rule.DenyRoleBeyondHeld()})
}

// Policy of Tag.
func (Tag) Policy() ent.Policy { return teamAdministration(nil) }

// Policy of TeamAccess.
func (TeamAccess) Policy() ent.Policy {
	return teamAdministration([]privacy.MutationRule{rule.DenyTeamAccessBeyondHeld()})
}

// Policy of Availability: the team's managers, or the practitioner for
// their own schedule.
func (Availability) Policy() ent.Policy { return ownSchedule() }

// Policy of Leave: as Availability.
func (Leave) Policy() ent.Policy { return ownSchedule() }

// ownSchedule is the policy of a practitioner's schedule.
func ownSchedule() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.AllowIfSeesTeamCapacity(),
			// Those who may change every schedule read them too, or they
			// could add leave they cannot then remove.
			rule.AllowIfCapable(access.ManageTeam),
			rule.FilterOwnScheduleRows(),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowIfAdmin(),
			rule.AllowIfCapable(access.ManageTeam),
			rule.AllowOwnSchedule(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Policy of Invitation: only those who manage the team see pending
// invitations.
func (Invitation) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.AllowIfAdmin(),
			rule.AllowIfCapable(access.ManageTeam),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowIfAdmin(),
			rule.DenyAdminChangeUnlessAdmin(),
			rule.DenyRoleGrantBeyondHeld(),
			rule.AllowIfCapable(access.ManageTeam),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Hooks of every tenant table: a new row is put in the writer's practice
// (policy §1); a write drops the request's cached access decisions, so that the rest of the request (a mutation's answer) sees who
// can see what after the change.
// Every write is recorded in the audit log once it succeeds (policy §9).
func (TenantMixin) Hooks() []ent.Hook {
	return []ent.Hook{rule.SetTenant(), rule.ForgetDecisionsHook(), audit.RecordChanges()}
}

// Policy of IntakeForm (policy §6, intake): every member reads the
// practice's forms, so that staff see which form a client came through;
// those rule.ManagesIntake admits (admins and MANAGE_TEAM) change them.
func (IntakeForm) Policy() ent.Policy { return intakeSetup() }

// Policy of IntakeFormVersion: as IntakeForm.
func (IntakeFormVersion) Policy() ent.Policy { return intakeSetup() }

// Policy of IntakeRule: as IntakeForm.
func (IntakeRule) Policy() ent.Policy { return intakeSetup() }

// intakeSetup is the policy of a practice's intake forms.
func intakeSetup() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			// The tenancy filter of TenantMixin has decided what is visible.
			privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowIfManagesIntake(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Policy of IntakeLink: its token lets anyone submit the form, so links are
// read by those who manage them, and by a practitioner their own link, to
// put on their own website; those who manage intake change them.
func (IntakeLink) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.AllowIfManagesIntake(),
			rule.FilterOwnIntakeLinks(),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowIfManagesIntake(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Policy of AuditEvent (policy §9): admins and VIEW_AUDIT_LOG read the
// practice's log, every client of it included (the section's explicit
// exception to §3). No one writes it through Ent: ent/audit appends with
// SQL of its own, past privacy, and triggers refuse any change.
func (AuditEvent) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			// TenantMixin's rules, which the type does not mix in.
			rule.DenyIfNoViewer(),
			rule.DenyIfInactive(),
			rule.FilterTenant(),
			rule.AllowIfCapable(access.ViewAuditLog),
			privacy.AlwaysDenyRule(),
		},
		Mutation: privacy.MutationPolicy{privacy.AlwaysDenyRule()},
	}
}

// Policy of AuditHead: only ent/audit, past privacy, touches it.
func (AuditHead) Policy() ent.Policy { return serverOnly() }

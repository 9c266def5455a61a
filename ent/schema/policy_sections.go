//go:build !bootstrap

package schema

import (
	"caseload/ent/audit"
	"caseload/ent/privacy"
	"caseload/ent/rule"
	"caseload/ent/schema/access"

	"entgo.io/ent"
)

// sectionPolicy is the policy of the rows of one client section (policy §4):
// readable with VIEW on the section for a visible client, changed with EDIT.
// The FilterFunc rules apply to every path: node, edges and counts.
func sectionPolicy(s access.Section) ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.AllowIfAdmin(),
			rule.FilterClientRows(),
			rule.FilterSection(s),
			privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.AllowIfAdmin(),
			rule.DecideSectionEdit(s),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Policy of Appointment.
func (Appointment) Policy() ent.Policy { return sectionPolicy(access.Scheduling) }

// Policy of Invoice.
func (Invoice) Policy() ent.Policy { return sectionPolicy(access.Billing) }

// Policy of MedicalHistory.
func (MedicalHistory) Policy() ent.Policy { return sectionPolicy(access.MedicalHistory) }

// Policy of FormResponse.
func (FormResponse) Policy() ent.Policy { return sectionPolicy(access.Forms) }

// Policy of SessionNote (policy §5): read like any section; written only by
// its author, never by an admin on another's behalf.
func (SessionNote) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.AllowIfAdmin(),
			rule.FilterClientRows(),
			rule.FilterSection(access.SessionNotes),
			privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.DecideNoteWrite(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Policy of NoteAddendum (policy §5): read as its note; added only by the
// note's author to a signed note; never changed.
func (NoteAddendum) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{
			rule.AllowIfAdmin(),
			rule.FilterClientRows(),
			rule.FilterSection(access.SessionNotes),
			privacy.AlwaysAllowRule(),
		},
		Mutation: privacy.MutationPolicy{
			rule.DecideAddendum(),
			privacy.AlwaysDenyRule(),
		},
	}
}

// Interceptors of NoteAddendum: as SessionNote's.
func (NoteAddendum) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{rule.AlwaysLoad("client_id", "author_id", "private"), audit.RecordReads(string(access.SessionNotes))}
}

// Interceptors of MedicalHistory: every read is recorded in the audit log
// (policy §9), with its client, which is therefore always loaded.
func (MedicalHistory) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{rule.AlwaysLoad("client_id"), audit.RecordReads(string(access.MedicalHistory))}
}

// Interceptors of FormResponse: as MedicalHistory's.
func (FormResponse) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{rule.AlwaysLoad("client_id"), audit.RecordReads(string(access.Forms))}
}

// Interceptors of SessionNote: a note's client, author and private flag are
// loaded whatever the GraphQL selection, because the content's level is
// decided from them (policy §5).
func (SessionNote) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{rule.AlwaysLoad("client_id", "author_id", "private"), audit.RecordReads(string(access.SessionNotes))}
}

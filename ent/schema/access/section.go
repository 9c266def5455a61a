package access

import "io"

// Section is a group of client fields guarded together (policy §4).
type Section string

// The sections of a client record.
const (
	Profile        Section = "PROFILE"
	Scheduling     Section = "SCHEDULING"
	Billing        Section = "BILLING"
	MedicalHistory Section = "MEDICAL_HISTORY"
	SessionNotes   Section = "SESSION_NOTES"
	Forms          Section = "FORMS"
)

// Sections lists every section in the order the policy names them.
var Sections = []Section{Profile, Scheduling, Billing, MedicalHistory, SessionNotes, Forms}

// Values lets Ent store Section as an enum.
func (Section) Values() []string { return stringsOf(Sections) }

// MarshalGQL implements graphql.Marshaler.
func (s Section) MarshalGQL(w io.Writer) { marshalEnum(w, s) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (s *Section) UnmarshalGQL(v any) (err error) {
	*s, err = unmarshalEnum(v, Sections, "Section")
	return err
}

// SectionLevels is a level per section; a section left out is NONE.
type SectionLevels map[Section]Level

// Of returns the level for s, NONE when unset.
func (sl SectionLevels) Of(s Section) Level {
	if l, ok := sl[s]; ok {
		return l
	}
	return None
}

// AllSections returns levels with every section at l.
func AllSections(l Level) SectionLevels {
	out := make(SectionLevels, len(Sections))
	for _, s := range Sections {
		out[s] = l
	}
	return out
}

// ProfileColumns are the client columns of the PROFILE section (policy §4:
// contact and demographic details), the one list of them: the client rules
// decide PROFILE edits with it, and a schema test holds the @section(PROFILE)
// fields of Client to it. Tags, the section's edge, are decided apart.
var ProfileColumns = []string{"email", "phone", "date_of_birth", "address", "emergency_contact"}

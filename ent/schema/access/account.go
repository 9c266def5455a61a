package access

import "io"

// AccountType says whether a member is a practitioner or administrative
// staff (policy §2).
type AccountType string

// The account types.
const (
	Practitioner   AccountType = "PRACTITIONER"
	Administrative AccountType = "ADMINISTRATIVE"
)

// AccountTypes lists every account type.
var AccountTypes = []AccountType{Practitioner, Administrative}

// Values lets Ent store AccountType as an enum.
func (AccountType) Values() []string { return stringsOf(AccountTypes) }

// MarshalGQL implements graphql.Marshaler.
func (a AccountType) MarshalGQL(w io.Writer) { marshalEnum(w, a) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (a *AccountType) UnmarshalGQL(v any) (err error) {
	*a, err = unmarshalEnum(v, AccountTypes, "AccountType")
	return err
}

// DefaultSections are the section levels of a member without a role
// (policy §4, built-in defaults).
func (a AccountType) DefaultSections() SectionLevels {
	if a == Practitioner {
		return AllSections(Edit)
	}
	return SectionLevels{Profile: View, Scheduling: View}
}

// DefaultCapabilities are the capabilities of a member without a role
// (policy §4, built-in defaults).
func (a AccountType) DefaultCapabilities() []Capability {
	if a == Practitioner {
		return []Capability{CreateClients, EmergencyAccess}
	}
	return nil
}

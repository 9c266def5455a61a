package access

import "io"

// ClientVisibility says who beyond the care team sees a client (policy §3
// rule 5). The practice setting uses ALL_TEAM or CARE_TEAM only.
type ClientVisibility string

// The visibilities.
const (
	PracticeDefault ClientVisibility = "PRACTICE_DEFAULT"
	AllTeam         ClientVisibility = "ALL_TEAM"
	CareTeam        ClientVisibility = "CARE_TEAM"
)

// ClientVisibilities lists every visibility.
var ClientVisibilities = []ClientVisibility{PracticeDefault, AllTeam, CareTeam}

// Values lets Ent store ClientVisibility as an enum.
func (ClientVisibility) Values() []string { return stringsOf(ClientVisibilities) }

// MarshalGQL implements graphql.Marshaler.
func (v ClientVisibility) MarshalGQL(w io.Writer) { marshalEnum(w, v) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (v *ClientVisibility) UnmarshalGQL(in any) (err error) {
	*v, err = unmarshalEnum(in, ClientVisibilities, "ClientVisibility")
	return err
}

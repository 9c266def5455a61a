package access

import (
	"io"
	"slices"
)

// Capability is a permission a role grants beyond section levels (policy §4).
type Capability string

// The capabilities.
const (
	AccessAllClients    Capability = "ACCESS_ALL_CLIENTS"
	CreateClients       Capability = "CREATE_CLIENTS"
	AssignPractitioners Capability = "ASSIGN_PRACTITIONERS"
	ManageClientAccess  Capability = "MANAGE_CLIENT_ACCESS"
	ViewTeam            Capability = "VIEW_TEAM"
	ManageTeam          Capability = "MANAGE_TEAM"
	ViewAuditLog        Capability = "VIEW_AUDIT_LOG"
	EmergencyAccess     Capability = "EMERGENCY_ACCESS"
)

// Capabilities lists every capability.
var Capabilities = []Capability{
	AccessAllClients, CreateClients, AssignPractitioners, ManageClientAccess,
	ViewTeam, ManageTeam, ViewAuditLog, EmergencyAccess,
}

// MarshalGQL implements graphql.Marshaler.
func (c Capability) MarshalGQL(w io.Writer) { marshalEnum(w, c) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (c *Capability) UnmarshalGQL(v any) (err error) {
	*c, err = unmarshalEnum(v, Capabilities, "Capability")
	return err
}

// Valid reports whether c is a known capability; stored role data is checked
// with it so that a stray value never grants anything.
func (c Capability) Valid() bool { return slices.Contains(Capabilities, c) }

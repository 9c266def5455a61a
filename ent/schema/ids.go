package schema

import (
	"caseload/ent/schema/pulid"
)

// pulidID is the Go type of every ID and foreign key column.
var pulidID = pulid.ID("")

// ID prefixes, one per type. They are part of every issued ID, so they never
// change once released.
const (
	prefixPractice          = "PR"
	prefixMember            = "ME"
	prefixRole              = "RO"
	prefixTag               = "TG"
	prefixClient            = "CL"
	prefixAssignment        = "AS"
	prefixShare             = "SH"
	prefixTeamAccess        = "TA"
	prefixEmergencyAccess   = "EA"
	prefixAppointment       = "AP"
	prefixAvailability      = "AV"
	prefixSessionNote       = "SN"
	prefixMedicalHistory    = "MH"
	prefixFormResponse      = "FR"
	prefixInvoice           = "IN"
	prefixInvitation        = "IV"
	prefixLeave             = "LV"
	prefixNoteAddendum      = "NA"
	prefixSession           = "SE"
	prefixEmergencyLookup   = "EL"
	prefixIntakeForm        = "IF"
	prefixIntakeFormVersion = "FV"
	prefixIntakeRule        = "IR"
	prefixIntakeLink        = "IL"
	prefixAuditEvent        = "AU"
	prefixOutboundEmail     = "OE"
	prefixPasswordReset     = "PW"
	prefixSignUpRequest     = "SU"
)

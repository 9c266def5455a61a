package rule

import (
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// Actions are what a viewer may do with one client (policy §6), as
// Client.viewerAccess reports them and the mutations enforce them.
type Actions struct {
	Edit              bool
	Assign            bool
	Share             bool
	ChangeResponsible bool
}

// ClientActions decides the viewer's actions on a client from the decision
// alone (which says whether the viewer is the responsible practitioner).
//
//   - Responsible practitioner: an admin, or ASSIGN_PRACTITIONERS with EDIT;
//     under the CARE_TEAM practice setting only admins; with
//     practitionersManageOwnClients the current responsible practitioner may
//     hand over their own client. The policy reserves the change to admins
//     under CARE_TEAM "practitionersManageOwnClients notwithstanding".
//   - Care team: the same, without the CARE_TEAM reservation.
//   - Sharing and visibility: an admin, the responsible practitioner, or
//     MANAGE_CLIENT_ACCESS with EDIT.
func ClientActions(v *viewer.Viewer, d Decision) Actions {
	if v == nil || !d.Visible() {
		return Actions{}
	}
	if v.Admin {
		return Actions{Edit: true, Assign: true, Share: true, ChangeResponsible: true}
	}
	edit := d.Level.AtLeast(access.Edit)
	responsible := d.Has(access.RuleResponsible)
	ownClient := responsible && v.Settings.PractitionersManageOwnClients
	assign := (edit && v.Can(access.AssignPractitioners)) || ownClient
	return Actions{
		Edit:              edit,
		Assign:            assign,
		Share:             responsible || (edit && v.Can(access.ManageClientAccess)),
		ChangeResponsible: assign && v.Settings.ClientVisibility != access.CareTeam,
	}
}

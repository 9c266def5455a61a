package rule

import (
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
)

// CanGrant reports whether the viewer may hand out these section levels and
// capabilities (policy §6): no one grants a level or capability they do not
// hold themselves. Admins hold everything.
func CanGrant(v *viewer.Viewer, sections access.SectionLevels, caps []access.Capability) bool {
	if v.Admin {
		return true
	}
	for _, s := range access.Sections {
		if !v.RoleLevel(s).AtLeast(sections.Of(s)) {
			return false
		}
	}
	for _, c := range caps {
		if !v.Can(c) {
			return false
		}
	}
	return true
}

package rule

import (
	"slices"

	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// CanGrant reports whether the viewer may hand out these section levels,
// capabilities and tag restriction (policy §6): no one grants a level or
// capability they do not hold themselves. Admins hold everything. A
// tag-restricted viewer holds broad access only within their tags (§3), so
// they may grant only a restriction within theirs: never none, never another
// tag. restrictToTags nil means no restriction (the built-in defaults).
func CanGrant(v *viewer.Viewer, sections access.SectionLevels, caps []access.Capability, restrictToTags []pulid.ID) bool {
	if v.Admin {
		return true
	}
	if !withinTags(v, restrictToTags) {
		return false
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

// CanGrantTeamAccess reports whether the viewer may grant team member access
// at level to target's care teams (nil: every member's) to a recipient whose
// role restricts them to recipientTags (nil: no restriction). No one grants
// reach they do not hold (policy §6), and rule 6 is a broad rule that the tag
// restrictions of both sides limit (§3): a tag-restricted granter holds reach
// only within their tags, so the recipient must be restricted within them
// too. Within that, a non-admin needs ACCESS_ALL_CLIENTS (EDIT on every
// client rule 6 could reach) or a grant of their own reaching at least as far
// at least as high.
func CanGrantTeamAccess(v *viewer.Viewer, recipientTags []pulid.ID, target *pulid.ID, level access.Level) bool {
	if v.Admin {
		return true
	}
	if !withinTags(v, recipientTags) {
		return false
	}
	if v.Can(access.AccessAllClients) {
		return true
	}
	for _, g := range v.TeamAccess {
		reaches := g.Target == nil || (target != nil && *g.Target == *target)
		if reaches && g.Level.AtLeast(level) {
			return true
		}
	}
	return false
}

// withinTags reports whether broad reach limited to tags (nil: unlimited)
// stays within the viewer's own tag restriction.
func withinTags(v *viewer.Viewer, tags []pulid.ID) bool {
	if !v.TagRestricted() {
		return true
	}
	if len(tags) == 0 {
		return false
	}
	for _, t := range tags {
		if !slices.Contains(v.RestrictToTags, t) {
			return false
		}
	}
	return true
}

package graph

// The answer of explainAccess (policy §10), as ent/rule explains it: the
// same decision, section levels and actions that Client.viewerAccess
// reports to the member themselves, with the cuts.

import (
	"caseload/ent/rule"
	"caseload/graph/model"
)

// accessExplanation is the API's form of an explanation.
func accessExplanation(ex *rule.Explanation) *model.AccessExplanation {
	d := ex.Decision
	acts := ex.Actions()
	out := &model.AccessExplanation{
		Sees:                 d.Visible(),
		Level:                d.Level,
		Rules:                make([]*model.AccessRuleLevel, 0, len(d.Rules)),
		Cut:                  make([]*model.AccessRuleCut, 0, len(d.Cuts)),
		CanEdit:              acts.Edit,
		CanAssign:            acts.Assign,
		CanShare:             acts.Share,
		CanChangeResponsible: acts.ChangeResponsible,
	}
	for _, a := range d.Rules {
		out.Rules = append(out.Rules, &model.AccessRuleLevel{Rule: a.Rule, Level: a.Level})
	}
	for _, c := range d.Cuts {
		out.Cut = append(out.Cut, &model.AccessRuleCut{Rule: c.Rule, Level: c.Level, By: c.By})
	}
	for _, s := range ex.Sections() {
		out.Sections = append(out.Sections, &model.SectionExplanation{
			Section: s.Section, Level: s.Level, RoleLevel: s.RoleLevel, RelationshipLevel: s.RelationshipLevel,
		})
	}
	return out
}

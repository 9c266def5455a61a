package graph

import (
	"context"

	"caseload/ent"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/viewer"
	"caseload/graph/model"
)

// viewerAccess reports what the viewer may do with a client (policy §4), from
// the same decision the directives and mutations use.
func viewerAccess(ctx context.Context, c *ent.ClientRecord) (*model.ViewerAccess, error) {
	v := viewer.FromContext(ctx)
	d, err := rule.DecisionOn(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := &model.ViewerAccess{Level: d.Level, Rules: []access.Rule{}, Sections: make([]*model.SectionLevel, 0, len(access.Sections))}
	for _, s := range access.Sections {
		out.Sections = append(out.Sections, &model.SectionLevel{Section: s, Level: rule.SectionLevel(v, d, s)})
	}
	for _, r := range d.Rules {
		out.Rules = append(out.Rules, r.Rule)
	}
	acts := rule.ClientActions(v, d)
	out.CanEdit, out.CanAssign, out.CanShare, out.CanChangeResponsible = acts.Edit, acts.Assign, acts.Share, acts.ChangeResponsible
	return out, nil
}

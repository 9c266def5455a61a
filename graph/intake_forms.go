package graph

// Intake forms as staff define them (policy §6, intake): who may, how a
// form's questions and rules are checked (graph/intake), and the links.

import (
	"context"
	"crypto/rand"
	"encoding/base64"

	"caseload/ent"
	"caseload/ent/intakeform"
	"caseload/ent/intakeformversion"
	"caseload/ent/intakelink"
	"caseload/ent/intakerule"
	"caseload/ent/rule"
	"caseload/ent/schema/forms"
	"caseload/ent/schema/pulid"
	"caseload/ent/tag"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
	"caseload/graph/intake"
	"caseload/graph/model"
)

// requireManagesIntake refuses, before anything is read or checked, a
// member who may not define intake forms or booking settings.
func requireManagesIntake(ctx context.Context) error {
	if !rule.ManagesIntake(viewer.FromContext(ctx)) {
		return errcode.New(errcode.Forbidden, "intake forms and online booking are managed by admins and members with MANAGE_TEAM")
	}
	return nil
}

// questionInputs converts the API's questions for graph/intake.
func questionInputs(in []*model.IntakeQuestionInput) []intake.QuestionInput {
	out := make([]intake.QuestionInput, len(in))
	for i, q := range in {
		out[i] = intake.QuestionInput{Key: q.Key, Label: q.Label, Kind: q.Kind, Options: q.Options}
		if q.Required != nil {
			out[i].Required = *q.Required
		}
		if q.Help != nil {
			out[i].Help = *q.Help
		}
	}
	return out
}

// currentQuestions are the questions of the form's current version.
func (r *Resolver) currentQuestions(ctx context.Context, form *ent.IntakeForm) ([]forms.Question, error) {
	v, err := r.db(ctx).IntakeForm.QueryVersions(form).
		Where(intakeformversion.VersionEQ(form.Version)).Only(ctx)
	if err != nil {
		return nil, err
	}
	return v.Questions, nil
}

// formRules are the form's rules as graph/intake checks them.
func formRules(rules []*ent.IntakeRule) []intake.RuleInput {
	out := make([]intake.RuleInput, len(rules))
	for i, r := range rules {
		out[i] = intake.RuleInput{QuestionKey: r.QuestionKey, Operator: r.Operator, Values: r.Values, PractitionerID: r.PractitionerID, TagIDs: r.TagIds}
	}
	return out
}

// writeVersion checks the input and writes the form's version number
// version, with the form's name and default practitioner.
func (r *Resolver) writeVersion(ctx context.Context, form *ent.IntakeForm, version int, input model.IntakeFormInput) (*ent.IntakeForm, error) {
	db := r.db(ctx)
	name, err := checkName("the form's name", input.Name)
	if err != nil {
		return nil, err
	}
	questions, err := intake.CheckQuestions(questionInputs(input.Questions))
	if err != nil {
		return nil, err
	}
	if form == nil {
		form, err = db.IntakeForm.Create().SetName(name).SetVersion(version).
			SetNillableDefaultPractitionerID(input.DefaultPractitionerID).Save(ctx)
	} else {
		// Rules name questions: a version may not drop or change what a
		// rule reads, or the rule would silently never match.
		rules, rerr := db.IntakeRule.Query().Where(intakerule.FormIDEQ(form.ID)).Order(ent.Asc(intakerule.FieldPosition)).All(ctx)
		if rerr != nil {
			return nil, rerr
		}
		if err := intake.CheckRules(questions, formRules(rules)); err != nil {
			return nil, errcode.New(errcode.BadUserInput, "the new questions do not fit the form's rules; change the rules first: "+err.Error())
		}
		upd := db.IntakeForm.UpdateOne(form).SetName(name).SetVersion(version)
		if input.DefaultPractitionerID != nil {
			upd.SetDefaultPractitionerID(*input.DefaultPractitionerID)
		} else {
			upd.ClearDefaultPractitionerID()
		}
		form, err = upd.Save(ctx)
	}
	if err != nil {
		return nil, err
	}
	if err := db.IntakeFormVersion.Create().SetFormID(form.ID).SetVersion(version).SetName(name).SetQuestions(questions).Exec(ctx); err != nil {
		return nil, err
	}
	return form, nil
}

// lockedForm loads a form of the practice and locks it until the
// mutation's transaction ends, so that two changes of one form queue.
func (r *Resolver) lockedForm(ctx context.Context, id pulid.ID) (*ent.IntakeForm, error) {
	f, err := r.db(ctx).IntakeForm.Query().Where(intakeform.IDEQ(id)).Modify(rule.LockRows).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errcode.NotFoundError()
	}
	return f, err
}

// checkRuleTags refuses tags that are not the practice's.
func (r *Resolver) checkRuleTags(ctx context.Context, rules []*model.IntakeRuleInput) error {
	var ids []pulid.ID
	for _, ru := range rules {
		ids = append(ids, ru.TagIds...)
	}
	ids = uniqueIDs(ids)
	if len(ids) == 0 {
		return nil
	}
	n, err := r.db(ctx).Tag.Query().Where(tag.IDIn(ids...)).Count(ctx)
	if err != nil {
		return err
	}
	if n != len(ids) {
		return errcode.New(errcode.BadUserInput, "a tag does not exist")
	}
	return nil
}

// newLinkToken is an unguessable link token: 192 random bits.
func newLinkToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// intakeLinkURL is the public address of a link's form.
func (r *Resolver) intakeLinkURL(token string) string { return r.publicURL + "/intake/" + token }

// changeIntakeLink changes a link the viewer may manage: NOT_FOUND for one
// they may not read, as for an ID never issued.
func (r *Resolver) changeIntakeLink(ctx context.Context, id pulid.ID, change func(*ent.IntakeLinkUpdateOne)) (*ent.IntakeLink, error) {
	if err := requireManagesIntake(ctx); err != nil {
		return nil, err
	}
	db := r.db(ctx)
	link, err := db.IntakeLink.Query().Where(intakelink.IDEQ(id)).Modify(rule.LockRows).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errcode.NotFoundError()
	}
	if err != nil {
		return nil, err
	}
	u := db.IntakeLink.UpdateOne(link)
	change(u)
	return u.Save(ctx)
}

// inOrder returns the clients in the order of ids.
func inOrder(cs []*ent.ClientRecord, ids []pulid.ID) []*ent.ClientRecord {
	byID := make(map[pulid.ID]*ent.ClientRecord, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	out := make([]*ent.ClientRecord, 0, len(ids))
	for _, id := range ids {
		if c, ok := byID[id]; ok {
			out = append(out, c)
		}
	}
	return out
}

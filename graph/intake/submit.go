package intake

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/database"
	"caseload/ent/formresponse"
	"caseload/ent/intakeformversion"
	"caseload/ent/intakelink"
	"caseload/ent/intakerule"
	"caseload/ent/member"
	"caseload/ent/rule"
	"caseload/ent/schema/access"
	"caseload/ent/schema/forms"
	"caseload/ent/schema/pulid"
	"caseload/ent/tag"
	"caseload/ent/viewer"
	"caseload/graph/auth"
	"caseload/graph/email"
	"caseload/graph/errcode"
)

// publicRead is why an anonymous request reads past privacy: it reads only
// what the practice published behind the link it names (policy §11).
const publicRead = "policy §11: a public form shows only what the practice published behind its link"

// publicWrite is why a submission writes past privacy: no member makes it;
// §6 routes the client it creates.
const publicWrite = "policy §11 and §6: an anonymous submission creates a new client, routed by the form"

// Form is a form as its public page shows it.
type Form struct {
	PracticeName string
	// TimeZone is the practice's: the receipt's time is shown in it.
	TimeZone *time.Location
	// FrameAncestors are the origins whose pages may embed the form.
	FrameAncestors []string
	Name           string
	Questions      []forms.Question
	link           *ent.IntakeLink
	form           *ent.IntakeForm
	version        int
}

// ErrUnknownLink is a token that names no enabled link: unknown, rotated,
// disabled, or whose form is gone. The public answer never says which.
var ErrUnknownLink = errcode.New(errcode.NotFound, "this form link is unknown or no longer in use")

// PublicForm returns the form behind an enabled link's token, or
// ErrUnknownLink.
func PublicForm(ctx context.Context, db *ent.Client, token string) (*Form, error) {
	ctx = viewer.Anonymous(ctx)
	if len(token) < 16 || len(token) > 100 {
		return nil, ErrUnknownLink
	}
	ctx = viewer.Bypass(ctx, publicRead)
	link, err := db.IntakeLink.Query().
		Where(intakelink.TokenEQ(token), intakelink.EnabledEQ(true)).
		WithForm().WithPractice().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, ErrUnknownLink
	}
	if err != nil {
		return nil, err
	}
	form := link.Edges.Form
	v, err := db.IntakeFormVersion.Query().
		Where(intakeformversion.FormIDEQ(form.ID), intakeformversion.VersionEQ(form.Version)).Only(ctx)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(link.Edges.Practice.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return &Form{
		PracticeName:   link.Edges.Practice.Name,
		TimeZone:       loc,
		FrameAncestors: link.Edges.Practice.PublicFrameAncestors,
		Name:           v.Name,
		Questions:      v.Questions,
		link:           link,
		form:           form,
		version:        v.Version,
	}, nil
}

// RateKey names the form's link for the limits on submissions: the
// server's page counts a honeypot hit under it too.
func (f *Form) RateKey() string { return "intake:" + string(f.link.ID) }

// Submission is what a submitter sends.
type Submission struct {
	Token   string
	Answers []AnswerInput
	// IdempotencyKey makes a repeated submission (a double click, a retry
	// after a lost answer) create one client.
	IdempotencyKey string
}

// Submit checks the answers against the form behind the token and creates
// the client, routed by §6, with its assignment history and a FormResponse,
// in one transaction; it returns when the answers were received. The
// submitter learns nothing else (§11): not whether they are already a
// client, nor who the client went to. A key already used for this practice
// answers the first submission's time and creates nothing.
//
// When the answers give an email, a confirmation that the practice received
// the form is written to mail's outbox in the same transaction.
func Submit(ctx context.Context, db *ent.Client, limits *auth.Limits, mail *email.Outbox, s Submission, now time.Time) (time.Time, error) {
	ctx = viewer.Anonymous(ctx)
	key, err := CheckIdempotencyKey(s.IdempotencyKey)
	if err != nil {
		return time.Time{}, err
	}
	form, err := PublicForm(ctx, db, s.Token)
	if err != nil {
		return time.Time{}, err
	}
	// Answers are checked before they are counted, so that a person
	// correcting a mistake does not use up their submissions; a refused
	// answer writes nothing.
	answers, err := CheckAnswers(form.Questions, s.Answers, now)
	if err != nil {
		return time.Time{}, err
	}
	if err := limits.BeginPublicSubmission(ctx, auth.RequestOf(ctx).Address, form.RateKey()); err != nil {
		return time.Time{}, auth.RefusalError(ctx, err)
	}
	ctx = viewer.WithPractice(viewer.Bypass(ctx, publicWrite), form.link.PracticeID)
	var received time.Time
	err = database.InTx(ctx, db, func(tx *ent.Client) error {
		// Submissions through one link queue here, so that a repeated key
		// finds the first submission rather than racing it.
		if _, err := tx.IntakeLink.Query().Where(intakelink.IDEQ(form.link.ID)).Modify(rule.LockRows).Only(ctx); err != nil {
			return err
		}
		prior, err := tx.FormResponse.Query().
			Where(formresponse.PracticeIDEQ(form.link.PracticeID), formresponse.IdempotencyKeyEQ(key)).
			Only(ctx)
		switch {
		case err == nil:
			received = prior.SubmittedAt
			return nil
		case !ent.IsNotFound(err):
			return err
		}
		// To the millisecond, which every database keeps exactly: a repeated
		// submission answers the very time the first did.
		received = now.UTC().Truncate(time.Millisecond)
		if err := create(ctx, tx, form, answers, key, received); err != nil {
			return err
		}
		if to := value(answers, KeyEmail); to != "" && mail != nil {
			if err := mail.Enqueue(ctx, tx, mail.IntakeConfirmation(strings.ToLower(to), form.PracticeName, received)); err != nil {
				return err
			}
		}
		return limits.PublicSubmissionWritten(ctx, form.RateKey())
	})
	if err != nil {
		return time.Time{}, auth.RefusalError(ctx, err)
	}
	mail.Wake()
	return received, nil
}

// create writes the routed client, its history and its response.
func create(ctx context.Context, tx *ent.Client, form *Form, answers []forms.Answer, key string, now time.Time) error {
	rules, err := tx.IntakeRule.Query().Where(intakerule.FormIDEQ(form.form.ID)).All(ctx)
	if err != nil {
		return err
	}
	active, err := activePractitioners(ctx, tx, form.link.PracticeID)
	if err != nil {
		return err
	}
	route := Route(rules, answers, form.link, form.form, func(id pulid.ID) bool { return active[id] })
	c := tx.ClientRecord.Create().
		SetPracticeID(form.link.PracticeID).
		SetName(value(answers, KeyName)).
		SetSource(clientrecord.SourceINTAKE_FORM)
	if v := value(answers, KeyEmail); v != "" {
		c.SetEmail(strings.ToLower(v))
	}
	if v := value(answers, KeyPhone); v != "" {
		c.SetPhone(v)
	}
	if v := value(answers, KeyDateOfBirth); v != "" {
		if d, err := time.Parse(time.DateOnly, v); err == nil {
			c.SetDateOfBirth(d)
		}
	}
	if route.Practitioner != "" {
		c.SetResponsibleID(route.Practitioner)
	}
	if len(route.Tags) > 0 {
		// A rule's tag deleted since is left out; tags stay the practice's.
		tags, err := tx.Tag.Query().Where(tag.IDIn(route.Tags...), tag.PracticeIDEQ(form.link.PracticeID)).IDs(ctx)
		if err != nil {
			return err
		}
		c.AddTagIDs(tags...)
	}
	client, err := c.Save(ctx)
	if err != nil {
		return err
	}
	if route.Practitioner != "" {
		a := tx.Assignment.Create().
			SetPracticeID(form.link.PracticeID).
			SetKind(assignment.KindRESPONSIBLE).
			SetClientID(client.ID).
			SetMemberID(route.Practitioner).
			SetSource(route.Source).
			SetIntakeFormID(form.form.ID).
			SetIntakeLinkID(form.link.ID).
			SetReason(reason(form, route))
		if route.RulePosition > 0 {
			a.SetIntakeRulePosition(route.RulePosition)
		}
		if err := a.Exec(ctx); err != nil {
			return err
		}
	}
	return tx.FormResponse.Create().
		SetPracticeID(form.link.PracticeID).
		SetClientID(client.ID).
		SetFormName(form.Name).
		SetSubmittedAt(now).
		SetAnswers(Text(answers)).
		SetData(answers).
		SetFormID(form.form.ID).
		SetFormVersion(form.version).
		SetLinkID(form.link.ID).
		SetIdempotencyKey(key).
		Exec(ctx)
}

// reason is the history's reason for a routed assignment.
func reason(form *Form, route Routing) string {
	switch route.Source {
	case assignment.SourceINTAKE_RULE:
		return "intake form “" + form.Name + "”: rule " + strconv.Itoa(route.RulePosition)
	case assignment.SourceINTAKE_LINK:
		return "intake form “" + form.Name + "”: the practitioner's own link"
	default:
		return "intake form “" + form.Name + "”: the form's default practitioner"
	}
}

// activePractitioners are the practice's active practitioners: the only
// members a client can be routed to (policy §2).
func activePractitioners(ctx context.Context, tx *ent.Client, practice pulid.ID) (map[pulid.ID]bool, error) {
	ids, err := tx.Member.Query().
		Where(member.PracticeIDEQ(practice), member.ActiveEQ(true), member.AccountTypeEQ(access.Practitioner)).
		IDs(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[pulid.ID]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// value is the answer to the question with the key, or "".
func value(answers []forms.Answer, key string) string {
	for _, a := range answers {
		if a.QuestionKey == key {
			return a.Value
		}
	}
	return ""
}

// CheckIdempotencyKey checks a submission's key: 8 to 100 printable ASCII
// characters, such as a UUID the page made.
func CheckIdempotencyKey(key string) (string, error) {
	if len(key) < 8 || len(key) > 100 || strings.IndexFunc(key, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
		return "", errcode.New(errcode.BadUserInput, "the idempotency key has 8 to 100 printable characters without spaces")
	}
	return key, nil
}

// IsUnknownLink reports whether err is ErrUnknownLink.
func IsUnknownLink(err error) bool { return errors.Is(err, ErrUnknownLink) }

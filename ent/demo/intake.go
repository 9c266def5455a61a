package demo

import (
	"time"

	"caseload/ent"
	"caseload/ent/clientrecord"
	"caseload/ent/member"
	"caseload/ent/schema/forms"
	"caseload/ent/schema/pulid"
)

// The demo's public addresses, printed by the README: fixed so that the
// links work on every fresh demo. Real links are random (graph).
const (
	// IntakeToken is the demo form's general link: /intake/{IntakeToken}.
	IntakeToken = "harbourside-new-client-intake"
	// AlexIntakeToken is Alex Moreno's own link to the form.
	AlexIntakeToken = "harbourside-intake-alex-moreno"
	// BookingSlug is the demo booking page: /book/{BookingSlug}.
	BookingSlug = "harbourside"
)

// intakeQuestions is the demo form: what a psychology practice asks a new
// client before a first session.
var intakeQuestions = []forms.Question{
	{Key: "name", Label: "Your full name", Kind: forms.Text, Required: true},
	{Key: "email", Label: "Email address", Kind: forms.Email, Required: true},
	{Key: "phone", Label: "Mobile number", Kind: forms.Phone},
	{Key: "date_of_birth", Label: "Date of birth", Kind: forms.Date},
	{Key: "service", Label: "What would you like help with?", Kind: forms.SingleChoice, Required: true,
		Options: []string{"Individual therapy", "Couples therapy", "Child and adolescent", "Not sure yet"}},
	{Key: "location", Label: "Where would you like to be seen?", Kind: forms.MultipleChoice,
		Options: []string{"Northside", "Harbour", "Eastwood", "Telehealth"}},
	{Key: "reason", Label: "In a few words, what brings you to us?", Kind: forms.LongText,
		Help: "Only your practitioner reads this."},
	{Key: "consent", Label: "I have read Harbourside Psychology's privacy notice and agree to my information being kept as it describes.",
		Kind: forms.Consent, Required: true},
}

// intake creates the form, its rules (couples therapy to Bea, children to
// Chidi, anything mentioning trauma to Dev, Telehealth tagged), a general
// link and Alex's own, and two answered intakes no rule could route, for
// the triage list.
func (b *builder) intake() error {
	byName := map[string]*ent.Member{}
	for _, m := range b.practitioners {
		byName[m.Name] = m
	}
	form, err := b.tx.IntakeForm.Create().SetPracticeID(b.p.ID).SetName("New client intake").Save(b.ctx)
	if err != nil {
		return err
	}
	if err := b.tx.IntakeFormVersion.Create().SetPracticeID(b.p.ID).SetFormID(form.ID).SetVersion(1).
		SetName(form.Name).SetQuestions(intakeQuestions).Exec(b.ctx); err != nil {
		return err
	}
	rules := []struct {
		key    string
		op     forms.Operator
		values []string
		to     string
		tags   forms.TagIDs
	}{
		{"service", forms.Equals, []string{"Couples therapy"}, "Bea Lindqvist", nil},
		{"service", forms.OneOf, []string{"Child and adolescent"}, "Chidi Eze", nil},
		{"reason", forms.Contains, []string{"trauma"}, "Dev Sharma", nil},
		{"location", forms.Contains, []string{"Telehealth"}, "Ellie Tran", forms.TagIDs{b.tags["Telehealth"].ID}},
	}
	for i, r := range rules {
		if err := b.tx.IntakeRule.Create().SetPracticeID(b.p.ID).SetFormID(form.ID).SetPosition(i).
			SetQuestionKey(r.key).SetOperator(r.op).SetValues(r.values).SetPractitionerID(byName[r.to].ID).
			SetTagIds(r.tags).Exec(b.ctx); err != nil {
			return err
		}
	}
	if err := b.tx.IntakeLink.Create().SetPracticeID(b.p.ID).SetFormID(form.ID).SetToken(IntakeToken).Exec(b.ctx); err != nil {
		return err
	}
	if err := b.tx.IntakeLink.Create().SetPracticeID(b.p.ID).SetFormID(form.ID).
		SetPractitionerID(byName["Alex Moreno"].ID).SetToken(AlexIntakeToken).Exec(b.ctx); err != nil {
		return err
	}
	for i, name := range []string{"Noor Haddad", "Tom Beckett"} {
		at := b.now.Add(-time.Duration(3+i*20) * time.Hour)
		c, err := b.tx.ClientRecord.Create().SetPracticeID(b.p.ID).SetName(name).
			SetEmail(lower(name[:3]) + "@mail.example").SetSource(clientrecord.SourceINTAKE_FORM).
			SetCreatedAt(at).Save(b.ctx)
		if err != nil {
			return err
		}
		answers := []forms.Answer{
			{QuestionKey: "name", Label: intakeQuestions[0].Label, Kind: forms.Text, Value: name},
			{QuestionKey: "email", Label: intakeQuestions[1].Label, Kind: forms.Email, Value: c.Email},
			{QuestionKey: "service", Label: intakeQuestions[4].Label, Kind: forms.SingleChoice, Value: "Not sure yet"},
			{QuestionKey: "consent", Label: intakeQuestions[7].Label, Kind: forms.Consent, Value: "true", ConsentedAt: &at},
		}
		if err := b.tx.FormResponse.Create().SetPracticeID(b.p.ID).SetClientID(c.ID).SetFormName(form.Name).
			SetSubmittedAt(at).SetAnswers("What would you like help with?: Not sure yet\n").SetData(answers).
			SetFormID(form.ID).SetFormVersion(1).Exec(b.ctx); err != nil {
			return err
		}
	}
	return nil
}

// booking publishes the booking page: three practitioners, two kinds of
// appointment, two hours' notice, four weeks ahead, ten minutes between
// appointments.
func (b *builder) booking() error {
	var ids []pulid.ID
	for _, m := range b.practitioners {
		if m.Name == "Alex Moreno" || m.Name == "Bea Lindqvist" || m.Name == "Ellie Tran" {
			ids = append(ids, m.ID)
		}
	}
	if err := b.tx.Member.Update().Where(member.IDIn(ids...)).SetBookableOnline(true).Exec(b.ctx); err != nil {
		return err
	}
	return b.tx.Practice.UpdateOne(b.p).
		SetBookingEnabled(true).SetBookingSlug(BookingSlug).
		SetBookingAppointmentTypes([]forms.AppointmentType{{Name: "Initial consultation", Minutes: 50}, {Name: "Telehealth check-in", Minutes: 25}}).
		SetBookingMinNoticeMinutes(120).SetBookingHorizonDays(28).SetBookingBufferMinutes(10).
		Exec(b.ctx)
}

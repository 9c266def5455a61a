package demo

// The demo practice's clients, their care teams, records and shares.

import (
	"fmt"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
)

var (
	firstNames = []string{"Olivia", "Noah", "Amelia", "Jack", "Isla", "William", "Mia", "Oliver", "Ava", "Leo", "Grace", "Henry", "Chloe", "Lucas", "Zoe", "Thomas", "Ruby", "James", "Ella", "Ethan", "Sofia", "Mason", "Harper", "Liam", "Aria"}
	lastNames  = []string{"Nguyen", "Smith", "Wilson", "Patel", "Brown", "Kelly", "Martin", "Ali", "Taylor", "Wong", "Anderson", "Murphy", "Singh", "Walker", "Rossi", "Kim", "Thompson", "Lee", "White", "Costa"}
	locations  = []string{"Northside", "Harbour", "Eastwood"}
)

func (b *builder) pick(list []string) string { return list[b.rnd.IntN(len(list))] }

func (b *builder) clients(n int) error {
	practitioners := b.practitioners
	for i := 0; i < n; i++ {
		if err := b.client(i, practitioners); err != nil {
			return fmt.Errorf("client %d: %w", i, err)
		}
	}
	return b.shares()
}

func (b *builder) client(i int, practitioners []*ent.Member) error {
	first, last := b.pick(firstNames), b.pick(lastNames)
	owner := practitioners[b.rnd.IntN(len(practitioners))]
	visibility := access.PracticeDefault
	switch r := b.rnd.IntN(20); {
	case r < 2:
		visibility = access.AllTeam
	case r < 3:
		visibility = access.CareTeam
	}
	status := "ACTIVE"
	if b.rnd.IntN(10) == 0 {
		status = "INACTIVE"
	}
	dob := time.Date(1950+b.rnd.IntN(60), time.Month(1+b.rnd.IntN(12)), 1+b.rnd.IntN(28), 0, 0, 0, 0, time.UTC)
	c, err := b.tx.ClientRecord.Create().
		SetPracticeID(b.p.ID).
		SetName(first + " " + last).
		SetStatus(clientStatus(status)).
		SetVisibility(visibility).
		SetRestricted(i%33 == 5).
		SetResponsibleID(owner.ID).
		SetEmail(fmt.Sprintf("%s.%s%d@mail.example", lower(first), lower(last), i)).
		SetPhone(fmt.Sprintf("04%02d %03d %03d", b.rnd.IntN(100), b.rnd.IntN(1000), b.rnd.IntN(1000))).
		SetDateOfBirth(dob).
		SetAddress(fmt.Sprintf("%d %s Street, %s", 1+b.rnd.IntN(200), b.pick(lastNames), b.pick(locations))).
		SetEmergencyContact(b.pick(firstNames) + " " + last + " (family)").
		AddTagIDs(b.tags[locations[i%len(locations)]].ID).
		Save(b.ctx)
	if err != nil {
		return err
	}
	if i%4 == 0 {
		if err := b.tx.ClientRecord.UpdateOne(c).AddTagIDs(b.tags["Telehealth"].ID).Exec(b.ctx); err != nil {
			return err
		}
	}
	since := b.now.AddDate(0, 0, -30-b.rnd.IntN(300))
	if err := b.tx.Assignment.Create().SetPracticeID(b.p.ID).SetClientID(c.ID).SetMemberID(owner.ID).
		SetKind(assignment.KindRESPONSIBLE).SetAssignedByID(practitioners[0].ID).SetReason("intake").Exec(b.ctx); err != nil {
		return err
	}
	team := []*ent.Member{owner}
	for k := 0; k < b.rnd.IntN(3); k++ {
		other := practitioners[b.rnd.IntN(len(practitioners))]
		if contains(team, other.ID) {
			continue
		}
		team = append(team, other)
		if err := b.tx.Assignment.Create().SetPracticeID(b.p.ID).SetClientID(c.ID).SetMemberID(other.ID).
			SetKind(assignment.KindCARE_TEAM).SetAssignedByID(owner.ID).SetReason("co-treatment").Exec(b.ctx); err != nil {
			return err
		}
	}
	return b.record(c, owner, team, since)
}

// record writes the client's sections: medical history, notes, appointments,
// invoices and an intake form.
func (b *builder) record(c *ent.ClientRecord, owner *ent.Member, team []*ent.Member, since time.Time) error {
	if err := b.tx.MedicalHistory.Create().SetPracticeID(b.p.ID).SetClientID(c.ID).
		SetText("Referred by GP for " + b.pick([]string{"anxiety", "low mood", "grief", "sleep difficulties", "work stress"}) + ".").
		SetMedications(b.pick([]string{"none", "sertraline 50mg", "melatonin 2mg", "escitalopram 10mg"})).
		SetAllergies(b.pick([]string{"none known", "penicillin", "latex"})).
		SetDiagnoses(b.pick([]string{"", "F41.1 generalised anxiety disorder", "F32.1 moderate depressive episode", "F43.2 adjustment disorder"})).
		SetUpdatedAt(since).SetUpdatedByID(owner.ID).Exec(b.ctx); err != nil {
		return err
	}
	notes := make([]*ent.SessionNoteCreate, 0, 4)
	for k := 0; k < 2+b.rnd.IntN(3); k++ {
		author := team[b.rnd.IntN(len(team))]
		date := since.AddDate(0, 0, 7*k)
		n := b.tx.SessionNote.Create().SetPracticeID(b.p.ID).SetClientID(c.ID).SetAuthorID(author.ID).
			SetDate(date).SetPrivate(b.rnd.IntN(6) == 0).
			SetContent(fmt.Sprintf("Session %d: reviewed goals; practised %s.", k+1, b.pick([]string{"grounding", "cognitive restructuring", "sleep hygiene", "values clarification"})))
		if date.Before(b.now.AddDate(0, 0, -2)) {
			n.SetSignedAt(date.Add(2 * time.Hour))
		}
		notes = append(notes, n)
	}
	if err := b.tx.SessionNote.CreateBulk(notes...).Exec(b.ctx); err != nil {
		return err
	}
	appts := make([]*ent.AppointmentCreate, 0, 3)
	for k := -1; k <= 1; k++ {
		day := b.now.AddDate(0, 0, 7*k+b.rnd.IntN(5)).Truncate(24 * time.Hour)
		start := day.Add(time.Duration(23+b.rnd.IntN(7)) * time.Hour) // 9:00–16:00 in Sydney
		// A practitioner's live appointments never overlap (policy §6; on
		// PostgreSQL a constraint refuses it): a taken hour moves on.
		for b.booked[owner.ID+"@"+pulid.ID(start.Format(time.RFC3339))] {
			start = start.Add(time.Hour)
		}
		b.booked[owner.ID+"@"+pulid.ID(start.Format(time.RFC3339))] = true
		a := b.tx.Appointment.Create().SetPracticeID(b.p.ID).SetClientID(c.ID).SetPractitionerID(owner.ID).
			SetStartsAt(start).SetEndsAt(start.Add(50 * time.Minute)).SetBookedOnline(b.rnd.IntN(3) == 0)
		if k < 0 {
			a.SetStatus("COMPLETED")
		}
		appts = append(appts, a)
	}
	if err := b.tx.Appointment.CreateBulk(appts...).Exec(b.ctx); err != nil {
		return err
	}
	if err := b.tx.Invoice.Create().SetPracticeID(b.p.ID).SetClientID(c.ID).
		SetNumber("INV-" + string(c.ID[len(c.ID)-8:])).SetAmountCents(int64(18000 + 500*b.rnd.IntN(10))).
		SetIssuedAt(since).SetStatus("PAID").SetPaidAt(since.AddDate(0, 0, 3)).Exec(b.ctx); err != nil {
		return err
	}
	return b.tx.FormResponse.Create().SetPracticeID(b.p.ID).SetClientID(c.ID).
		SetFormName("Intake questionnaire").SetSubmittedAt(since.Add(-48 * time.Hour)).
		SetAnswers("Reason for seeking help: " + b.pick([]string{"stress at work", "relationship", "sleep", "mood"}) + "\nPrevious therapy: " + b.pick([]string{"yes", "no"})).
		Exec(b.ctx)
}

// shares gives a few practitioners access to colleagues' clients: one share
// lasting three more days, one already expired, one revoked.
func (b *builder) shares() error {
	clients, err := b.tx.ClientRecord.Query().Limit(6).Order(ent.Asc("name")).All(b.ctx)
	if err != nil || len(clients) < 6 {
		return err
	}
	grantor := b.practitioners[0]
	fallback := b.practitioners[2]
	in3days, yesterday := b.now.Add(72*time.Hour), b.now.Add(-24*time.Hour)
	for i, c := range clients {
		to := b.practitioners[3+i%5]
		if c.ResponsibleID != nil && *c.ResponsibleID == to.ID {
			to = fallback
		}
		s := b.tx.Share.Create().SetPracticeID(b.p.ID).SetClientID(c.ID).SetMemberID(to.ID).
			SetLevel(access.View).SetGrantedByID(grantor.ID)
		switch i {
		case 0:
			s.SetExpiresAt(in3days)
		case 1:
			s.SetExpiresAt(yesterday)
		case 2:
			s.SetLevel(access.Edit)
		case 3:
			s.SetRevokedAt(yesterday).SetRevokedByID(grantor.ID)
		}
		if err := s.Exec(b.ctx); err != nil {
			return err
		}
	}
	return nil
}

func contains(ms []*ent.Member, id pulid.ID) bool {
	for _, m := range ms {
		if m.ID == id {
			return true
		}
	}
	return false
}

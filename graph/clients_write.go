package graph

import (
	"context"
	"slices"
	"strings"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/clientrecord"
	"caseload/ent/medicalhistory"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/tag"
	"caseload/ent/viewer"
	"caseload/graph/errcode"
	"caseload/graph/model"
)

// Writes to a client run inside the request's transaction; Ent privacy
// decides whether each is allowed (ent/rule). Resolvers load the client
// through privacy first, so a hidden client is NOT_FOUND exactly like an ID
// never issued.

// visibleClient loads a client the viewer sees, or NOT_FOUND.
func (r *Resolver) visibleClient(ctx context.Context, id pulid.ID) (*ent.ClientRecord, error) {
	c, err := r.db(ctx).ClientRecord.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errcode.NotFoundError()
	}
	return c, err
}

// answerClient is a mutation's answer about a client it changed, read after
// the write: through the viewer's privacy while they still see the client.
// When the change hid it from them (policy §6, "Changes that hide the client
// from their author"), the change stands and the answer is the client as
// written, read past privacy with its care team: the fields every viewer of a
// client sees. Its section fields still answer FORBIDDEN and
// viewerAccess.level NONE, because those are decided from its id alone.
func (r *Resolver) answerClient(ctx context.Context, id pulid.ID) (*ent.ClientRecord, error) {
	db := r.db(ctx)
	c, err := db.ClientRecord.Get(ctx, id)
	if !ent.IsNotFound(err) {
		return c, err
	}
	return db.ClientRecord.Query().
		Where(clientrecord.IDEQ(id)).
		WithAssignments(func(q *ent.AssignmentQuery) {
			q.Where(assignment.KindEQ(assignment.KindCARE_TEAM), assignment.EndedAtIsNil()).WithMember()
		}).
		Only(viewer.Bypass(ctx, "policy §6: a change that hid the client answers it as written"))
}

// textField trims a text input and bounds its length.
func textField(name string, s *string, max int) (*string, error) {
	if s == nil {
		return nil, nil
	}
	t := strings.TrimSpace(*s)
	if len(t) > max {
		return nil, errcode.New(errcode.BadUserInput, name+" is too long")
	}
	return &t, nil
}

// createClient creates a client (policy §6, new clients).
func (r *Resolver) createClient(ctx context.Context, in model.CreateClientInput) (*ent.ClientRecord, error) {
	v := viewer.FromContext(ctx)
	db := r.db(ctx)
	name, err := checkName("the name", in.Name)
	if err != nil {
		return nil, err
	}
	p, err := db.Practice.Get(ctx, v.PracticeID)
	if err != nil {
		return nil, err
	}
	// Policy §6, new clients: an explicit choice wins (the privacy rule
	// refuses one the creator may not make); otherwise a practitioner
	// creator is made responsible when the practice assigns new clients to
	// their creator.
	responsible := in.ResponsiblePractitionerID
	if responsible == nil && p.AssignNewClientsToCreator && v.AccountType == access.Practitioner {
		responsible = &v.MemberID
	}
	create := db.ClientRecord.Create().SetName(name).SetNillableResponsibleID(responsible)
	if in.Visibility != nil {
		create.SetVisibility(*in.Visibility)
	}
	if err := setProfile(create.Mutation(), in.Email, in.Phone, in.Address, in.EmergencyContact, in.DateOfBirth); err != nil {
		return nil, err
	}
	if len(in.TagIds) > 0 {
		n, err := db.Tag.Query().Where(tag.IDIn(in.TagIds...)).Count(ctx)
		if err != nil {
			return nil, err
		}
		if n != len(uniqueIDs(in.TagIds)) {
			return nil, errcode.New(errcode.BadUserInput, "a tag does not exist")
		}
		create.AddTagIDs(uniqueIDs(in.TagIds)...)
	}
	c, err := create.Save(ctx)
	if err != nil {
		return nil, err
	}
	if responsible != nil {
		if err := db.Assignment.Create().SetClientID(c.ID).SetMemberID(*responsible).
			SetKind(assignment.KindRESPONSIBLE).SetAssignedByID(v.MemberID).SetReason("new client").Exec(viewer.Bypass(ctx, "history of a creation the client rule has allowed")); err != nil {
			return nil, err
		}
	}
	return r.answerClient(ctx, c.ID)
}

func uniqueIDs(ids []pulid.ID) []pulid.ID {
	seen := map[pulid.ID]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// profileMutation is what create and update of a client share.
type profileMutation interface {
	SetEmail(string)
	SetPhone(string)
	SetAddress(string)
	SetEmergencyContact(string)
	SetDateOfBirth(time.Time)
}

// setProfile sets the PROFILE fields given; privacy then requires PROFILE EDIT.
func setProfile(m profileMutation, email, phone, address, emergency *string, dob *time.Time) error {
	for _, f := range []struct {
		name string
		val  *string
		max  int
		set  func(string)
	}{
		{"the email", email, 320, m.SetEmail},
		{"the phone", phone, 50, m.SetPhone},
		{"the address", address, 500, m.SetAddress},
		{"the emergency contact", emergency, 500, m.SetEmergencyContact},
	} {
		v, err := textField(f.name, f.val, f.max)
		if err != nil {
			return err
		}
		if v != nil {
			f.set(*v)
		}
	}
	if dob != nil {
		if dob.After(time.Now()) {
			return errcode.New(errcode.BadUserInput, "the date of birth is in the future")
		}
		m.SetDateOfBirth(dob.UTC())
	}
	return nil
}

// updateClient changes a client's name, status or profile.
func (r *Resolver) updateClient(ctx context.Context, id pulid.ID, in model.UpdateClientInput) (*ent.ClientRecord, error) {
	c, err := r.visibleClient(ctx, id)
	if err != nil {
		return nil, err
	}
	upd := r.db(ctx).ClientRecord.UpdateOne(c)
	if in.Name != nil {
		name, err := checkName("the name", *in.Name)
		if err != nil {
			return nil, err
		}
		upd.SetName(name)
	}
	if in.Status != nil {
		upd.SetStatus(*in.Status)
	}
	if err := setProfile(upd.Mutation(), in.Email, in.Phone, in.Address, in.EmergencyContact, in.DateOfBirth); err != nil {
		return nil, err
	}
	if _, err := upd.Save(ctx); err != nil {
		return nil, err
	}
	return r.answerClient(ctx, id)
}

// updateMedicalHistory replaces a client's medical history.
func (r *Resolver) updateMedicalHistory(ctx context.Context, clientID pulid.ID, text string, medications, allergies, diagnoses *string) (*ent.ClientRecord, error) {
	v := viewer.FromContext(ctx)
	c, err := r.visibleClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	if len(text) > 100_000 {
		return nil, errcode.New(errcode.BadUserInput, "the medical history is too long")
	}
	db := r.db(ctx)
	// Policy §4: a client's medical history is guarded by its own section;
	// whether a row exists yet is not something to reveal or race on.
	existing, err := db.MedicalHistory.Query().Where(medicalhistory.ClientIDEQ(c.ID)).Only(viewer.Bypass(ctx, "whether a history row exists yet is not the viewer's to learn or race on"))
	switch {
	case ent.IsNotFound(err):
		create := db.MedicalHistory.Create().SetClientID(c.ID).SetText(text).
			SetUpdatedAt(time.Now()).SetUpdatedByID(v.MemberID)
		if medications != nil {
			create.SetMedications(*medications)
		}
		if allergies != nil {
			create.SetAllergies(*allergies)
		}
		if diagnoses != nil {
			create.SetDiagnoses(*diagnoses)
		}
		err = create.Exec(ctx)
	case err == nil:
		upd := db.MedicalHistory.UpdateOne(existing).SetText(text).SetUpdatedAt(time.Now()).SetUpdatedByID(v.MemberID).
			SetNillableMedications(medications).SetNillableAllergies(allergies).SetNillableDiagnoses(diagnoses)
		err = upd.Exec(ctx)
	}
	if err != nil {
		return nil, err
	}
	return r.answerClient(ctx, c.ID)
}

// noteText trims a note's or an addendum's content and bounds its length.
func noteText(content string) (string, error) {
	content = strings.TrimSpace(content)
	if content == "" || len(content) > 100_000 {
		return "", errcode.New(errcode.BadUserInput, "a note needs content, at most 100000 characters")
	}
	return content, nil
}

// createSessionNote writes a note as the viewer (policy §5).
func (r *Resolver) createSessionNote(ctx context.Context, clientID pulid.ID, content string, private *bool, date *time.Time) (*ent.SessionNote, error) {
	v := viewer.FromContext(ctx)
	c, err := r.visibleClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	if content, err = noteText(content); err != nil {
		return nil, err
	}
	when := time.Now()
	if date != nil {
		when = date.UTC()
	}
	return r.db(ctx).SessionNote.Create().SetClientID(c.ID).SetAuthorID(v.MemberID).
		SetContent(content).SetPrivate(deref(private)).SetDate(when).Save(ctx)
}

// visibleNote loads a note the viewer sees (through its client), or
// NOT_FOUND exactly as for an ID never issued.
func (r *Resolver) visibleNote(ctx context.Context, id pulid.ID) (*ent.SessionNote, error) {
	n, err := r.db(ctx).SessionNote.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errcode.NotFoundError()
	}
	return n, err
}

// updateSessionNote changes an unsigned note; the note rule admits its
// author alone (policy §5).
func (r *Resolver) updateSessionNote(ctx context.Context, id pulid.ID, content string, date *time.Time) (*ent.SessionNote, error) {
	n, err := r.visibleNote(ctx, id)
	if err != nil {
		return nil, err
	}
	if content, err = noteText(content); err != nil {
		return nil, err
	}
	upd := r.db(ctx).SessionNote.UpdateOne(n).SetContent(content)
	if date != nil {
		upd.SetDate(date.UTC())
	}
	return upd.Save(ctx)
}

// addNoteAddendum adds text to a signed note as its author (policy §5). The
// addendum keeps its note's client and privacy.
func (r *Resolver) addNoteAddendum(ctx context.Context, noteID pulid.ID, content string) (*ent.NoteAddendum, error) {
	v := viewer.FromContext(ctx)
	n, err := r.visibleNote(ctx, noteID)
	if err != nil {
		return nil, err
	}
	if content, err = noteText(content); err != nil {
		return nil, err
	}
	return r.db(ctx).NoteAddendum.Create().SetClientID(n.ClientID).SetNoteID(n.ID).
		SetAuthorID(v.MemberID).SetPrivate(n.Private).SetContent(content).Save(ctx)
}

// signSessionNote locks a note; only its author signs, once (policy §5).
func (r *Resolver) signSessionNote(ctx context.Context, id pulid.ID) (*ent.SessionNote, error) {
	db := r.db(ctx)
	n, err := db.SessionNote.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errcode.NotFoundError()
	}
	if err != nil {
		return nil, err
	}
	if n.SignedAt != nil {
		return nil, errcode.New(errcode.Conflict, "the note is already signed")
	}
	return db.SessionNote.UpdateOne(n).SetSignedAt(time.Now()).Save(ctx)
}

// careTeamOf lists the members of loaded active care-team assignments, by
// name, as Client.careTeam does.
func careTeamOf(team []*ent.Assignment) []*ent.Member {
	out := make([]*ent.Member, 0, len(team))
	for _, a := range team {
		if m := a.Edges.Member; m != nil {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b *ent.Member) int { return strings.Compare(a.Name, b.Name) })
	return out
}

package graphtest

import (
	"fmt"
	"sync/atomic"
	"time"

	"caseload/ent"
	"caseload/ent/assignment"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
)

var seq atomic.Int64

func next() int64 { return seq.Add(1) }

// Practice creates a practice with the given client visibility setting.
func (e *Env) Practice(opts ...func(*ent.PracticeCreate)) *ent.Practice {
	e.T.Helper()
	c := e.Client().Practice.Create().SetName(fmt.Sprintf("Practice %d", next()))
	for _, o := range opts {
		o(c)
	}
	p, err := c.Save(e.Ctx)
	if err != nil {
		e.T.Fatal(err)
	}
	return p
}

// MemberOpt shapes a member.
type MemberOpt func(*ent.MemberCreate)

// Admin makes the member an admin.
func Admin() MemberOpt { return func(c *ent.MemberCreate) { c.SetAdmin(true) } }

// Administrative makes the member administrative staff.
func Administrative() MemberOpt {
	return func(c *ent.MemberCreate) { c.SetAccountType(access.Administrative) }
}

// WithRole gives the member a role.
func WithRole(r *ent.Role) MemberOpt { return func(c *ent.MemberCreate) { c.SetRoleID(r.ID) } }

// Inactive deactivates the member.
func Inactive() MemberOpt { return func(c *ent.MemberCreate) { c.SetActive(false) } }

// WithPassword sets the member's password hash.
func WithPassword(hash string) MemberOpt {
	return func(c *ent.MemberCreate) { c.SetPasswordHash(hash) }
}

// Member creates a practitioner of p, shaped by opts.
func (e *Env) Member(p *ent.Practice, opts ...MemberOpt) *ent.Member {
	e.T.Helper()
	n := next()
	c := e.Client().Member.Create().
		SetPracticeID(p.ID).
		SetName(fmt.Sprintf("Member %d", n)).
		SetEmail(fmt.Sprintf("member%d@test.example", n)).
		SetAccountType(access.Practitioner)
	for _, o := range opts {
		o(c)
	}
	m, err := c.Save(e.Ctx)
	if err != nil {
		e.T.Fatal(err)
	}
	return m
}

// Role creates a role of p with the given levels and capabilities.
func (e *Env) Role(p *ent.Practice, t access.AccountType, sections access.SectionLevels, caps []access.Capability, tags ...*ent.Tag) *ent.Role {
	e.T.Helper()
	if caps == nil {
		caps = []access.Capability{}
	}
	r, err := e.Client().Role.Create().
		SetPracticeID(p.ID).SetName(fmt.Sprintf("Role %d", next())).SetAccountType(t).
		SetProfileLevel(sections.Of(access.Profile)).
		SetSchedulingLevel(sections.Of(access.Scheduling)).
		SetBillingLevel(sections.Of(access.Billing)).
		SetMedicalHistoryLevel(sections.Of(access.MedicalHistory)).
		SetSessionNotesLevel(sections.Of(access.SessionNotes)).
		SetFormsLevel(sections.Of(access.Forms)).
		SetCapabilities(caps).
		AddRestrictToTags(tags...).
		Save(e.Ctx)
	if err != nil {
		e.T.Fatal(err)
	}
	return r
}

// Tag creates a tag of p.
func (e *Env) Tag(p *ent.Practice, name string) *ent.Tag {
	e.T.Helper()
	t, err := e.Client().Tag.Create().SetPracticeID(p.ID).SetName(name).Save(e.Ctx)
	if err != nil {
		e.T.Fatal(err)
	}
	return t
}

// ClientOpt shapes a client.
type ClientOpt func(*ent.ClientRecordCreate)

// ResponsibleIs makes m the client's responsible practitioner.
func ResponsibleIs(m *ent.Member) ClientOpt {
	return func(c *ent.ClientRecordCreate) { c.SetResponsibleID(m.ID) }
}

// Visibility sets the client's visibility.
func Visibility(v access.ClientVisibility) ClientOpt {
	return func(c *ent.ClientRecordCreate) { c.SetVisibility(v) }
}

// Restricted flags the client restricted.
func Restricted() ClientOpt { return func(c *ent.ClientRecordCreate) { c.SetRestricted(true) } }

// Tagged tags the client.
func Tagged(tags ...*ent.Tag) ClientOpt {
	return func(c *ent.ClientRecordCreate) { c.AddTags(tags...) }
}

// NewClient creates a client of p with a profile, shaped by opts.
func (e *Env) NewClient(p *ent.Practice, opts ...ClientOpt) *ent.ClientRecord {
	e.T.Helper()
	n := next()
	c := e.Client().ClientRecord.Create().
		SetPracticeID(p.ID).
		SetName(fmt.Sprintf("Client %05d", n)).
		SetEmail(fmt.Sprintf("client%d@mail.example", n)).
		SetPhone("0400 000 000")
	for _, o := range opts {
		o(c)
	}
	cl, err := c.Save(e.Ctx)
	if err != nil {
		e.T.Fatal(err)
	}
	return cl
}

// Assign puts m on the client's care team.
func (e *Env) Assign(c *ent.ClientRecord, m *ent.Member) *ent.Assignment {
	e.T.Helper()
	a, err := e.Client().Assignment.Create().SetPracticeID(c.PracticeID).SetClientID(c.ID).
		SetMemberID(m.ID).SetKind(assignment.KindCARE_TEAM).Save(e.Ctx)
	if err != nil {
		e.T.Fatal(err)
	}
	return a
}

// EndAssignment ends a care-team assignment.
func (e *Env) EndAssignment(a *ent.Assignment) {
	e.T.Helper()
	if err := e.Client().Assignment.UpdateOne(a).SetEndedAt(time.Now()).Exec(e.Ctx); err != nil {
		e.T.Fatal(err)
	}
}

// ShareOpt shapes a share.
type ShareOpt func(*ent.ShareCreate)

// Expires sets the share's expiry.
func Expires(t time.Time) ShareOpt { return func(c *ent.ShareCreate) { c.SetExpiresAt(t) } }

// Revoked revokes the share.
func Revoked() ShareOpt { return func(c *ent.ShareCreate) { c.SetRevokedAt(time.Now()) } }

// Share shares the client with m at level.
func (e *Env) Share(c *ent.ClientRecord, m *ent.Member, level access.Level, opts ...ShareOpt) *ent.Share {
	e.T.Helper()
	s := e.Client().Share.Create().SetPracticeID(c.PracticeID).SetClientID(c.ID).SetMemberID(m.ID).SetLevel(level)
	for _, o := range opts {
		o(s)
	}
	sh, err := s.Save(e.Ctx)
	if err != nil {
		e.T.Fatal(err)
	}
	return sh
}

// TeamAccess grants m access to target's care teams (all members if nil).
func (e *Env) TeamAccess(m *ent.Member, target *ent.Member, level access.Level) {
	e.T.Helper()
	c := e.Client().TeamAccess.Create().SetPracticeID(m.PracticeID).SetMemberID(m.ID).SetLevel(level)
	if target != nil {
		c.SetTargetMemberID(target.ID)
	}
	if err := c.Exec(e.Ctx); err != nil {
		e.T.Fatal(err)
	}
}

// Emergency gives m a break-glass grant on the client until expires.
func (e *Env) Emergency(c *ent.ClientRecord, m *ent.Member, expires time.Time) {
	e.T.Helper()
	if err := e.Client().EmergencyAccess.Create().SetPracticeID(c.PracticeID).SetClientID(c.ID).
		SetMemberID(m.ID).SetReason("test").SetExpiresAt(expires).Exec(e.Ctx); err != nil {
		e.T.Fatal(err)
	}
}

// IDs returns the IDs of clients, for comparing sets.
func IDs(cs ...*ent.ClientRecord) []pulid.ID {
	out := make([]pulid.ID, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// Package demo creates a demo practice that shows the access policy at work:
// admins, practitioners, administrative roles (one restricted to a location),
// tags, a few hundred clients with care teams, shares (one expiring),
// restricted and whole-team clients, notes (some private), appointments and
// invoices, an intake form with rules and links, and an online booking page.
package demo

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"caseload/ent"
	"caseload/ent/member"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/ent/viewer"
)

// Password is every demo account's password. Demo data only.
const Password = "caseload-demo-2026"

// Login is one demo account, for printing.
type Login struct {
	Email string
	Name  string
	What  string
}

// ErrExists is returned when the demo practice is already there.
var ErrExists = errors.New("the demo practice already exists")

// Options size the demo practice.
type Options struct {
	Clients int
	// Hash hashes the demo password once for every account.
	Hash func(string) (string, error)
	// Now anchors appointments, shares and notes; time.Now if zero.
	Now time.Time
}

type builder struct {
	ctx  context.Context
	tx   *ent.Tx
	rnd  *rand.Rand
	now  time.Time
	hash string
	p    *ent.Practice
	tags map[string]*ent.Tag
	// practitioners holds every practitioner, admins included.
	practitioners []*ent.Member
	logins        []Login
	// booked holds each practitioner's appointment start times.
	booked map[pulid.ID]bool
}

// Seed creates the demo practice in one transaction and returns its logins.
func Seed(ctx context.Context, client *ent.Client, opts Options) ([]Login, error) {
	// Seeding writes a whole practice before any of its members exists to
	// be a viewer: it bypasses privacy explicitly.
	ctx = viewer.Bypass(ctx, "seeding the demo practice")
	if exists, err := client.Member.Query().Where(member.EmailEQ("dana@harbourside.example")).Exist(ctx); err != nil {
		return nil, err
	} else if exists {
		return nil, ErrExists
	}
	if opts.Clients == 0 {
		opts.Clients = 300
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	hash, err := opts.Hash(Password)
	if err != nil {
		return nil, err
	}
	tx, err := client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, tx: tx, rnd: rand.New(rand.NewPCG(2026, 11)), now: opts.Now.UTC().Truncate(time.Minute), hash: hash, tags: map[string]*ent.Tag{}, booked: map[pulid.ID]bool{}}
	if err := b.build(opts.Clients); err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return b.logins, tx.Commit()
}

func (b *builder) build(clients int) error {
	steps := []func() error{b.practice, b.team, func() error { return b.clients(clients) }, b.intake, b.booking}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) practice() (err error) {
	b.p, err = b.tx.Practice.Create().
		SetName("Harbourside Psychology").
		SetTimeZone("Australia/Sydney").
		SetClientVisibility(access.CareTeam).
		SetAssignNewClientsToCreator(true).
		SetPractitionersManageOwnClients(true).
		Save(b.ctx)
	if err != nil {
		return err
	}
	for _, name := range []string{"Northside", "Harbour", "Eastwood", "Telehealth"} {
		t, err := b.tx.Tag.Create().SetPracticeID(b.p.ID).SetName(name).Save(b.ctx)
		if err != nil {
			return err
		}
		b.tags[name] = t
	}
	return nil
}

// member creates one account and records its login.
func (b *builder) member(name, email string, t access.AccountType, admin bool, role *ent.Role, what string) (*ent.Member, error) {
	c := b.tx.Member.Create().
		SetPracticeID(b.p.ID).SetName(name).SetEmail(email).SetPasswordHash(b.hash).
		SetAccountType(t).SetAdmin(admin)
	if role != nil {
		c.SetRoleID(role.ID)
	}
	m, err := c.Save(b.ctx)
	if err != nil {
		return nil, err
	}
	b.logins = append(b.logins, Login{Email: email, Name: name, What: what})
	if t == access.Practitioner {
		b.practitioners = append(b.practitioners, m)
	}
	return m, nil
}

// role creates an administrative role.
func (b *builder) role(name string, sections access.SectionLevels, caps []access.Capability, tags ...*ent.Tag) (*ent.Role, error) {
	return b.tx.Role.Create().
		SetPracticeID(b.p.ID).SetName(name).SetAccountType(access.Administrative).
		SetProfileLevel(sections.Of(access.Profile)).
		SetSchedulingLevel(sections.Of(access.Scheduling)).
		SetBillingLevel(sections.Of(access.Billing)).
		SetMedicalHistoryLevel(sections.Of(access.MedicalHistory)).
		SetSessionNotesLevel(sections.Of(access.SessionNotes)).
		SetFormsLevel(sections.Of(access.Forms)).
		SetCapabilities(caps).
		AddRestrictToTags(tags...).
		Save(b.ctx)
}

func (b *builder) team() error {
	if _, err := b.member("Dana Whitfield", "dana@harbourside.example", access.Practitioner, true, nil, "admin, clinical director (practitioner)"); err != nil {
		return err
	}
	if _, err := b.member("Priya Natarajan", "priya@harbourside.example", access.Administrative, true, nil, "admin, practice manager"); err != nil {
		return err
	}
	for _, n := range []struct{ name, email string }{
		{"Alex Moreno", "alex@harbourside.example"}, {"Bea Lindqvist", "bea@harbourside.example"},
		{"Chidi Eze", "chidi@harbourside.example"}, {"Dev Sharma", "dev@harbourside.example"},
		{"Ellie Tran", "ellie@harbourside.example"}, {"Farah Haddad", "farah@harbourside.example"},
		{"Gus O'Neill", "gus@harbourside.example"}, {"Hana Sato", "hana@harbourside.example"},
	} {
		if _, err := b.member(n.name, n.email, access.Practitioner, false, nil, "practitioner: sees own clients, shared and whole-team ones"); err != nil {
			return err
		}
	}
	scheduling, err := b.role("Scheduling assistant",
		access.SectionLevels{access.Profile: access.View, access.Scheduling: access.Edit},
		[]access.Capability{access.AccessAllClients, access.ViewTeam})
	if err != nil {
		return err
	}
	billing, err := b.role("Billing clerk",
		access.SectionLevels{access.Profile: access.View, access.Billing: access.Edit},
		[]access.Capability{access.AccessAllClients})
	if err != nil {
		return err
	}
	reception, err := b.role("Northside reception",
		access.SectionLevels{access.Profile: access.View, access.Scheduling: access.Edit},
		[]access.Capability{access.AccessAllClients}, b.tags["Northside"])
	if err != nil {
		return err
	}
	if _, err := b.member("Sam Okafor", "sam@harbourside.example", access.Administrative, false, scheduling, "Scheduling assistant: profile and appointments of unrestricted clients"); err != nil {
		return err
	}
	if _, err := b.member("Lee Chen", "lee@harbourside.example", access.Administrative, false, billing, "Billing clerk: profile and invoices of unrestricted clients"); err != nil {
		return err
	}
	if _, err := b.member("Maya Roberts", "maya@harbourside.example", access.Administrative, false, reception, "Northside reception: like scheduling, Northside clients only"); err != nil {
		return err
	}
	// A supervisor who may view the caseloads of two junior practitioners.
	supervisor, juniors := b.practitioners[1], b.practitioners[7:9]
	for _, j := range juniors {
		if err := b.tx.TeamAccess.Create().SetPracticeID(b.p.ID).SetMemberID(supervisor.ID).
			SetTargetMemberID(j.ID).SetLevel(access.View).SetGrantedByID(b.practitioners[0].ID).Exec(b.ctx); err != nil {
			return err
		}
	}
	b.logins[2].What = "practitioner and supervisor: VIEW on " + juniors[0].Name + "'s and " + juniors[1].Name + "'s clients"
	for _, m := range b.practitioners {
		for _, wd := range []int{1, 2, 3, 4, 5} {
			if b.rnd.IntN(5) == 0 {
				continue
			}
			if err := b.tx.Availability.Create().SetPracticeID(b.p.ID).SetMemberID(m.ID).
				SetWeekday(wd).SetStartMinute(9 * 60).SetEndMinute(17 * 60).Exec(b.ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

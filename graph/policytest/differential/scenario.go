package differential

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/graphtest"
)

func pickOne[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

// genScenario draws a scenario, and the changes made to it between rounds,
// from seed alone, so that a seed reproduces it.
func genScenario(seed uint64) *scenario {
	r := rand.New(rand.NewPCG(seed, 0xd1ff))
	s := &scenario{Seed: seed, Foreign: 2}
	s.Practice.Visibility = pickOne(r, access.AllTeam, access.CareTeam)
	s.Practice.EmergencyReachesRestricted = r.IntN(2) == 0
	s.Tags = 3 + r.IntN(2)

	for i := range 3 + r.IntN(3) {
		role := roleSpec{Label: fmt.Sprintf("r%d", i), AccountType: pickOne(r, access.AccountTypes...), Sections: access.SectionLevels{}}
		for _, sec := range access.Sections {
			role.Sections[sec] = pickOne(r, access.None, access.View, access.Edit)
		}
		for _, c := range access.Capabilities {
			if r.IntN(100) < 35 {
				role.Caps = append(role.Caps, c)
			}
		}
		if r.IntN(3) == 0 {
			for t := range s.Tags {
				if r.IntN(3) == 0 {
					role.RestrictTo = append(role.RestrictTo, t)
				}
			}
			if len(role.RestrictTo) == 0 {
				role.RestrictTo = []int{r.IntN(s.Tags)}
			}
		}
		s.Roles = append(s.Roles, role)
	}

	n := 6 + r.IntN(5)
	for i := range n {
		m := memberSpec{Label: fmt.Sprintf("m%d", i), Type: access.Practitioner, Role: -1, Active: r.IntN(7) != 0}
		if r.IntN(5) < 2 {
			m.Type = access.Administrative
		}
		m.Admin = r.IntN(7) == 0
		if r.IntN(3) != 0 {
			var fits []int
			for ri, role := range s.Roles {
				if role.AccountType == m.Type {
					fits = append(fits, ri)
				}
			}
			if len(fits) > 0 {
				m.Role = pickOne(r, fits...)
			}
		}
		s.Members = append(s.Members, m)
	}
	// Care teams and session notes need an active practitioner.
	if len(s.activePractitioners()) == 0 {
		s.Members[0].Active, s.Members[0].Type, s.Members[0].Role = true, access.Practitioner, -1
	}
	for i := range s.Members {
		if r.IntN(4) != 0 {
			continue
		}
		for range 1 + r.IntN(2) {
			g := grantSpec{Target: -1, Level: pickOne(r, access.View, access.Edit)}
			if r.IntN(3) != 0 {
				if g.Target = r.IntN(n); g.Target == i {
					continue
				}
			}
			s.Members[i].TeamAccess = append(s.Members[i].TeamAccess, g)
		}
	}

	practitioners, active := s.activePractitioners(), s.activeMembers()
	for i := range 12 + r.IntN(9) {
		c := clientSpec{
			Label:       fmt.Sprintf("c%d", i),
			Visibility:  pickOne(r, access.PracticeDefault, access.PracticeDefault, access.AllTeam, access.CareTeam),
			Restricted:  r.IntN(5) == 0,
			Responsible: -1,
			Author:      pickOne(r, practitioners...),
		}
		for t := range s.Tags {
			if r.IntN(10) < 3 {
				c.Tags = append(c.Tags, t)
			}
		}
		if r.IntN(4) != 0 {
			c.Responsible = pickOne(r, practitioners...)
		}
		for range r.IntN(3) {
			m := pickOne(r, practitioners...)
			if m == c.Responsible || slices.ContainsFunc(c.CareTeam, func(a assignmentSpec) bool { return a.Member == m }) {
				continue
			}
			c.CareTeam = append(c.CareTeam, assignmentSpec{Member: m, Ended: r.IntN(3) == 0})
		}
		for k := range r.IntN(3) {
			c.Shares = append(c.Shares, shareSpec{
				Label:  fmt.Sprintf("%s.s%d", c.Label, k),
				Member: pickOne(r, active...),
				Level:  pickOne(r, access.View, access.Edit),
				State:  shareState(r.IntN(4)),
			})
		}
		if r.IntN(3) == 0 {
			c.Emergency = append(c.Emergency, emergencySpec{Member: pickOne(r, active...), Expired: r.IntN(3) == 0})
		}
		s.Clients = append(s.Clients, c)
	}

	// The changes draw from a stream of their own, so that the practice a
	// seed gives stays the one it gave before changes existed.
	rs := rand.New(rand.NewPCG(seed, 0x57e9))
	s.Practice.ManageOwnClients = rs.IntN(2) == 0
	work := s.clone()
	for range 2 + rs.IntN(3) {
		st, ok := genStep(rs, work)
		if !ok || !work.apply(st) {
			continue
		}
		s.Steps = append(s.Steps, st)
	}

	// The members' own changes (policy §6) draw from a third stream, for the
	// same reason, and against the state each round will have as the model
	// sees it: the steps, and the earlier attempts that the policy allows.
	ra := rand.New(rand.NewPCG(seed, 0x6d07))
	work = s.clone()
	for round := 0; round <= len(s.Steps); round++ {
		if round > 0 {
			work.apply(s.Steps[round-1])
		}
		for range attemptsPerRound {
			a, ok := genAttempt(ra, work, round, fmt.Sprintf("a%d", len(s.Attempts)))
			if !ok {
				continue
			}
			if work.decide(a).allowed() {
				work.applyAttempt(a)
			}
			s.Attempts = append(s.Attempts, a)
		}
	}
	return s
}

// attemptsPerRound bounds the members' attempts per round: each is a
// request and two reads of the client's rows, some a second request (an
// unknown ID, for NOT_FOUND). Five add about a tenth to the default run's
// time on SQLite and a fifth on PostgreSQL (the log says how much).
const attemptsPerRound = 5

// genAttempt draws one attempt that is applicable in the state w. Most
// members may do little with most clients, so a refused draw is drawn again
// now and then, so that both answers are common.
func genAttempt(r *rand.Rand, w *scenario, round int, label string) (attempt, bool) {
	a, ok := drawAttempt(r, w, round, label)
	for range 2 {
		if !ok || w.decide(a).allowed() || r.IntN(2) == 0 {
			break
		}
		a, ok = drawAttempt(r, w, round, label)
	}
	return a, ok
}

// drawAttempt draws an active member, a client (mostly one they see,
// sometimes a hidden one or the other practice's), and a kind whose input
// fits the client.
func drawAttempt(r *rand.Rand, w *scenario, round int, label string) (attempt, bool) {
	active := w.activeMembers()
	if len(active) == 0 {
		return attempt{}, false
	}
	mi := pickOne(r, active...)
	a := attempt{Label: label, Round: round, Member: w.Members[mi].Label}
	var vis, hid []string
	for ci, c := range w.Clients {
		if w.expect(mi, ci).visible() {
			vis = append(vis, c.Label)
		} else {
			hid = append(hid, c.Label)
		}
	}
	switch x := r.IntN(20); {
	case x < 15 && len(vis) > 0:
		a.Client = pickOne(r, vis...)
	case x < 19 && len(hid) > 0:
		a.Client = pickOne(r, hid...)
	case w.Foreign > 0:
		a.Client = foreignLabel
	case len(vis) > 0:
		a.Client = pickOne(r, vis...)
	default:
		return attempt{}, false
	}
	kinds := slices.Clone(mutKinds)
	r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	for _, k := range kinds {
		for range 3 {
			x := a
			x.Kind = k
			if fillAttempt(r, w, mi, &x) && w.applicable(x) {
				return x, true
			}
		}
	}
	return attempt{}, false
}

// fillAttempt draws the input of an attempt of kind a.Kind by member mi:
// false when the client offers none (no share to revoke, no tag to add...).
// A target that does not qualify (inactive, ADMINISTRATIVE, the other
// practice's) is drawn now and then; applicable keeps it only where the
// policy decides the answer alone.
func fillAttempt(r *rand.Rand, w *scenario, mi int, a *attempt) bool {
	c := &clientSpec{Responsible: -1}
	if ci := w.clientIndex(a.Client); ci >= 0 {
		c = &w.Clients[ci]
	}
	// target draws a member label: from good mostly, else from bad.
	target := func(good, bad []int, foreign bool) bool {
		if len(good) > 0 && (r.IntN(5) != 0 || (len(bad) == 0 && !foreign)) {
			a.Target = w.Members[pickOne(r, good...)].Label
			return true
		}
		if foreign && (len(bad) == 0 || r.IntN(3) == 0) {
			a.Target = foreignLabel
			return true
		}
		if len(bad) > 0 {
			a.Target = w.Members[pickOne(r, bad...)].Label
			return true
		}
		return false
	}
	switch a.Kind {
	case mutShare:
		var good, bad []int
		for ti, m := range w.Members {
			switch {
			case ti == mi:
			case m.Active:
				good = append(good, ti)
			default:
				bad = append(bad, ti)
			}
		}
		a.Level = pickOne(r, access.View, access.Edit)
		return target(good, bad, true)
	case mutRevoke:
		var labels []string
		for _, sh := range c.Shares {
			if sh.State.active() {
				labels = append(labels, sh.Label)
			}
		}
		if len(labels) == 0 {
			return false
		}
		a.Share = pickOne(r, labels...)
	case mutVisibility:
		var other []access.ClientVisibility
		for _, v := range []access.ClientVisibility{access.PracticeDefault, access.AllTeam, access.CareTeam} {
			if v != c.Visibility {
				other = append(other, v)
			}
		}
		a.Visibility = pickOne(r, other...)
	case mutRestricted:
		a.Restricted = !c.Restricted
	case mutResponsible, mutAssign:
		var good, bad []int
		for ti, m := range w.Members {
			switch {
			case c.Responsible == ti || c.activeAssignment(ti) >= 0:
			case m.Active && m.Type == access.Practitioner:
				good = append(good, ti)
			default:
				bad = append(bad, ti)
			}
		}
		return target(good, bad, true)
	case mutUnassign:
		var team []int
		for _, as := range c.CareTeam {
			if !as.Ended {
				team = append(team, as.Member)
			}
		}
		return target(team, nil, false)
	case mutAddTags, mutRemoveTags:
		var pool []int
		for t := range w.Tags {
			if slices.Contains(c.Tags, t) == (a.Kind == mutRemoveTags) {
				pool = append(pool, t)
			}
		}
		if len(pool) == 0 {
			return false
		}
		a.Tags = nil
		for _, t := range pool {
			if r.IntN(2) == 0 {
				a.Tags = append(a.Tags, t)
			}
		}
		if len(a.Tags) == 0 {
			a.Tags = []int{pickOne(r, pool...)}
		}
	}
	return true
}

// genStep draws one change that applies to the state w.
func genStep(r *rand.Rand, w *scenario) (step, bool) {
	var kinds []string
	var held, tagged, shares, active []int
	for ri := range w.Roles {
		if slices.ContainsFunc(w.Members, func(m memberSpec) bool { return m.Active && m.Role == ri }) {
			held = append(held, ri)
		}
	}
	for ci, c := range w.Clients {
		if len(c.Tags) > 0 {
			tagged = append(tagged, ci)
		}
		for k, sh := range c.Shares {
			if sh.State.active() {
				shares = append(shares, ci<<8|k)
			}
		}
	}
	active = w.activeMembers()
	if len(w.Roles) > 0 {
		kinds = append(kinds, stepRole)
	}
	kinds = append(kinds, stepSetting)
	if len(tagged) > 0 {
		kinds = append(kinds, stepUntag)
	}
	if len(shares) > 0 {
		kinds = append(kinds, stepRevoke)
	}
	if len(active) > 2 {
		kinds = append(kinds, stepDeactivate)
	}
	st := step{Kind: pickOne(r, kinds...)}
	switch st.Kind {
	case stepRole:
		// Prefer a role someone active holds, so that the change shows.
		ri := r.IntN(len(w.Roles))
		if len(held) > 0 {
			ri = pickOne(r, held...)
		}
		role := w.Roles[ri]
		st.Role = role.Label
		st.Sections = access.SectionLevels{}
		for _, sec := range access.Sections {
			st.Sections[sec] = role.Sections.Of(sec)
		}
		for range 1 + r.IntN(3) {
			st.Sections[pickOne(r, access.Sections...)] = pickOne(r, access.None, access.View, access.Edit)
		}
		st.Caps = slices.Clone(role.Caps)
		toggle := func(c access.Capability) {
			if i := slices.Index(st.Caps, c); i >= 0 {
				st.Caps = slices.Delete(st.Caps, i, i+1)
			} else {
				st.Caps = append(st.Caps, c)
			}
		}
		if r.IntN(2) == 0 {
			toggle(access.AccessAllClients)
		}
		if r.IntN(4) == 0 {
			toggle(pickOne(r, access.Capabilities...))
		}
		st.RestrictTo = slices.Clone(role.RestrictTo)
		if r.IntN(3) == 0 {
			st.RestrictTo = nil
			if len(role.RestrictTo) == 0 || r.IntN(2) == 0 {
				for t := range w.Tags {
					if r.IntN(3) == 0 {
						st.RestrictTo = append(st.RestrictTo, t)
					}
				}
				if len(st.RestrictTo) == 0 {
					st.RestrictTo = []int{r.IntN(w.Tags)}
				}
			}
		}
	case stepSetting:
		st.Setting = pickOne(r, settingVisibility, settingVisibility, settingManageOwn, settingEmergencyReaches)
		switch st.Setting {
		case settingVisibility:
			st.Visibility = access.AllTeam
			if w.Practice.Visibility == access.AllTeam {
				st.Visibility = access.CareTeam
			}
		case settingManageOwn:
			st.On = !w.Practice.ManageOwnClients
		case settingEmergencyReaches:
			st.On = !w.Practice.EmergencyReachesRestricted
		}
	case stepUntag:
		c := w.Clients[pickOne(r, tagged...)]
		st.Client = c.Label
		for _, t := range c.Tags {
			if r.IntN(2) == 0 {
				st.Tags = append(st.Tags, t)
			}
		}
		if len(st.Tags) == 0 {
			st.Tags = []int{pickOne(r, c.Tags...)}
		}
	case stepRevoke:
		x := pickOne(r, shares...)
		st.Share = w.Clients[x>>8].Shares[x&0xff].Label
	case stepDeactivate:
		st.Member = w.Members[pickOne(r, active...)].Label
	}
	return st, true
}

// ---------------------------------------------------------------------------
// Fixtures: the scenario, made real in a database.

// built is a scenario made real. s is the model's state for the current
// round: it starts as the built scenario and follows every step applied.
type built struct {
	s       *scenario
	e       *graphtest.Env
	members []*ent.Member
	clients []*ent.ClientRecord
	tags    []*ent.Tag
	roles   []*ent.Role
	shares  map[string]pulid.ID // share label -> id
	foreign []*ent.ClientRecord
	// foreignMember is the other practice's practitioner, named by attempts
	// whose target is "foreign".
	foreignMember *ent.Member
	// baseNames are the clients' names as built: a renamed client is named
	// from its base name and the attempt's label.
	baseNames []string
	byID      map[pulid.ID]int
	byName    map[string]int
	tagByID   map[pulid.ID]int
	// tokens are issued once per member, when the practice is built, and
	// used for every request, as a front end keeps its session.
	tokens []string
	// operator is an admin outside the scenario who makes the changes
	// between rounds: on no care team, given no share or grant, so that the
	// model needs no word about them.
	operator      *ent.Member
	operatorToken string
}

func build(t *testing.T, e *graphtest.Env, s *scenario) *built {
	t.Helper()
	now := time.Now()
	b := &built{s: s.clone(), e: e, shares: map[string]pulid.ID{}, byID: map[pulid.ID]int{}, byName: map[string]int{}, tagByID: map[pulid.ID]int{}}
	p := e.Practice(func(c *ent.PracticeCreate) {
		c.SetClientVisibility(s.Practice.Visibility).SetEmergencyReachesRestricted(s.Practice.EmergencyReachesRestricted).
			SetPractitionersManageOwnClients(s.Practice.ManageOwnClients)
	})
	for i := range s.Tags {
		tg := e.Tag(p, fmt.Sprintf("t%d", i))
		b.tags = append(b.tags, tg)
		b.tagByID[tg.ID] = i
	}
	for _, r := range s.Roles {
		var tags []*ent.Tag
		for _, ti := range r.RestrictTo {
			tags = append(tags, b.tags[ti])
		}
		b.roles = append(b.roles, e.Role(p, r.AccountType, r.Sections, slices.Clone(r.Caps), tags...))
	}
	for _, m := range s.Members {
		var opts []graphtest.MemberOpt
		if m.Admin {
			opts = append(opts, graphtest.Admin())
		}
		if m.Type == access.Administrative {
			opts = append(opts, graphtest.Administrative())
		}
		if m.Role >= 0 {
			opts = append(opts, graphtest.WithRole(b.roles[m.Role]))
		}
		if !m.Active {
			opts = append(opts, graphtest.Inactive())
		}
		b.members = append(b.members, e.Member(p, opts...))
	}
	b.operator = e.Member(p, graphtest.Admin(), graphtest.Administrative())
	for i, m := range s.Members {
		for _, g := range m.TeamAccess {
			var target *ent.Member
			if g.Target >= 0 {
				target = b.members[g.Target]
			}
			e.TeamAccess(b.members[i], target, g.Level)
		}
	}
	var (
		histories []*ent.MedicalHistoryCreate
		appts     []*ent.AppointmentCreate
		invoices  []*ent.InvoiceCreate
		forms     []*ent.FormResponseCreate
		notes     []*ent.SessionNoteCreate
	)
	db := e.Client()
	for i, c := range s.Clients {
		opts := []graphtest.ClientOpt{graphtest.Visibility(c.Visibility)}
		if c.Restricted {
			opts = append(opts, graphtest.Restricted())
		}
		if len(c.Tags) > 0 {
			var tags []*ent.Tag
			for _, ti := range c.Tags {
				tags = append(tags, b.tags[ti])
			}
			opts = append(opts, graphtest.Tagged(tags...))
		}
		if c.Responsible >= 0 {
			opts = append(opts, graphtest.ResponsibleIs(b.members[c.Responsible]))
		}
		rec := e.NewClient(p, opts...)
		b.clients = append(b.clients, rec)
		b.byID[rec.ID] = i
		b.byName[rec.Name] = i
		b.baseNames = append(b.baseNames, rec.Name)
		for _, a := range c.CareTeam {
			as := e.Assign(rec, b.members[a.Member])
			if a.Ended {
				e.EndAssignment(as)
			}
		}
		for _, sh := range c.Shares {
			var o []graphtest.ShareOpt
			switch sh.State {
			case shareFuture:
				o = append(o, graphtest.Expires(now.Add(time.Hour)))
			case shareExpired:
				o = append(o, graphtest.Expires(now.Add(-time.Minute)))
			case shareRevoked:
				o = append(o, graphtest.Revoked())
			}
			b.shares[sh.Label] = e.Share(rec, b.members[sh.Member], sh.Level, o...).ID
		}
		for _, em := range c.Emergency {
			until := now.Add(time.Hour)
			if em.Expired {
				until = now.Add(-time.Minute)
			}
			e.Emergency(rec, b.members[em.Member], until)
		}
		author := b.members[c.Author].ID
		histories = append(histories, db.MedicalHistory.Create().SetPracticeID(p.ID).SetClientID(rec.ID).
			SetText("history").SetDiagnoses("F41.1"))
		// Each client's hour is its own: a practitioner's live
		// appointments never overlap (policy §6).
		appts = append(appts, db.Appointment.Create().SetPracticeID(p.ID).SetClientID(rec.ID).SetPractitionerID(author).
			SetStartsAt(now.Add(time.Duration(24+i)*time.Hour)).SetEndsAt(now.Add(time.Duration(25+i)*time.Hour)))
		invoices = append(invoices, db.Invoice.Create().SetPracticeID(p.ID).SetClientID(rec.ID).
			SetNumber(fmt.Sprintf("INV-%d", i)).SetAmountCents(18000).SetIssuedAt(now))
		forms = append(forms, db.FormResponse.Create().SetPracticeID(p.ID).SetClientID(rec.ID).
			SetFormName("Intake").SetSubmittedAt(now).SetAnswers("answers"))
		notes = append(notes, db.SessionNote.Create().SetPracticeID(p.ID).SetClientID(rec.ID).SetAuthorID(author).
			SetDate(now).SetContent("note").SetPrivate(false))
	}
	for _, err := range []error{
		db.MedicalHistory.CreateBulk(histories...).Exec(e.Ctx),
		db.Appointment.CreateBulk(appts...).Exec(e.Ctx),
		db.Invoice.CreateBulk(invoices...).Exec(e.Ctx),
		db.FormResponse.CreateBulk(forms...).Exec(e.Ctx),
		db.SessionNote.CreateBulk(notes...).Exec(e.Ctx),
	} {
		if err != nil {
			t.Fatalf("creating section rows: %v", err)
		}
	}
	// The other practice opens its clients to its whole team, and they have
	// a care team, so that only tenancy keeps them out of sight.
	other := e.Practice(func(c *ent.PracticeCreate) { c.SetClientVisibility(access.AllTeam) })
	owner := e.Member(other)
	b.foreignMember = owner
	e.TeamAccess(owner, nil, access.Edit)
	for range s.Foreign {
		b.foreign = append(b.foreign, e.NewClient(other, graphtest.Visibility(access.AllTeam), graphtest.ResponsibleIs(owner)))
	}
	for _, m := range b.members {
		b.tokens = append(b.tokens, e.Token(m))
	}
	b.operatorToken = e.Token(b.operator)
	return b
}

// ---------------------------------------------------------------------------
// Changes through the API, as the operator admin.

// change makes step st through the API and, when the API accepts it, in the
// model (b.s becomes a new state; earlier states stay as they were, for the
// reports). It reports false, sending nothing, for a step the model finds no
// longer applies. An API refusal is an error, not a policy mismatch.
func (b *built) change(st step) (applied bool, err error) {
	next := b.s.clone()
	gone := b.s.untagged(st)
	if !next.apply(st) {
		return false, nil
	}
	var q string
	vars := map[string]any{}
	switch st.Kind {
	case stepRole:
		ri := b.s.roleIndex(st.Role)
		var secs []map[string]any
		for _, sec := range access.Sections {
			secs = append(secs, map[string]any{"section": sec, "level": st.Sections.Of(sec)})
		}
		tags := []pulid.ID{}
		for _, t := range next.Roles[ri].RestrictTo {
			tags = append(tags, b.tags[t].ID)
		}
		caps := st.Caps
		if caps == nil {
			caps = []access.Capability{}
		}
		q = `mutation($id: ID!, $in: RoleInput!) { updateRole(id: $id, input: $in) { id } }`
		vars["id"] = b.roles[ri].ID
		vars["in"] = map[string]any{"name": b.roles[ri].Name, "accountType": b.s.Roles[ri].AccountType,
			"sections": secs, "capabilities": caps, "restrictToTagIds": tags}
	case stepSetting:
		in := map[string]any{}
		if st.Setting == settingVisibility {
			in[st.Setting] = st.Visibility
		} else {
			in[st.Setting] = st.On
		}
		q = `mutation($in: PracticeSettingsInput!) { updatePracticeSettings(input: $in) { id } }`
		vars["in"] = in
	case stepUntag:
		var ids []pulid.ID
		for _, t := range gone {
			ids = append(ids, b.tags[t].ID)
		}
		q = `mutation($c: ID!, $t: [ID!]!) { removeClientTags(clientId: $c, tagIds: $t) { id } }`
		vars["c"], vars["t"] = b.clients[b.s.clientIndex(st.Client)].ID, ids
	case stepRevoke:
		q = `mutation($id: ID!) { revokeShare(id: $id) }`
		vars["id"] = b.shares[st.Share]
	case stepDeactivate:
		q = `mutation($id: ID!) { updateMember(id: $id, input: {active: false}) { id active } }`
		vars["id"] = b.members[b.s.memberIndex(st.Member)].ID
	}
	r := b.e.Do(b.operatorToken, q, vars)
	if r.Status != 200 || len(r.Errors) > 0 {
		return false, fmt.Errorf("%s refused: HTTP %d, errors %s, data %s", st, r.Status, errList(r.Errors), r.Data)
	}
	b.s = next
	return true, nil
}

// ---------------------------------------------------------------------------
// Describing a scenario and a failure.

func (s *scenario) describePractice() string {
	return fmt.Sprintf("practice: clientVisibility=%s emergencyReachesRestricted=%v practitionersManageOwnClients=%v; %d tags; the other practice has %d ALL_TEAM clients",
		s.Practice.Visibility, s.Practice.EmergencyReachesRestricted, s.Practice.ManageOwnClients, s.Tags, s.Foreign)
}

func (s *scenario) describeRole(ri int) string {
	r := s.Roles[ri]
	var secs []string
	for _, sec := range access.Sections {
		secs = append(secs, fmt.Sprintf("%s=%s", sec, r.Sections.Of(sec)))
	}
	restrict := "none"
	if len(r.RestrictTo) > 0 {
		restrict = tagList(r.RestrictTo)
	}
	return fmt.Sprintf("role %s (%s; %s; capabilities %v; restrictToTags %s)", r.Label, r.AccountType, strings.Join(secs, " "), r.Caps, restrict)
}

func (s *scenario) describeMember(mi int) string {
	m := s.Members[mi]
	state := "active"
	if !m.Active {
		state = "INACTIVE"
	}
	role := "no role (built-in default of " + string(m.Type) + ")"
	if m.Role >= 0 {
		role = s.describeRole(m.Role)
	}
	var grants []string
	for _, g := range m.TeamAccess {
		to := "ALL"
		if g.Target >= 0 {
			to = s.Members[g.Target].Label
		}
		grants = append(grants, fmt.Sprintf("to %s at %s", to, g.Level))
	}
	return fmt.Sprintf("member %s: %s %s, admin=%v, %s, team member access [%s]",
		m.Label, state, m.Type, m.Admin, role, strings.Join(grants, ", "))
}

func (s *scenario) describeClient(ci int) string {
	c := s.Clients[ci]
	label := func(mi int) string {
		if mi < 0 {
			return "none"
		}
		return s.Members[mi].Label
	}
	var team, shares, em []string
	for _, a := range c.CareTeam {
		state := "active"
		if a.Ended {
			state = "ended"
		}
		team = append(team, label(a.Member)+" "+state)
	}
	for _, sh := range c.Shares {
		shares = append(shares, fmt.Sprintf("%s: %s %s %s", sh.Label, label(sh.Member), sh.Level, sh.State))
	}
	for _, e := range c.Emergency {
		state := "active"
		if e.Expired {
			state = "expired"
		}
		em = append(em, label(e.Member)+" "+state)
	}
	return fmt.Sprintf("client %s: visibility=%s restricted=%v tags=%s responsible=%s careTeam=[%s] shares=[%s] emergency=[%s] (note and appointment by %s)",
		c.Label, c.Visibility, c.Restricted, tagList(c.Tags), label(c.Responsible),
		strings.Join(team, ", "), strings.Join(shares, ", "), strings.Join(em, ", "), label(c.Author))
}

// describe lists the whole scenario, its steps included.
func (s *scenario) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "  %s\n", s.describePractice())
	for ri := range s.Roles {
		fmt.Fprintf(&b, "  %s\n", s.describeRole(ri))
	}
	for mi := range s.Members {
		fmt.Fprintf(&b, "  %s\n", s.describeMember(mi))
	}
	for ci := range s.Clients {
		fmt.Fprintf(&b, "  %s\n", s.describeClient(ci))
	}
	fmt.Fprintf(&b, "  (and an admin outside the scenario, on no care team, who makes the changes)\n")
	for k := 0; k <= len(s.Steps); k++ {
		if k > 0 {
			fmt.Fprintf(&b, "  step %d: %s\n", k, s.Steps[k-1])
		}
		for _, a := range s.Attempts {
			if a.Round == k {
				fmt.Fprintf(&b, "  attempt %s\n", a)
			}
		}
	}
	return b.String()
}

// describeMismatch says everything needed to judge one failure without
// reading the scenario: both parties, the settings at that round, the
// model's reasoning, the API's own rules and the request.
func describeMismatch(mm mismatch) string {
	var b strings.Builder
	s := mm.State
	fmt.Fprintf(&b, "%s\n  round: %s\n  %s\n", mm, mm.Round, s.describePractice())
	mi := s.memberIndex(mm.Member)
	if mi >= 0 {
		fmt.Fprintf(&b, "  %s\n", s.describeMember(mi))
	}
	if ci := s.clientIndex(mm.Client); ci >= 0 {
		fmt.Fprintf(&b, "  %s\n", s.describeClient(ci))
		if mi >= 0 {
			v := s.expect(mi, ci)
			fmt.Fprintf(&b, "  model: level %s; rules %v; applies %v; cut %v; sections %v\n", v.Level, v.Rules, v.Applies, v.Cut, v.Sections)
		}
	}
	if a := mm.Att; a != nil {
		if ti := s.memberIndex(a.Target); ti >= 0 && ti != mi {
			fmt.Fprintf(&b, "  target %s\n", s.describeMember(ti))
		}
		fmt.Fprintf(&b, "  attempt %s: the model expects %s\n  request: %s\n  variables: %s\n", a, s.decide(*a), mm.Query, mm.Vars)
	}
	if mm.GotRules != nil {
		fmt.Fprintf(&b, "  API viewerAccess.rules: %v\n", mm.GotRules)
	}
	if mm.Query != "" && mm.Att == nil {
		fmt.Fprintf(&b, "  request (%s): %s\n  variables: %s\n", mm.Req.Shape, mm.Query, mm.Vars)
	}
	return b.String()
}

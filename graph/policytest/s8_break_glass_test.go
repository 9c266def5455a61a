package policytest

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ulule/limiter/v3"

	"caseload/ent"
	"caseload/ent/schema/access"
	"caseload/ent/schema/pulid"
	"caseload/graph/auth"
	"caseload/graph/graphtest"
	"caseload/graph/server"
)

// Policy §8: "A member with EMERGENCY_ACCESS may open a client they cannot
// otherwise see, giving a mandatory reason. It gives VIEW for a limited time
// (practice setting, default 60 minutes) ... It does not reach a restricted
// client unless the practice setting allows it." The member first
// identifies the person by full name and date of birth.

const (
	emergencySearch = `query($n: String!, $d: Date!) { emergencyAccessSearch(name: $n, dateOfBirth: $d) { clientId name dateOfBirth } }`
	breakGlass      = `mutation($c: ID!, $r: String!) { breakGlass(clientId: $c, reason: $r) { reason expiresAt holder { id } client { id name } } }`
	readClient      = `query($id: ID!) { client(id: $id) { id viewerAccess { level rules } medicalHistory { text } } }`
)

// clock is a server clock a test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

func (c *clock) option() func(*server.Options) { return func(o *server.Options) { o.Now = c.Now } }

// emergencyPractice is a practice whose break-glass grants last minutes.
func emergencyPractice(e *graphtest.Env, minutes int, reachesRestricted bool) *ent.Practice {
	return e.Practice(func(c *ent.PracticeCreate) {
		c.SetEmergencyAccessMinutes(minutes).SetEmergencyReachesRestricted(reachesRestricted)
	})
}

// patient is a client of p, named and born as given, whom only their own
// care team sees.
func patient(e *graphtest.Env, p *ent.Practice, name, born string, opts ...graphtest.ClientOpt) *ent.ClientRecord {
	dob, err := time.Parse("2006-01-02", born)
	if err != nil {
		e.T.Fatal(err)
	}
	opts = append([]graphtest.ClientOpt{graphtest.Visibility(access.CareTeam), func(c *ent.ClientRecordCreate) {
		c.SetName(name).SetDateOfBirth(dob)
	}}, opts...)
	return e.NewClient(p, opts...)
}

type candidate struct {
	ClientID    pulid.ID
	Name        string
	DateOfBirth string
}

// searchAs runs an emergency search as m and returns its candidates.
func searchAs(t *testing.T, e *graphtest.Env, m *ent.Member, name, born string) []candidate {
	t.Helper()
	r := e.As(m, emergencySearch, map[string]any{"n": name, "d": born})
	r.RequireNoErrors(t)
	var out struct{ EmergencyAccessSearch []candidate }
	r.Decode(t, &out)
	return out.EmergencyAccessSearch
}

func TestBreakGlass_GivesViewUntilExpiry(t *testing.T) {
	c := &clock{now: time.Now().UTC()}
	e := graphtest.New(t, c.option())
	p := emergencyPractice(e, 5, false)
	m, owner := e.Member(p), e.Member(p)
	ana := patient(e, p, "Ana Sofía Pérez", "1979-11-30", graphtest.ResponsibleIs(owner))
	e.Client().MedicalHistory.Create().SetPracticeID(p.ID).SetClientID(ana.ID).SetText("asthma").ExecX(e.Ctx)
	requireSees(t, e, m, []*ent.ClientRecord{ana})

	found := searchAs(t, e, m, "ana sofía  PÉREZ", "1979-11-30")
	if len(found) != 1 || found[0] != (candidate{ana.ID, "Ana Sofía Pérez", "1979-11-30"}) {
		t.Fatalf("search: %+v", found)
	}
	requireSees(t, e, m, []*ent.ClientRecord{ana}) // identifying opens nothing
	r := e.As(m, breakGlass, map[string]any{"c": ana.ID, "r": "  crisis call at 2 a.m., client at risk  "})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"reason":"crisis call at 2 a.m., client at risk"`) ||
		!strings.Contains(string(r.Data), `"holder":{"id":"`+string(m.ID)+`"}`) ||
		!strings.Contains(string(r.Data), c.Now().Add(5*time.Minute).Format("2006-01-02T15:04")) {
		t.Fatalf("breakGlass answered %s", r.Data)
	}

	// VIEW on every section the role reads, and nothing to edit.
	requireSees(t, e, m, []*ent.ClientRecord{ana}, ana)
	r = e.As(m, readClient, map[string]any{"id": ana.ID})
	r.RequireNoErrors(t)
	if !strings.Contains(string(r.Data), `"viewerAccess":{"level":"VIEW","rules":["EMERGENCY_ACCESS"]},"medicalHistory":{"text":"asthma"}`) {
		t.Fatalf("client after breaking the glass: %s", r.Data)
	}
	requireForbiddenSection(t, e.As(m, `mutation($id: ID!) { updateMedicalHistory(clientId: $id, text: "x") { id } }`,
		map[string]any{"id": ana.ID}), "updateMedicalHistory", access.MedicalHistory)
	// While the grant runs, breaking the glass again is a conflict.
	requireCode(t, e.As(m, breakGlass, map[string]any{"c": ana.ID, "r": "again"}), "CONFLICT")

	// At expiry the client is gone again, with no job.
	c.Add(5 * time.Minute)
	requireSees(t, e, m, []*ent.ClientRecord{ana})
	requireCode(t, e.As(m, `mutation($id: ID!) { updateMedicalHistory(clientId: $id, text: "x") { id } }`,
		map[string]any{"id": ana.ID}), "NOT_FOUND")
}

func TestBreakGlass_RestrictedClient_OnlyWhenThePracticeAllows(t *testing.T) {
	for _, allows := range []bool{false, true} {
		e := graphtest.New(t)
		p := emergencyPractice(e, 60, allows)
		m := e.Member(p)
		vip := patient(e, p, "Mere Walker", "1966-01-02", graphtest.Restricted())
		found := searchAs(t, e, m, "Mere Walker", "1966-01-02")
		r := e.As(m, breakGlass, map[string]any{"c": vip.ID, "r": "overdose"})
		if !allows {
			if len(found) != 0 {
				t.Fatalf("setting off: the search found the restricted client: %+v", found)
			}
			requireSameAnswer(t, r, e.As(m, breakGlass, map[string]any{"c": pulid.MustNew("CL"), "r": "overdose"}))
			requireSees(t, e, m, []*ent.ClientRecord{vip})
			continue
		}
		if len(found) != 1 || found[0].ClientID != vip.ID {
			t.Fatalf("setting on: search %+v", found)
		}
		r.RequireNoErrors(t)
		requireSees(t, e, m, []*ent.ClientRecord{vip}, vip)
	}
}

// Switching emergencyReachesRestricted off between the search and the
// grant leaves the restricted client out of reach.
func TestBreakGlass_SettingTurnedOffAfterTheSearch(t *testing.T) {
	e := graphtest.New(t)
	p := emergencyPractice(e, 60, true)
	m := e.Member(p)
	vip := patient(e, p, "Mere Walker", "1966-01-02", graphtest.Restricted())
	if found := searchAs(t, e, m, "Mere Walker", "1966-01-02"); len(found) != 1 {
		t.Fatalf("search: %+v", found)
	}
	e.Client().Practice.UpdateOne(p).SetEmergencyReachesRestricted(false).ExecX(e.Ctx)
	requireCode(t, e.As(m, breakGlass, map[string]any{"c": vip.ID, "r": "overdose"}), "NOT_FOUND")
	requireSees(t, e, m, []*ent.ClientRecord{vip})
}

func TestBreakGlass_NeedsTheCapability(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	noCapability := e.Member(p, graphtest.WithRole(practitionerRole(e, p, access.Edit, []access.Capability{access.CreateClients})))
	reception := e.Member(p, graphtest.Administrative())
	withRole := e.Member(p, graphtest.WithRole(e.Role(p, access.Administrative, access.SectionLevels{access.Profile: access.View}, []access.Capability{access.EmergencyAccess})))
	c := patient(e, p, "Tom Hale", "2001-05-05")
	for _, m := range []*ent.Member{noCapability, reception} {
		requireCode(t, e.As(m, emergencySearch, map[string]any{"n": "Tom Hale", "d": "2001-05-05"}), "FORBIDDEN")
		requireCode(t, e.As(m, breakGlass, map[string]any{"c": c.ID, "r": "fall"}), "FORBIDDEN")
	}
	if found := searchAs(t, e, withRole, "Tom Hale", "2001-05-05"); len(found) != 1 {
		t.Fatalf("a role with EMERGENCY_ACCESS: %+v", found)
	}
	e.As(withRole, breakGlass, map[string]any{"c": c.ID, "r": "fall"}).RequireNoErrors(t)
}

// The search answers only the identification of clients the member cannot
// see, of their practice; breaking the glass needs that identification,
// and without it answers exactly as for an ID never issued.
func TestEmergencySearch_RevealsOnlyTheIdentification(t *testing.T) {
	e := graphtest.New(t)
	p, other := e.Practice(), e.Practice()
	m := e.Member(p)
	mine := patient(e, p, "Lee Chan", "1990-01-01", graphtest.ResponsibleIs(m))
	hidden := patient(e, p, "Lee Chan", "1990-01-01", func(c *ent.ClientRecordCreate) { c.SetEmail("lee@mail.example") })
	patient(e, other, "Lee Chan", "1990-01-01")
	unsearched := patient(e, p, "Kim Chan", "1990-01-01")

	r := e.As(m, emergencySearch, map[string]any{"n": "Lee Chan", "d": "1990-01-01"})
	r.RequireNoErrors(t)
	var raw struct{ EmergencyAccessSearch []map[string]any }
	r.Decode(t, &raw)
	if len(raw.EmergencyAccessSearch) != 1 || raw.EmergencyAccessSearch[0]["clientId"] != string(hidden.ID) {
		t.Fatalf("search: %s", r.Data)
	}
	if strings.Contains(string(r.Data), "lee@mail.example") || strings.Contains(string(r.Data), string(mine.ID)) {
		t.Fatalf("the search reveals more than the identification: %s", r.Data)
	}
	requireCode(t, e.As(m, `{ emergencyAccessSearch(name: "Lee Chan", dateOfBirth: "1990-01-01") { email } }`, nil), "BAD_USER_INPUT")
	requireSameAnswer(t, e.As(m, breakGlass, map[string]any{"c": unsearched.ID, "r": "fall"}),
		e.As(m, breakGlass, map[string]any{"c": pulid.MustNew("CL"), "r": "fall"}))
}

func TestEmergencySearch_IsRateLimitedPerMember(t *testing.T) {
	rates := auth.DefaultRates
	rates.EmergencySearchesPerMember = limiter.Rate{Period: time.Hour, Limit: 2}
	e := graphtest.New(t, withRates(rates))
	p := e.Practice()
	m, colleague := e.Member(p), e.Member(p)
	for range 2 {
		searchAs(t, e, m, "Nobody Known", "2000-01-01")
	}
	requireRateLimited(t, e.As(m, emergencySearch, map[string]any{"n": "Nobody Known", "d": "2000-01-01"}))
	searchAs(t, e, colleague, "Nobody Known", "2000-01-01")
}

func TestBreakGlass_BadInput(t *testing.T) {
	e := graphtest.New(t)
	p := e.Practice()
	m := e.Member(p)
	c := patient(e, p, "Tom Hale", "2001-05-05")
	for _, d := range []any{"2001-5-5", "2001-02-30", "05/05/2001", "2001-05-05T00:00:00Z", 20010505} {
		requireCode(t, e.As(m, emergencySearch, map[string]any{"n": "Tom Hale", "d": d}), "BAD_USER_INPUT")
	}
	requireCode(t, e.As(m, emergencySearch, map[string]any{"n": "  ", "d": "2001-05-05"}), "BAD_USER_INPUT")
	searchAs(t, e, m, "Tom Hale", "2001-05-05")
	for _, reason := range []string{"", "   ", strings.Repeat("x", 1001)} {
		requireCode(t, e.As(m, breakGlass, map[string]any{"c": c.ID, "r": reason}), "BAD_USER_INPUT")
	}
	requireSees(t, e, m, []*ent.ClientRecord{c})
}

// requireSameAnswer fails unless two responses are identical: a hidden
// record answers exactly as one never issued.
func requireSameAnswer(t *testing.T, a, b *graphtest.Response) {
	t.Helper()
	ja, _ := json.Marshal(struct {
		S int
		D json.RawMessage
		E []graphtest.Error
	}{a.Status, a.Data, a.Errors})
	jb, _ := json.Marshal(struct {
		S int
		D json.RawMessage
		E []graphtest.Error
	}{b.Status, b.Data, b.Errors})
	if string(ja) != string(jb) || len(a.Errors) == 0 || a.Errors[0].Code() != "NOT_FOUND" {
		t.Fatalf("answers differ or are not NOT_FOUND:\n %s\n %s", ja, jb)
	}
}

package viewer

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"caseload/ent/schema/pulid"
)

// The statement built once per shape takes every value of a request from
// that request: the member, practice and session IDs and the time become
// parameters wherever the builder put them, and only the statement's own
// constants are kept.
func TestStatement_EveryRequestValueIsAParameter(t *testing.T) {
	for _, d := range []string{dialect.Postgres, dialect.SQLite} {
		for _, sh := range []shape{{d, false, false}, {d, true, false}, {d, false, true}, {d, true, true}} {
			st, err := authorisationStatementFor(sh.dialect, sh.practice, sh.session)
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC()
			p := parameters{member: "ME1", now: now}
			want := []any{pulid.ID("ME1")}
			if sh.practice {
				p.practice = "PR1"
				want = append(want, pulid.ID("PR1"))
			}
			if sh.session {
				p.session = "SE1"
				want = append(want, pulid.ID("SE1"))
			}
			// Each dialect's own text: its placeholders and aggregate.
			for _, w := range map[string][]string{
				dialect.Postgres: {"$1", "string_agg("},
				dialect.SQLite:   {"?", "group_concat("},
			}[d] {
				if !strings.Contains(st.text, w) {
					t.Errorf("%+v: the text lacks %q: %s", sh, w, st.text)
				}
			}
			args := st.args(p)
			for _, w := range want {
				if !slices.Contains(args, w) {
					t.Errorf("%+v: the arguments %v lack %v", sh, args, w)
				}
			}
			times := 0
			for _, a := range args {
				switch v := a.(type) {
				case time.Time:
					if !v.Equal(now) {
						t.Errorf("%+v: an argument is the time %v, not the request's %v", sh, v, now)
					}
					times++
				case pulid.ID:
					if strings.HasPrefix(string(v), "\x00") {
						t.Errorf("%+v: a placeholder %q is left in the arguments", sh, v)
					}
				}
			}
			// The share's and the break-glass grant's expiries.
			if times != 2 {
				t.Errorf("%+v: %d arguments are the request's time, want 2", sh, times)
			}
			// A second request gets its own values.
			other := st.args(parameters{member: "ME2", practice: "PR2", session: "SE2", now: now.Add(time.Hour)})
			if slices.Contains(other, any(pulid.ID("ME1"))) || !slices.Contains(other, any(pulid.ID("ME2"))) {
				t.Errorf("%+v: a second request's arguments are %v", sh, other)
			}
		}
	}
}

// A statement that does not take the member's ID, or the practice's or
// the session's when its shape has them, is refused rather than cached: it
// would read another member's authorisation, cross practices, or take any
// session for the member's.
func TestStatement_WithoutARequestsValue_IsRefused(t *testing.T) {
	for _, c := range []struct {
		name  string
		sh    shape
		built []any
	}{
		{"no member", shape{dialect.Postgres, true, false}, []any{placeholders.practice, "CARE_TEAM"}},
		{"no practice", shape{dialect.Postgres, true, false}, []any{placeholders.member, "CARE_TEAM"}},
		{"no session", shape{dialect.Postgres, false, true}, []any{placeholders.member}},
	} {
		if _, err := parameterise(c.sh, "SELECT 1", c.built); err == nil {
			t.Errorf("%s: the statement was accepted", c.name)
		}
	}
	if _, err := parameterise(shape{dialect.Postgres, true, true}, "SELECT 1",
		[]any{placeholders.member, placeholders.practice, placeholders.session, placeholders.now}); err != nil {
		t.Errorf("a statement taking every value was refused: %v", err)
	}
}

// The viewer's statement runs on the driver, past privacy: a caller that
// gives no reason (Bypass) is refused before anything is read.
func TestReadAuthorisation_WithoutABypassReason_IsRefused(t *testing.T) {
	_, err := readAuthorisation(context.Background(), nil, "ME1", "", "", time.Now())
	if !errors.Is(err, errNoBypass) {
		t.Fatalf("got %v, want errNoBypass", err)
	}
}

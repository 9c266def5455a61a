package viewer

import (
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

// A statement that does not take the member's ID is refused rather than
// cached: it would read an authorisation that is not the request's.
func TestStatement_WithoutTheMembersID_IsRefused(t *testing.T) {
	if _, err := parameterise("SELECT 1", []any{placeholders.practice, "CARE_TEAM"}); err == nil {
		t.Fatal("a statement without the member's ID was accepted")
	}
}

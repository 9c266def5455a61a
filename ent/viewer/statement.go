package viewer

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"caseload/ent/schema/pulid"
)

// Issue P: every request sends the viewer's statement first. Built anew
// with Ent's SQL builder (three EXISTS probes, two aggregates, three joins)
// and scanned by reflection, it cost about a twentieth of a caseload page's
// Go CPU. Its text depends only on the dialect and on whether a practice
// and a session are given, so it is built once per shape, here, and only
// its arguments are filled in per request.

// parameters are the values the viewer's statement is read with.
type parameters struct {
	member, practice, session pulid.ID
	now                       time.Time
}

// placeholders are the parameters a statement is built with: values no
// request can have (IDs are never empty, and no ID holds a NUL byte), so
// that each argument they produce can be told apart from the statement's
// own constants.
var placeholders = parameters{
	member:   "\x00member",
	practice: "\x00practice",
	session:  "\x00session",
	now:      time.Date(1, time.February, 3, 4, 5, 6, 7, time.UTC),
}

// parameter names the parameter an argument takes its value from.
type parameter int

const (
	memberParameter parameter = iota + 1
	practiceParameter
	sessionParameter
	nowParameter
)

// statement is the viewer's statement of one shape: its text and, per
// argument, a parameter or a constant of the statement's own (such as the
// care-team kind).
type statement struct {
	text      string
	arguments []any
}

// args are the statement's arguments for p.
func (s *statement) args(p parameters) []any {
	args := make([]any, len(s.arguments))
	for i, a := range s.arguments {
		switch a {
		case memberParameter:
			args[i] = p.member
		case practiceParameter:
			args[i] = p.practice
		case sessionParameter:
			args[i] = p.session
		case nowParameter:
			args[i] = p.now
		default:
			args[i] = a
		}
	}
	return args
}

// shape is what the statement's text depends on.
type shape struct {
	dialect           string
	practice, session bool
}

// statements holds each shape's statement once built.
var statements sync.Map // shape → *statement

// authorisationStatementFor returns the statement of a shape, building it
// on first use.
func authorisationStatementFor(d string, practice, session bool) (*statement, error) {
	sh := shape{d, practice, session}
	if st, ok := statements.Load(sh); ok {
		return st.(*statement), nil
	}
	p := placeholders
	if !practice {
		p.practice = ""
	}
	if !session {
		p.session = ""
	}
	text, built := buildAuthorisation(d, p).Query()
	st, err := parameterise(sh, text, built)
	if err != nil {
		return nil, err
	}
	statements.Store(sh, st)
	return st, nil
}

// parameterise turns the arguments a statement of shape sh was built with
// from placeholders into parameters, and keeps the rest as constants.
func parameterise(sh shape, text string, built []any) (*statement, error) {
	st := &statement{text: text, arguments: make([]any, len(built))}
	seen := map[parameter]bool{}
	for i, a := range built {
		var p parameter
		switch v := a.(type) {
		case pulid.ID:
			switch v {
			case placeholders.member:
				p = memberParameter
			case placeholders.practice:
				p = practiceParameter
			case placeholders.session:
				p = sessionParameter
			}
		case time.Time:
			if v.Equal(placeholders.now) {
				p = nowParameter
			}
		}
		if p == 0 {
			st.arguments[i] = a
			continue
		}
		st.arguments[i] = p
		seen[p] = true
	}
	// The member's ID is always an argument, and the practice's and the
	// session's are when the shape has them: a statement without one
	// would read another member's authorisation, cross practices, or
	// take any session for the member's.
	if !seen[memberParameter] {
		return nil, errors.New("the viewer's statement does not take the member's ID")
	}
	if seen[practiceParameter] != sh.practice || seen[sessionParameter] != sh.session {
		return nil, fmt.Errorf("the viewer's statement takes the practice %v and the session %v, want %v and %v",
			seen[practiceParameter], seen[sessionParameter], sh.practice, sh.session)
	}
	return st, nil
}
